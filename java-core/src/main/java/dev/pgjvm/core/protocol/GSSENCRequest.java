package dev.pgjvm.core.protocol;

/** Asks the server to switch to GSSAPI encryption; it answers with the single byte 'G' or 'N'. */
public record GSSENCRequest() implements FrontendMessage {
    public static final int CODE = 80877104;
}
