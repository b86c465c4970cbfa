"""psycopg2's numeric constants: isolation levels, connection and transaction statuses, and
poll() states (psycopg2.extensions re-exports them)."""

ISOLATION_LEVEL_AUTOCOMMIT = 0
ISOLATION_LEVEL_READ_UNCOMMITTED = 4
ISOLATION_LEVEL_READ_COMMITTED = 1
ISOLATION_LEVEL_REPEATABLE_READ = 2
ISOLATION_LEVEL_SERIALIZABLE = 3
ISOLATION_LEVEL_DEFAULT = None

# connection.status
STATUS_SETUP = 0
STATUS_READY = 1
STATUS_BEGIN = 2
STATUS_SYNC = 3    # unused, as in psycopg2
STATUS_ASYNC = 4   # unused, as in psycopg2
STATUS_PREPARED = 5
STATUS_IN_TRANSACTION = STATUS_BEGIN

# libpq's PQtransactionStatus values (connection.get_transaction_status()).
TRANSACTION_STATUS_IDLE = 0
TRANSACTION_STATUS_ACTIVE = 1
TRANSACTION_STATUS_INTRANS = 2
TRANSACTION_STATUS_INERROR = 3
TRANSACTION_STATUS_UNKNOWN = 4

# connection.poll() results.
POLL_OK = 0
POLL_READ = 1
POLL_WRITE = 2
POLL_ERROR = 3
