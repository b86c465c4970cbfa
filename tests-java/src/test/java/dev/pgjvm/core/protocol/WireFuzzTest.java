package dev.pgjvm.core.protocol;

import dev.pgjvm.core.PgProtocolException;
import dev.pgjvm.core.testing.Allocation;
import dev.pgjvm.core.testing.Gens;
import dev.pgjvm.core.testing.WireArbitraries;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.pgjvm.core.testing.Gens.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Random bytes from the server into the framer and the parser, as QuickTheories properties (see
 * {@code testing/Gens}): they either
 * make sense of the bytes or fail with a PgProtocolException, never with another exception, and
 * never allocate much more than what arrived. Each property has a fixed seed and a bounded
 * number of tries (the run is reproducible and takes seconds); a falsified one is shrunk to the
 * smallest input that still fails. The protocol machine's properties are in
 * {@code session/MachineFuzzTest}.
 */
class WireFuzzTest {
    static final long SEED = 20261205L;
    /** The type bytes the parser knows; any other is libpq's "unexpected response". */
    private static final String PARSED_TYPES = "RKSZvTDCIENA123nstGHWdc";

    /** One framed message as it goes on the wire, its length word perhaps lying. */
    record Frame(byte type, byte[] payload, int lie) {
        byte[] bytes() {
            return ByteBuffer.allocate(5 + payload.length).put(type).putInt(payload.length + 4 + lie).put(payload).array();
        }

        @Override
        public String toString() {
            return "Frame[" + Gens.show(type) + ", " + Gens.show(payload) + ", lie " + lie + "]";
        }
    }

    private static Gen<byte[]> randomBytes() {
        return bytes(0, 600);
    }

    private static Gen<byte[]> payloads() {
        return bytes(0, 64);
    }

    private static Gen<List<Frame>> honestFrames() {
        return lists(Gens.anyByte().zip(bytes(0, 1000), (type, payload) -> new Frame(type, payload, 0)), 0, 8);
    }

    private static Gen<List<Frame>> framesWithLies() {
        return lists(WireArbitraries.typeByte().zip(bytes(0, 300), WireArbitraries.lie(), Frame::new), 1, 6);
    }

    private static Gen<Character> longTypes() {
        return pick('T', 'D', 'd', 'V', 'E', 'N', 'A');
    }

    private static byte[] concat(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        frames.forEach(f -> out.writeBytes(f.bytes()));
        return out.toByteArray();
    }

