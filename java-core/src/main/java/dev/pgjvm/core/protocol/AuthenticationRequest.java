package dev.pgjvm.core.protocol;

/** 'R': the server's authentication requests, AuthenticationOk among them. */
public sealed interface AuthenticationRequest extends BackendMessage permits
        AuthenticationOk, AuthenticationKerberosV5, AuthenticationCleartextPassword,
        AuthenticationMD5Password, AuthenticationGSS, AuthenticationGSSContinue, AuthenticationSSPI,
        AuthenticationSASL, AuthenticationSASLContinue, AuthenticationSASLFinal {
}
