package dev.pgjvm.core.testing;

import dev.pgjvm.core.PgConnection;
import dev.pgjvm.core.PollingStatus;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Driving a connection's non-blocking steps the way a caller with its own event loop does. */
public final class Polling {
    private Polling() {
    }

    /**
     * Steps until OK, waiting with a Selector on the socket for what each step asks: the steps
     * taken. More than {@code maxSteps} fails the test.
     */
    public static List<PollingStatus> waitUntilOk(PgConnection c, Supplier<PollingStatus> step, int maxSteps)
            throws IOException {
        List<PollingStatus> steps = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            while (true) {
                PollingStatus status = step.get();
                steps.add(status);
                if (status == PollingStatus.OK) {
                    return steps;
                }
                assertTrue(steps.size() < maxSteps, "no end in sight");
                // A selector wants the channel non-blocking, which is how the driver leaves it.
                SelectionKey key = c.socketChannel().register(selector,
                        status == PollingStatus.READING ? SelectionKey.OP_READ : SelectionKey.OP_WRITE);
                selector.select(1000);
                key.cancel();
                selector.selectNow();
            }
        }
    }
}
