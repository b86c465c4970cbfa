package dev.pgjvm.core.protocol;

/** 'p': a cleartext or "md5..." hashed password. Always encoded as UTF-8, like the start-up packet. */
public record PasswordMessage(String password) implements FrontendMessage {
    @Override
    public String toString() {
        return "PasswordMessage[***]";
    }
}
