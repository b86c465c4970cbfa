package dev.pgjvm.core.replication;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a stream keeps without talking to the server: feedback that is neither forced nor asked
 * for is only recorded (the connection is not touched, so none is needed here).
 */
class ReplicationStreamTest {
    @Test
    void statusIntervalIsAtLeastOneSecond() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ReplicationStream(null, Duration.ofMillis(999)));
        assertEquals("status_interval must be >= 1 (sec)", e.getMessage());
        ReplicationStream s = new ReplicationStream(null, Duration.ofSeconds(1));
        assertThrows(IllegalArgumentException.class, () -> s.setStatusInterval(Duration.ZERO));
        s.setStatusInterval(Duration.ofSeconds(30));
    }

    @Test
    void aNewStreamHasReportedNothing() {
        ReplicationStream s = new ReplicationStream(null, Duration.ofSeconds(10));
        assertArrayEquals(new long[] {0, 0, 0}, s.positions());
        assertEquals(0, s.walEnd());
        assertEquals(0, s.lastFeedbackMicros(), "no status update sent yet");
        assertTrue(s.lastIoMicros() > 0);
        assertFalse(s.isEnded());
    }

    @Test
    void positionsOnlyMoveForward() {
        ReplicationStream s = new ReplicationStream(null, Duration.ofSeconds(10));
        s.sendFeedback(10, 20, 30, false, false);
        assertArrayEquals(new long[] {10, 20, 30}, s.positions());
        s.sendFeedback(5, 25, 0, false, false);
        assertArrayEquals(new long[] {10, 25, 30}, s.positions(), "0 and smaller positions leave them");
        s.sendFeedback(0, 0, 0, false, false);
        assertArrayEquals(new long[] {10, 25, 30}, s.positions());
        assertEquals(0, s.lastFeedbackMicros(), "recorded, not sent");
    }

    @Test
    void positionsCompareUnsigned() {
        ReplicationStream s = new ReplicationStream(null, Duration.ofSeconds(10));
        s.sendFeedback(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, false, false);
        s.sendFeedback(Long.MIN_VALUE, -1L, 1, false, false); // 8000.../0 and FFFF.../FFFF... are further
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1L, Long.MAX_VALUE}, s.positions());
    }

    @Test
    void positionsIsACopy() {
        ReplicationStream s = new ReplicationStream(null, Duration.ofSeconds(10));
        s.positions()[1] = 99;
        assertArrayEquals(new long[] {0, 0, 0}, s.positions());
    }
}
