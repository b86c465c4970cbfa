package dev.pgjvm.core.replication;

/**
 * One message of a replication stream carrying WAL data (the protocol's XLogData): for a
 * logical slot, one output-plugin message (a change, a BEGIN, a COMMIT); for a physical one, a
 * piece of raw WAL.
 *
 * @param dataStart the LSN the data starts at (0 for some logical messages)
 * @param walEnd    the server's current end of WAL
 * @param sendTime  when the server sent it: microseconds since 2000-01-01 00:00 UTC
 *                  (PostgreSQL's epoch; see {@link StreamingProtocol#toEpochMicros})
 * @param payload   the data, as the server sent it
 */
public record XLogData(long dataStart, long walEnd, long sendTime, byte[] payload) {
}
