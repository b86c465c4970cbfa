package dev.pgjvm.core.io;

import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * The operating-system file descriptor behind a {@link SocketChannel} (libpq's PQsocket), for
 * callers outside Java that wait on it with select()/poll(): it must be the real fd.
 *
 * <p>The JDK keeps it in the internal {@code sun.nio.ch.SelChImpl#getFDVal()}; reaching it
 * needs {@code --add-exports/--add-opens java.base/sun.nio.ch=ALL-UNNAMED} (bin/pg-python
 * passes them). Without them the descriptor is unknown and -1 is returned.
 */
public final class SocketDescriptors {
    private static final Method GET_FD_VAL = lookup();

    private SocketDescriptors() {
    }

    private static Method lookup() {
        try {
            Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The fd of an open channel, or -1 when the JDK does not let us see it. */
    public static int fdOf(SocketChannel channel) {
        if (GET_FD_VAL == null || channel == null || !channel.isOpen()) {
            return -1;
        }
        try {
            return (Integer) GET_FD_VAL.invoke(channel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
