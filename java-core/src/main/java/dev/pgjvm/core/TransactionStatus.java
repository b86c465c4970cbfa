package dev.pgjvm.core;

/**
 * Where a connection stands with respect to transactions ({@link PgConnection#transactionStatus()}),
 * as libpq's PQtransactionStatus: each constant's ordinal is libpq's PQTRANS_* value.
 */
public enum TransactionStatus {
    /** Idle, outside a transaction block (PQTRANS_IDLE, 0). */
    IDLE,
    /** A command is in progress (PQTRANS_ACTIVE, 1). */
    ACTIVE,
    /** Idle inside a valid transaction block (PQTRANS_INTRANS, 2). */
    INTRANS,
    /** Idle inside a failed transaction block: only a rollback is accepted (PQTRANS_INERROR, 3). */
    INERROR,
    /** The connection is closed or broken (PQTRANS_UNKNOWN, 4). */
    UNKNOWN
}
