"""The one place that reaches into java-core through GraalPy's `java` module.

Everything else imports the Java types from here, so that the boundary stays visible and small.
"""
import java

PgConnection = java.type('dev.pgjvm.core.PgConnection')
ConnInfo = java.type('dev.pgjvm.core.conninfo.ConnInfo')
ClientEnvironment = java.type('dev.pgjvm.core.conninfo.ClientEnvironment')
PgException = java.type('dev.pgjvm.core.PgException')
PgServerException = java.type('dev.pgjvm.core.PgServerException')
PgConnectionException = java.type('dev.pgjvm.core.PgConnectionException')
ConnInfoException = java.type('dev.pgjvm.core.ConnInfoException')
PgProtocolException = java.type('dev.pgjvm.core.PgProtocolException')
PgCopyRefusedException = java.type('dev.pgjvm.core.PgCopyRefusedException')
IllegalArgumentException = java.type('java.lang.IllegalArgumentException')
# Any other Java exception: never to reach user code as such (see error_from_java).
RuntimeException = java.type('java.lang.RuntimeException')
HashMap = java.type('java.util.HashMap')
PythonBridge = java.type('dev.pgjvm.psycopg2.PythonBridge')
# A Java byte[] of a bytes-like object, copied in one call (bytes passed where java-core wants
# a byte[] would be converted element by element).
java_bytes = PythonBridge.bytesOf


def java_map(d):
    """A java.util.Map of strings from a Python dict (None values are left out)."""
    m = HashMap()
    for k, v in d.items():
        if v is not None:
            m.put(str(k), str(v))
    return m


def message_of(jexc):
    """The message of a Java exception as a Python str ('' when it has none)."""
    msg = jexc.getMessage()
    return '' if msg is None else str(msg)
