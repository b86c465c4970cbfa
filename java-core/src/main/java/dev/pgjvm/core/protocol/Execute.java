package dev.pgjvm.core.protocol;

/** 'E': run a portal; maxRows 0 means no limit. */
public record Execute(String portalName, int maxRows) implements FrontendMessage {
}
