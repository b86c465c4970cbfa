package dev.pgjvm.core.auth;

import dev.pgjvm.core.ConnInfoException;

import java.util.EnumSet;
import java.util.Set;

/**
 * libpq 16's require_auth: the authentication requests the server may make (password, md5,
 * gss, sspi, scram-sha-256, and none for letting the client in unasked), or, each after a "!",
 * those it may not. A list of allowed methods also requires that the server authenticate the
 * client, unless it holds "none"; a list of refused ones does not, unless it holds "!none".
 */
public final class RequireAuth {
    /** The requests require_auth speaks of. */
    public enum Request { PASSWORD, MD5, GSS, SSPI, SASL }

    private final String raw;
    private final Set<Request> allowed;
    private final boolean authRequired;

    private RequireAuth(String raw, Set<Request> allowed, boolean authRequired) {
        this.raw = raw;
        this.allowed = allowed;
        this.authRequired = authRequired;
    }

    /**
     * The rules of a require_auth value; null when it is unset or empty (anything goes).
     *
     * @throws ConnInfoException for a value libpq refuses, in its words
     */
    public static RequireAuth parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Set<Request> allowed = EnumSet.noneOf(Request.class);
        boolean required = true;
        boolean negated = false;
        boolean first = true;
        for (String part : value.split(",", -1)) {
            String method = part;
            if (method.startsWith("!")) {
                if (first) {
                    allowed = EnumSet.allOf(Request.class);
                    required = false;
                } else if (!negated) {
                    throw new ConnInfoException("negative require_auth method \"" + method
                            + "\" cannot be mixed with non-negative methods\n");
                }
                negated = true;
                method = method.substring(1);
            } else if (negated) {
                throw new ConnInfoException("require_auth method \"" + method + "\" cannot be mixed with negative methods\n");
            }
            first = false;
            if (method.equals("none")) {
                if (required == negated) {
                    throw duplicate(part);
                }
                required = negated;
                continue;
            }
            Request request = switch (method) {
                case "password" -> Request.PASSWORD;
                case "md5" -> Request.MD5;
                case "gss" -> Request.GSS;
                case "sspi" -> Request.SSPI;
                case "scram-sha-256" -> Request.SASL;
                default -> throw new ConnInfoException("invalid require_auth value: \"" + method + "\"\n");
            };
            if (negated ? !allowed.remove(request) : !allowed.add(request)) {
                throw duplicate(part);
            }
        }
        return new RequireAuth(value, allowed, required);
    }

    private static ConnInfoException duplicate(String part) {
        return new ConnInfoException("require_auth method \"" + part + "\" is specified more than once\n");
    }

    public boolean allows(Request request) {
        return allowed.contains(request);
    }

    /** Whether the server must have authenticated the client before AuthenticationOk. */
    public boolean authRequired() {
        return authRequired;
    }

    /** The value as given, for error messages. */
    public String raw() {
        return raw;
    }
}
