package dev.pgjvm.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerVersionTest {
    @Test
    void libpqNumbering() {
        assertEquals(150004, PgConnection.parseServerVersion("15.4 (Debian 15.4-1.pgdg120+1)"));
        assertEquals(160000, PgConnection.parseServerVersion("16devel"));
        assertEquals(170002, PgConnection.parseServerVersion("17.2"));
        assertEquals(90624, PgConnection.parseServerVersion("9.6.24"));
        assertEquals(90600, PgConnection.parseServerVersion("9.6beta1"));
        assertEquals(0, PgConnection.parseServerVersion("x"));
        assertEquals(0, PgConnection.parseServerVersion(null));
    }
}
