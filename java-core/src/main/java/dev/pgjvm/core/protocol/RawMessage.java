package dev.pgjvm.core.protocol;

/**
 * One whole backend message as cut out of the byte stream by {@link MessageFramer}: its type
 * byte and its payload (the bytes after the length word). The payload array is owned by the
 * message and handed on to the parsed record without copying.
 */
public record RawMessage(byte type, byte[] payload) {
    @Override
    public String toString() {
        return "RawMessage['" + (char) type + "', " + payload.length + " bytes]";
    }
}
