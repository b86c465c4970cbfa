package dev.pgjvm.core.protocol;

/**
 * A message sent by the server, as listed in PostgreSQL's "Message Formats" chapter.
 * Sealed so that the session layer's switches are checked for exhaustiveness.
 */
public sealed interface BackendMessage permits
        AuthenticationRequest, BackendKeyData, ParameterStatus, ReadyForQuery, NegotiateProtocolVersion,
        RowDescription, DataRow, CommandComplete, EmptyQueryResponse,
        ErrorResponse, NoticeResponse, NotificationResponse,
        ParseComplete, BindComplete, CloseComplete, NoData, ParameterDescription, PortalSuspended,
        CopyInResponse, CopyOutResponse, CopyBothResponse, CopyData, CopyDone {
}
