package dev.pgjvm.core.protocol;

/** Asks the server to switch to TLS; it answers with the single byte 'S' or 'N'. */
public record SSLRequest() implements FrontendMessage {
    public static final int CODE = 80877103;
}
