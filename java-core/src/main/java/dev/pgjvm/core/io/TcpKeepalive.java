package dev.pgjvm.core.io;

import dev.pgjvm.core.conninfo.ConnectionSettings;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;

/**
 * libpq's TCP keepalive options: keepalives (on unless 0), keepalives_idle, keepalives_interval
 * and keepalives_count (seconds, seconds, probes; 0 or unset leaves the system's default).
 * tcp_user_timeout has no Java socket option and is not applied.
 */
record TcpKeepalive(boolean enabled, int idle, int interval, int count) {
    static final TcpKeepalive DEFAULT = new TcpKeepalive(true, 0, 0, 0);
    /**
     * Whether jdk.net's socket options can be used: a launcher with a main module may leave the
     * module out of the boot layer (then the system's keepalive timings apply).
     */
    static final boolean JDK_NET = ModuleLayer.boot().findModule("jdk.net").isPresent();

    /** @throws dev.pgjvm.core.ConnInfoException for a value that is not an integer */
    static TcpKeepalive of(ConnectionSettings settings) {
        return new TcpKeepalive(settings.intOption("keepalives", 1) != 0, settings.intOption("keepalives_idle", 0),
                settings.intOption("keepalives_interval", 0), settings.intOption("keepalives_count", 0));
    }

    void applyTo(SocketChannel channel) throws IOException {
        channel.setOption(java.net.StandardSocketOptions.SO_KEEPALIVE, enabled);
        if (enabled && JDK_NET) {
            set(channel, ExtendedSocketOptions.TCP_KEEPIDLE, idle);
            set(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL, interval);
            set(channel, ExtendedSocketOptions.TCP_KEEPCOUNT, count);
        }
    }

    private static void set(SocketChannel channel, SocketOption<Integer> option, int value) throws IOException {
        if (value > 0 && channel.supportedOptions().contains(option)) {
            channel.setOption(option, value);
        }
    }
}