    /** Feeds the pieces and collects the messages; a PgProtocolException is let through. */
    private static List<RawMessage> frame(List<byte[]> pieces) {
        MessageFramer framer = new MessageFramer();
        List<RawMessage> out = new ArrayList<>();
        for (byte[] piece : pieces) {
            framer.feed(piece, 0, piece.length);
            for (RawMessage m; (m = framer.next()) != null; ) {
                out.add(m);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- the framer

    @Test
    void framerYieldsWholeMessagesOrAProtocolError() {
        theory(SEED, 1000).forAll(randomBytes(), WireArbitraries.chunkSizes())
                .checkAssert(WireFuzzTest::framerYieldsWholeMessagesOrAProtocolError);
    }

    private static void framerYieldsWholeMessagesOrAProtocolError(byte[] bytes, List<Integer> chunks) {
        List<RawMessage> messages;
        try {
            messages = frame(WireArbitraries.cut(bytes, chunks));
        } catch (PgProtocolException expected) {
            assertTrue(expected.getMessage().startsWith("lost synchronization with server: got message type \"")
                    || expected.getMessage().startsWith("cannot allocate memory for input buffer\n"), expected.getMessage());
            return;
        }
        long delivered = messages.stream().mapToLong(m -> 5 + m.payload().length).sum();
        assertTrue(delivered <= bytes.length, "no message is longer than the bytes that came");
    }

    @Test
    void messagesTornAnywhereComeOutWhole() {
        theory(SEED, 300).forAll(honestFrames(), WireArbitraries.chunkSizes())
                .checkAssert(WireFuzzTest::messagesTornAnywhereComeOutWhole);
    }

    private static void messagesTornAnywhereComeOutWhole(List<Frame> frames, List<Integer> chunks) {
        List<RawMessage> out = frame(WireArbitraries.cut(concat(frames), chunks));
        assertEquals(frames.size(), out.size());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(frames.get(i).type(), out.get(i).type());
            assertArrayEquals(frames.get(i).payload(), out.get(i).payload());
        }
    }

    @Test
    void lyingLengthsAreCaughtOrSwallowNoMoreThanArrived() {
        theory(SEED, 1000).forAll(framesWithLies(), WireArbitraries.chunkSizes())
                .checkAssert(WireFuzzTest::lyingLengthsAreCaughtOrSwallowNoMoreThanArrived);
    }

    private static void lyingLengthsAreCaughtOrSwallowNoMoreThanArrived(List<Frame> frames, List<Integer> chunks) {
        byte[] all = concat(frames);
        List<RawMessage> out;
        try {
            out = frame(WireArbitraries.cut(all, chunks));
        } catch (PgProtocolException expected) {
            assertTrue(expected.getMessage().contains("lost synchronization with server: got message type \""),
                    expected.getMessage());
            return;
        }
        // Up to the first lie the messages come out as they were sent.
        for (int i = 0; i < out.size() && frames.get(i).lie() == 0; i++) {
            assertArrayEquals(frames.get(i).payload(), out.get(i).payload());
        }
        assertTrue(out.stream().mapToLong(m -> 5 + m.payload().length).sum() <= all.length);
    }

    @Test
    void aLyingLengthAllocatesAboutWhatArrives() {
        Allocation.measure(() -> { }); // skipped, not falsified, where the JVM cannot count allocations
        theory(SEED, 40).forAll(ints(2 << 20, 1 << 30), ints(0, 3 << 20), longTypes())
                .checkAssert(WireFuzzTest::aLyingLengthAllocatesAboutWhatArrives);
    }

    private static void aLyingLengthAllocatesAboutWhatArrives(int claimed, int sent, char type) {
        int arriving = Math.min(sent, claimed - 5); // the message never completes
        byte[] stream = ByteBuffer.allocate(5 + arriving).put((byte) type).putInt(claimed).array();
        MessageFramer framer = new MessageFramer();
        long allocated = Allocation.measure(() -> {
            for (int i = 0; i < stream.length; i += 64 * 1024) {
                framer.feed(stream, i, Math.min(64 * 1024, stream.length - i));
            }
        });
        assertTrue(framer.isMidMessage());
        assertFalse(framer.hasNext());
        // A 1 MiB start that doubles as bytes come: at most about four times what came.
        assertTrue(allocated < 4L * arriving + (2 << 20), allocated + " bytes allocated for " + arriving
                + " that came of the " + claimed + " claimed");
    }

    // ---------------------------------------------------------------- the parser

    @Test
    void parserReturnsAMessageOrAProtocolError() {
        theory(SEED, 5000).forAll(WireArbitraries.typeByte(), payloads())
                .checkAssert(WireFuzzTest::parserReturnsAMessageOrAProtocolError);
    }

    private static void parserReturnsAMessageOrAProtocolError(byte type, byte[] payload) {
        char t = (char) (type & 0xff);
        try {
            assertNotNull(BackendMessageParser.parse(type, payload, StandardCharsets.UTF_8));
            assertTrue(PARSED_TYPES.indexOf(t) >= 0, "only a known type parses");
        } catch (PgProtocolException expected) {
            if (PARSED_TYPES.indexOf(t) < 0) {
                assertEquals("unexpected response from server; first received character was \"" + t + "\"\n",
                        expected.getMessage());
            } else {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }

    @Test
    void everyValidMessageParsesAndATornPayloadDoesNot() {
        theory(SEED, 1000).forAll(WireArbitraries.validMessage(), ints(1, 8))
                .checkAssert(WireFuzzTest::everyValidMessageParsesAndATornPayloadDoesNot);
    }

    private static void everyValidMessageParsesAndATornPayloadDoesNot(byte[] message, int cut) {
        byte type = message[0];
        byte[] payload = Arrays.copyOfRange(message, 5, message.length);
        assertNotNull(BackendMessageParser.parse(type, payload, StandardCharsets.UTF_8));
        byte[] padded = Arrays.copyOf(payload, payload.length + cut);
        byte[] cutShort = Arrays.copyOf(payload, Math.max(0, payload.length - cut));
        for (byte[] wrong : List.of(padded, cutShort)) {
            try {
                BackendMessageParser.parse(type, wrong, StandardCharsets.UTF_8);
                // Only CopyData takes any payload; a notice or a notification ignores bytes after
                // it, and a notice may lack its last terminator, as libpq reads them (and an empty
                // payload cannot be cut shorter).
                assertTrue(type == 'd' || type == 'N' || type == 'A' && wrong == padded
                                || wrong == cutShort && payload.length == 0,
                        "a payload of the wrong size parsed as '" + (char) type + "'");
            } catch (PgProtocolException expected) {
                assertFalse(expected.getMessage().isEmpty());
            }
        }
    }
}
