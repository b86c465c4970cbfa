package dev.pgjvm.core.protocol;

/**
 * A message sent by the client, as listed in PostgreSQL's "Message Formats" chapter.
 * {@link FrontendEncoder} turns one into wire bytes.
 */
public sealed interface FrontendMessage permits
        StartupMessage, SSLRequest, GSSENCRequest, CancelRequest,
        PasswordMessage, SASLInitialResponse, SASLResponse,
        Query, Terminate, Parse, Bind, Describe, Execute, Sync, Flush, Close,
        CopyData, CopyDone, CopyFail {
}
