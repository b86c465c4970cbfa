package dev.pgjvm.core.auth;

/**
 * Where the password comes from when the server asks for one: the connection string, or the
 * .pgpass file. Asked lazily, so a trust-authenticated connection never reads .pgpass.
 */
@FunctionalInterface
public interface PasswordSource {
    /** The password, or null when none is known. */
    String password();

    static PasswordSource none() {
        return () -> null;
    }

    static PasswordSource of(String password) {
        return () -> password;
    }
}
