package dev.pgjvm.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TransactionStatusTest {
    @Test
    void ordinalsAreLibpqsPqtransNumbers() {
        // PQTRANS_IDLE 0, PQTRANS_ACTIVE 1, PQTRANS_INTRANS 2, PQTRANS_INERROR 3, PQTRANS_UNKNOWN 4
        assertEquals(0, TransactionStatus.IDLE.ordinal());
        assertEquals(1, TransactionStatus.ACTIVE.ordinal());
        assertEquals(2, TransactionStatus.INTRANS.ordinal());
        assertEquals(3, TransactionStatus.INERROR.ordinal());
        assertEquals(4, TransactionStatus.UNKNOWN.ordinal());
    }
}
