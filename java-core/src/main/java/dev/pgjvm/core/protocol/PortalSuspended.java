package dev.pgjvm.core.protocol;

/** 's': Execute reached its row limit before the portal was exhausted. */
public record PortalSuspended() implements BackendMessage {
}
