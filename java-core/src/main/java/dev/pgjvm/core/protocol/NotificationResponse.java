package dev.pgjvm.core.protocol;

/** 'A': a NOTIFY on a channel this session LISTENs to. */
public record NotificationResponse(int processId, String channel, String payload) implements BackendMessage {
}
