package dev.pgjvm.core.session;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Maps PostgreSQL encoding names (as the server reports client_encoding, or as a user may spell
 * them) to Java charsets. Names are compared ignoring case, '-' and '_', as the server does.
 * LATIN6 and LATIN8 map to java-core's own {@link SingleByteCharset}s (the JDK has neither).
 */
public final class PgEncodings {
    private static final Map<String, String> JAVA_NAMES = new HashMap<>();
    /** The charsets the JDK lacks, by their Java name: java-core's own (SingleByteCharset). */
    private static final Map<String, Charset> OWN = Map.of(
            SingleByteCharset.ISO_8859_10.name(), SingleByteCharset.ISO_8859_10,
            SingleByteCharset.ISO_8859_14.name(), SingleByteCharset.ISO_8859_14);

    static {
        // SQL_ASCII means "no conversion": the bytes are whatever clients stored. Decoding them as
        // UTF-8 with replacement keeps ASCII exact and never fails on the rest.
        put("SQL_ASCII", "UTF-8");
        put("UTF8", "UTF-8");
        put("UNICODE", "UTF-8");
        put("LATIN1", "ISO-8859-1");
        put("LATIN2", "ISO-8859-2");
        put("LATIN3", "ISO-8859-3");
        put("LATIN4", "ISO-8859-4");
        put("LATIN5", "ISO-8859-9");
        put("LATIN6", SingleByteCharset.ISO_8859_10.name());
        put("LATIN7", "ISO-8859-13");
        put("LATIN8", SingleByteCharset.ISO_8859_14.name());
        put("LATIN9", "ISO-8859-15");
        put("LATIN10", "ISO-8859-16");
        put("ISO_8859_5", "ISO-8859-5");
        put("ISO_8859_6", "ISO-8859-6");
        put("ISO_8859_7", "ISO-8859-7");
        put("ISO_8859_8", "ISO-8859-8");
        put("WIN866", "IBM866");
        put("ALT", "IBM866");
        put("WIN874", "x-windows-874");
        put("WIN1250", "windows-1250");
        put("WIN1251", "windows-1251");
        put("WIN", "windows-1251");
        put("WIN1252", "windows-1252");
        put("WIN1253", "windows-1253");
        put("WIN1254", "windows-1254");
        put("WIN1255", "windows-1255");
        put("WIN1256", "windows-1256");
        put("WIN1257", "windows-1257");
        put("WIN1258", "windows-1258");
        put("TCVN", "windows-1258");
        put("KOI8R", "KOI8-R");
        put("KOI8", "KOI8-R");
        put("KOI8U", "KOI8-U");
        put("EUC_JP", "EUC-JP");
        put("EUC_CN", "GB2312");
        put("EUC_KR", "EUC-KR");
        put("EUC_TW", "x-EUC-TW");
        // Microsoft's variant, as Python's codec for SJIS (cp932) and the server's tables have
        // it: plain Shift_JIS lacks the NEC and IBM rows and decodes them as U+FFFD.
        put("SJIS", "windows-31j");
        put("SHIFT_JIS", "windows-31j");
        put("BIG5", "Big5");
        put("GBK", "GBK");
        put("GB18030", "GB18030");
        put("UHC", "x-windows-949");
        put("JOHAB", "x-Johab");
    }

    private PgEncodings() {
    }

    private static void put(String pgName, String javaName) {
        JAVA_NAMES.put(normalize(pgName), javaName);
    }

    private static String normalize(String name) {
        StringBuilder sb = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '-' && c != '_') {
                sb.append(c);
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }

    /** The Java charset for a PostgreSQL encoding name, when this JVM has one. */
    public static Optional<Charset> charsetFor(String pgName) {
        if (pgName == null) {
            return Optional.empty();
        }
        String javaName = JAVA_NAMES.get(normalize(pgName));
        if (javaName != null && OWN.containsKey(javaName)) {
            return Optional.of(OWN.get(javaName));
        }
        if (javaName == null || !Charset.isSupported(javaName)) {
            return Optional.empty();
        }
        return Optional.of(Charset.forName(javaName));
    }

    /** Like {@link #charsetFor} but falls back to UTF-8 (lenient) for names we cannot map. */
    public static Charset charsetOrUtf8(String pgName) {
        return charsetFor(pgName).orElse(StandardCharsets.UTF_8);
    }
}
