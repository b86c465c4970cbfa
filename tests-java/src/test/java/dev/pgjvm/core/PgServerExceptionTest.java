package dev.pgjvm.core;

import org.junit.jupiter.api.Test;

import static dev.pgjvm.core.testing.ServerMessages.fields;
import static org.junit.jupiter.api.Assertions.*;

class PgServerExceptionTest {
    @Test
    void fieldsAndMessage() {
        PgServerException e = new PgServerException(fields("S", "ERROR", "V", "ERROR", "C", "42P01",
                "M", "relation \"nope\" does not exist", "P", "15"), "SELECT * FROM nope");
        assertEquals("42P01", e.sqlState());
        assertEquals("ERROR", e.severity());
        assertEquals("relation \"nope\" does not exist", e.field("M"));
        assertNull(e.field("D"));
        assertNull(e.field("MM"));
        assertEquals("ERROR:  relation \"nope\" does not exist\nLINE 1: SELECT * FROM nope\n                      ^\n",
                e.getMessage());
    }
}
