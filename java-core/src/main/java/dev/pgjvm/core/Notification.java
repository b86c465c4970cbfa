package dev.pgjvm.core;

/**
 * A NOTIFY received on a channel the session LISTENs to ({@link PgConnection#drainNotifications()}):
 * the notifying backend's process id, the channel, and the payload ("" when none was given).
 */
public record Notification(int pid, String channel, String payload) {
}
