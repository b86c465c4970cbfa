package dev.pgjvm.core.testing;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Bytes allocated on the heap by one piece of code, counted by the JVM for the current thread:
 * exact whatever other threads or the garbage collector do meanwhile (unlike the heap's used
 * size), so a property can bound what a lying length word makes us allocate.
 */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** The bytes {@code code} allocated on this thread. */
    public static long measure(Runnable code) {
        assumeTrue(THREADS.isThreadAllocatedMemorySupported() && THREADS.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocations per thread");
        long before = THREADS.getCurrentThreadAllocatedBytes();
        code.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
