package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.testing.Wire;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class BackendMessageParserTest {
    private static final Charset UTF8 = StandardCharsets.UTF_8;

    private static BackendMessage parse(char type, byte[] payload) {
        return BackendMessageParser.parse((byte) type, payload, UTF8);
    }

    @Test
    void authenticationRequests() {
        assertEquals(new AuthenticationOk(), parse('R', Wire.of().int32(0).payload()));
        assertEquals(new AuthenticationKerberosV5(), parse('R', Wire.of().int32(2).payload()));
        assertEquals(new AuthenticationCleartextPassword(), parse('R', Wire.of().int32(3).payload()));
        assertEquals(new AuthenticationMD5Password(Bytes.copyOf(new byte[]{1, 2, 3, 4})),
                parse('R', Wire.of().int32(5).bytes(new byte[]{1, 2, 3, 4}).payload()));
        assertEquals(new AuthenticationGSS(), parse('R', Wire.of().int32(7).payload()));
        assertEquals(new AuthenticationGSSContinue(Bytes.copyOf(new byte[]{9})), parse('R', Wire.of().int32(8).int8(9).payload()));
        assertEquals(new AuthenticationSSPI(), parse('R', Wire.of().int32(9).payload()));
        assertEquals(new AuthenticationSASL(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                parse('R', Wire.of().int32(10).cstring("SCRAM-SHA-256-PLUS").cstring("SCRAM-SHA-256").int8(0).payload()));
        assertArrayEquals("r=abc".getBytes(UTF8),
                ((AuthenticationSASLContinue) parse('R', Wire.of().int32(11).ascii("r=abc").payload())).data().toArray());
        assertArrayEquals("v=xyz".getBytes(UTF8),
                ((AuthenticationSASLFinal) parse('R', Wire.of().int32(12).ascii("v=xyz").payload())).data().toArray());
    }

    @Test
    void unknownAuthenticationMethodIsRejected() {
        PgProtocolException e = assertThrows(PgProtocolException.class, () -> parse('R', Wire.of().int32(42).payload()));
        assertEquals("authentication method 42 not supported\n", e.getMessage());
    }

    @Test
    void aTruncatedListOfSaslMechanismsInLibpqsWords() {
        for (byte[] payload : List.of(Wire.of().int32(10).payload(), Wire.of().int32(10).ascii("SCRAM-SHA-256").payload(),
                Wire.of().int32(10).cstring("SCRAM-SHA-256").payload())) {
            PgProtocolException e = assertThrows(PgProtocolException.class, () -> parse('R', payload));
            assertEquals("fe_sendauth: invalid authentication request from server: "
                    + "invalid list of authentication mechanisms\n", e.getMessage());
        }
    }

    @Test
    void noticesAndNotificationsAreReadAsLibpqDeliversThem() {
        // A notice without its terminator, or with bytes after it; a notification with bytes
        // after its payload: delivered, as libpq delivers them between queries.
        NoticeResponse n = (NoticeResponse) parse('N', Wire.of().int8('S').cstring("WARNING").int8('M').cstring("hello").payload());
        assertEquals("hello", n.fields().get('M'));
        n = (NoticeResponse) parse('N', Wire.of().int8('M').cstring("hi").int8(0).ascii("junk").payload());
        assertEquals(Map.of('M', "hi"), n.fields());
        assertEquals(Map.of(), ((NoticeResponse) parse('N', new byte[0])).fields());
        assertEquals(new NotificationResponse(42, "chan", "pay"),
                parse('A', Wire.of().int32(42).cstring("chan").cstring("pay").ascii("junk").payload()));
        // What cannot be read is still refused: a field's string without its NUL, a channel
        // without its payload.
        assertThrows(PgProtocolException.class, () -> parse('N', Wire.of().int8('M').ascii("hello").payload()));
        assertThrows(PgProtocolException.class, () -> parse('A', Wire.of().int32(42).cstring("chan").payload()));
    }

    @Test
    void aMalformedParameterStatusInLibpqsWords() {
        assertEquals(new ParameterStatus("a", "b"), parse('S', Wire.of().cstring("a").cstring("b").payload()));
        for (byte[] payload : List.of(Wire.of().ascii("garbage").payload(), Wire.of().cstring("garbage").payload(),
                Wire.of().cstring("a").cstring("b").ascii("junk").payload(), new byte[0])) {
            PgProtocolException e = assertThrows(PgProtocolException.class, () -> parse('S', payload));
            assertEquals("message contents do not agree with length in message type \"S\"\n", e.getMessage());
        }
    }

    @Test
    void md5SaltMustBeFourBytes() {
        assertThrows(PgProtocolException.class, () -> parse('R', Wire.of().int32(5).bytes(new byte[]{1, 2}).payload()));
        assertThrows(PgProtocolException.class, () -> parse('R', Wire.of().int32(5).bytes(new byte[5]).payload()));
    }

    @Test
    void startupMessages() {
        assertEquals(new BackendKeyData(1234, -5), parse('K', Wire.of().int32(1234).int32(-5).payload()));
        assertEquals(new ParameterStatus("server_version", "15.4"),
                parse('S', Wire.of().cstring("server_version").cstring("15.4").payload()));
        assertEquals(new ReadyForQuery('T'), parse('Z', Wire.of().int8('T').payload()));
        assertEquals(new NegotiateProtocolVersion(0, List.of("_pq_.x")),
                parse('v', Wire.of().int32(0).int32(1).cstring("_pq_.x").payload()));
    }

    @Test
    void readyForQueryRejectsUnknownStatus() {
        assertThrows(PgProtocolException.class, () -> parse('Z', Wire.of().int8('X').payload()));
    }

    @Test
    void rowDescription() {
        byte[] payload = Wire.of().int16(2)
                .cstring("id").int32(16384).int16(1).int32(23).int16(4).int32(-1).int16(0)
                .cstring("name").int32(0).int16(0).int32(25).int16(-1).int32(-1).int16(0)
                .payload();
        RowDescription d = (RowDescription) parse('T', payload);
        assertEquals(List.of(
                new RowDescription.Field("id", 16384, 1, 23, 4, -1, 0),
                new RowDescription.Field("name", 0, 0, 25, -1, -1, 0)), d.fields());
    }

    @Test
    void rowDescriptionKeepsUnsignedOids() {
        byte[] payload = Wire.of().int16(1).cstring("x").int32(0xFFFFFFF0).int16(0).int32(0x80000001)
                .int16(4).int32(-1).int16(0).payload();
        RowDescription.Field f = ((RowDescription) parse('T', payload)).fields().get(0);
        assertEquals(0xFFFFFFF0L, Integer.toUnsignedLong(f.tableOid()));
        assertEquals(0x80000001L, Integer.toUnsignedLong(f.typeOid()));
    }

    @Test
    void dataRowKeepsRawBytesWithNulls() {
        byte[] payload = Wire.of().int16(3).int32(2).ascii("42").int32(-1).int32(0).payload();
        DataRow row = (DataRow) parse('D', payload);
        assertEquals(3, row.columnCount());
        assertEquals("42", row.text(0, UTF8));
        assertTrue(row.isNull(1));
        assertNull(row.value(1));
        assertNull(row.text(1, UTF8));
        assertEquals(-1, row.length(1));
        assertEquals("", row.text(2, UTF8));
        assertEquals(0, row.slice(2).remaining());
        assertTrue(row.slice(0).isReadOnly());
        assertEquals(DataRow.of("42".getBytes(UTF8), null, new byte[0]), row);
    }

    @Test
    void dataRowRejectsImpossibleLengths() {
        assertThrows(PgProtocolException.class, () -> parse('D', Wire.of().int16(1).int32(10).ascii("short").payload()));
        assertThrows(PgProtocolException.class, () -> parse('D', Wire.of().int16(1).int32(-2).payload()));
        assertThrows(PgProtocolException.class, () -> parse('D', Wire.of().int16(2).int32(1).ascii("a").payload()));
    }

    @Test
    void commandsAndResults() {
        assertEquals(new CommandComplete("INSERT 0 3"), parse('C', Wire.of().cstring("INSERT 0 3").payload()));
        assertEquals(new EmptyQueryResponse(), parse('I', new byte[0]));
        assertEquals(new ParseComplete(), parse('1', new byte[0]));
        assertEquals(new BindComplete(), parse('2', new byte[0]));
        assertEquals(new CloseComplete(), parse('3', new byte[0]));
        assertEquals(new NoData(), parse('n', new byte[0]));
        assertEquals(new PortalSuspended(), parse('s', new byte[0]));
        assertEquals(new ParameterDescription(List.of(23, 25)), parse('t', Wire.of().int16(2).int32(23).int32(25).payload()));
    }

    @Test
    void errorAndNoticeFieldsKeepOrder() {
        byte[] payload = Wire.of().int8('S').cstring("ERROR").int8('V').cstring("ERROR").int8('C').cstring("42601")
                .int8('M').cstring("syntax error").int8('P').cstring("1").int8(0).payload();
        ErrorResponse e = (ErrorResponse) parse('E', payload);
        assertEquals(List.of('S', 'V', 'C', 'M', 'P'), List.copyOf(e.fields().keySet()));
        assertEquals("42601", e.sqlState());
        assertEquals("syntax error", e.message());
        NoticeResponse n = (NoticeResponse) parse('N', Wire.of().int8('S').cstring("NOTICE").int8('M').cstring("hi").int8(0).payload());
        assertEquals(Map.of('S', "NOTICE", 'M', "hi"), n.fields());
    }

    @Test
    void errorFieldsMustBeTerminated() {
        assertThrows(PgProtocolException.class, () -> parse('E', Wire.of().int8('S').cstring("ERROR").payload()));
    }

    @Test
    void notification() {
        assertEquals(new NotificationResponse(77, "chan", "payload é"),
                parse('A', Wire.of().int32(77).cstring("chan").cstring("payload é").payload()));
    }

    @Test
    void copyMessages() {
        assertEquals(new CopyInResponse(0, List.of(0, 0)), parse('G', Wire.of().int8(0).int16(2).int16(0).int16(0).payload()));
        assertEquals(new CopyOutResponse(1, List.of(1)), parse('H', Wire.of().int8(1).int16(1).int16(1).payload()));
        assertEquals(new CopyBothResponse(0, List.of()), parse('W', Wire.of().int8(0).int16(0).payload()));
        assertEquals(new CopyData(Bytes.copyOf(new byte[]{1, 2, 3})), parse('d', new byte[]{1, 2, 3}));
        assertEquals(new CopyDone(), parse('c', new byte[0]));
    }

    @Test
    void stringsAreDecodedWithTheGivenCharset() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, 0};
        CommandComplete c = (CommandComplete) BackendMessageParser.parse((byte) 'C', latin1, StandardCharsets.ISO_8859_1);
        assertEquals("café", c.tag());
    }

    @Test
    void unknownTypeShortPayloadAndTrailingBytesAreRejected() {
        PgProtocolException unknown = assertThrows(PgProtocolException.class, () -> parse('?', new byte[0]));
        assertEquals("unexpected response from server; first received character was \"?\"\n", unknown.getMessage());
        assertThrows(PgProtocolException.class, () -> parse('K', Wire.of().int32(1).payload()));
        assertThrows(PgProtocolException.class, () -> parse('S', Wire.of().cstring("a").payload()));
        assertThrows(PgProtocolException.class, () -> parse('C', Wire.of().ascii("no terminator").payload()));
        assertThrows(PgProtocolException.class, () -> parse('Z', new byte[0]));
        assertThrows(PgProtocolException.class, () -> parse('I', new byte[]{1}));
        assertThrows(PgProtocolException.class, () -> parse('K', Wire.of().int32(1).int32(2).int8(0).payload()));
        assertThrows(PgProtocolException.class, () -> parse('T', Wire.of().int16(-1).payload()));
    }
}
