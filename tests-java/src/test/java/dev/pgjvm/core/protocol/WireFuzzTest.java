package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.auth.PasswordSource;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.SessionPhase;
import dev.pgjvm.core.session.SimpleQuery;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static dev.pgjvm.core.testing.ServerMessages.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Random bytes from the server: the framer, the parser and the protocol machine either make
 * sense of them or fail with a PgProtocolException (the machine: a FAILED session), never with
 * another exception, and never allocate much more than what arrived. Each property runs on
 * inputs from a seeded generator; a failure names the seed of its trial, to replay it.
 */
class WireFuzzTest {
    private static final String TYPES = "RKSZvTDCIENA123nstGHWdcV";

    /** Runs {@code property} {@code tries} times, each with a Random of its own seed. */
    private static void forAll(int tries, Consumer<Random> property) {
        long base = 20261202L;
        for (int i = 0; i < tries; i++) {
            long seed = base + i;
            try {
                property.accept(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trial with seed " + seed + " failed: " + e, e);
            }
        }
    }

    private static byte[] bytes(Random r, int min, int max) {
        byte[] b = new byte[min + r.nextInt(max - min + 1)];
        r.nextBytes(b);
        return b;
    }

    private static char type(Random r) {
        return TYPES.charAt(r.nextInt(TYPES.length()));
    }

    @Test
    void framerYieldsWholeMessagesOrAProtocolError() {
        forAll(2000, r -> framerProperty(bytes(r, 0, 600), 1 + r.nextInt(40)));
    }

    private static void framerProperty(byte[] bytes, int chunk) {
        MessageFramer framer = new MessageFramer();
        long delivered = 0;
        try {
            for (int i = 0; i < bytes.length; i += chunk) {
                framer.feed(bytes, i, Math.min(chunk, bytes.length - i));
                RawMessage m;
                while ((m = framer.next()) != null) {
                    delivered += 5 + m.payload().length;
                }
            }
        } catch (PgProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("lost synchronization")
                    || expected.getMessage().startsWith("cannot allocate"), expected.getMessage());
            return;
        }
        assertTrue(delivered <= bytes.length, "no message is longer than the bytes that came");
    }

    @Test
    void aLyingLengthAllocatesOnlyWhatArrives() {
        forAll(200, r -> lyingLength((2 << 20) + r.nextInt((1 << 30) - (2 << 20))));
    }

    private static void lyingLength(int length) {
        MessageFramer framer = new MessageFramer();
        ByteBuffer header = ByteBuffer.allocate(5 + 100).put((byte) 'D').putInt(length).put(new byte[100]).flip();
        long before = usedMemory();
        framer.feed(header);
        assertTrue(framer.isMidMessage());
        assertTrue(usedMemory() - before < 16L << 20, "a 1 MiB start, not the claimed length");
    }

    @Test
    void messagesTornAnywhereComeOutWhole() {
        forAll(300, r -> {
            List<byte[]> payloads = new ArrayList<>();
            for (int i = r.nextInt(9); i > 0; i--) {
                payloads.add(bytes(r, 0, 3000));
            }
            tornMessages(payloads, 1 + r.nextInt(17));
        });
    }

    private static void tornMessages(List<byte[]> payloads, int chunk) {
        ByteBuffer wire = ByteBuffer.allocate(payloads.stream().mapToInt(p -> p.length + 5).sum());
        for (byte[] p : payloads) {
            wire.put((byte) 'd').putInt(p.length + 4).put(p);
        }
        byte[] all = wire.array();
        MessageFramer framer = new MessageFramer();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < all.length; i += chunk) {
            framer.feed(all, i, Math.min(chunk, all.length - i));
            RawMessage m;
            while ((m = framer.next()) != null) {
                out.add(m.payload());
            }
        }
        assertEquals(payloads.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertArrayEquals(payloads.get(i), out.get(i));
        }
    }

    @Test
    void parserReturnsAMessageOrAProtocolError() {
        forAll(20000, r -> {
            try {
                assertNotNull(BackendMessageParser.parse((byte) type(r), bytes(r, 0, 64), StandardCharsets.UTF_8));
            } catch (PgProtocolException expected) {
                assertNotNull(expected.getMessage());
            }
        });
    }

    @Test
    void machineSurvivesGarbageAfterStartup() {
        forAll(5000, r -> garbageAfterStartup(type(r), bytes(r, 0, 80), r.nextBoolean()));
    }

    private static void garbageAfterStartup(char type, byte[] payload, boolean duringQuery) {
        ProtocolMachine m = new ProtocolMachine(Map.of("user", "u", "database", "d"), PasswordSource.none());
        m.takeOutput();
        feed(m, authenticationOk(), parameterStatus("client_encoding", "UTF8"), backendKeyData(1, 2), readyForQuery('I'));
        assertEquals(SessionPhase.READY, m.phase());
        if (duringQuery) {
            m.submit(new SimpleQuery("SELECT 1".getBytes(StandardCharsets.UTF_8), false));
        }
        byte[] message = ByteBuffer.allocate(payload.length + 5).put((byte) type).putInt(payload.length + 4).put(payload).array();
        m.receive(message, 0, message.length);
        // Whatever it was, the machine is in a phase its callers handle, with a failure when FAILED.
        if (m.phase() == SessionPhase.FAILED) {
            assertInstanceOf(dev.pgjvm.core.PgException.class, m.failure());
        }
    }

    @Test
    void startupAnswersThatAreNotPostgresFail() {
        forAll(1000, r -> notPostgres(bytes(r, 1, 200)));
    }

    private static void notPostgres(byte[] bytes) {
        ProtocolMachine m = new ProtocolMachine(Map.of("user", "u", "database", "d"), PasswordSource.none());
        m.takeOutput();
        m.receive(bytes, 0, bytes.length);
        char first = (char) (bytes[0] & 0xff);
        if (first != 'R' && first != 'E' && first != 'v') {
            assertEquals(SessionPhase.FAILED, m.phase());
            assertEquals("expected authentication request from server, but received " + first + "\n",
                    m.failure().getMessage());
        }
    }

    private static void feed(ProtocolMachine m, byte[]... messages) {
        for (byte[] message : messages) {
            m.receive(message, 0, message.length);
        }
    }

    private static long usedMemory() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
