package dev.pgjvm.core.io;

import dev.pgjvm.core.PgResult;
import dev.pgjvm.core.session.ProtocolMachine;
import dev.pgjvm.core.session.QueryResults;

/**
 * target_session_attrs, as libpq 14+ applies it once a host has completed start-up: read-write
 * and read-only look at whether the session is read-only (default_transaction_read_only or hot
 * standby), primary and standby at whether the server is in hot standby; prefer-standby wants a
 * standby on a first pass over the hosts and takes any server on a second. Servers from
 * PostgreSQL 14 on report what is needed at start-up (ParameterStatus); older ones are asked
 * with one query, as libpq asks.
 */
final class TargetSessionCheck {
    private final String attrs;
    private boolean secondPass;

    TargetSessionCheck(String attrs) {
        this.attrs = attrs == null || attrs.isEmpty() ? "any" : attrs;
    }

    /** prefer-standby found no standby: a second pass over the hosts takes any. True when there is one to make. */
    boolean startSecondPass() {
        if (attrs.equals("prefer-standby") && !secondPass) {
            secondPass = true;
            return true;
        }
        return false;
    }

    private boolean wantsReadOnlyState() {
        return attrs.equals("read-write") || attrs.equals("read-only");
    }

    private boolean wantsStandbyState() {
        return attrs.equals("primary") || attrs.equals("standby") || (attrs.equals("prefer-standby") && !secondPass);
    }

    /** The query whose one value the check needs, or null when the reported parameters answer it (or nothing is checked). */
    String query(ProtocolMachine machine) {
        if (wantsReadOnlyState() && (machine.parameterStatus("default_transaction_read_only") == null
                || machine.parameterStatus("in_hot_standby") == null)) {
            return "SHOW transaction_read_only";
        }
        if (wantsStandbyState() && machine.parameterStatus("in_hot_standby") == null) {
            return "SELECT pg_catalog.pg_is_in_recovery()";
        }
        return null;
    }

    /** The query's value ("on"/"off", "t"/"f"), or null when it failed. */
    static String answer(QueryResults results) {
        if (results.error() != null || results.lastResult() == null || results.lastResult().rows().isEmpty()) {
            return null;
        }
        Object value = new PgResult(results.lastResult()).rows(0, 1)[0][0];
        return value == null ? null : value.toString();
    }

    /**
     * Null when the session is one the caller wants; else libpq's reason for leaving the host.
     *
     * @param answer the value of {@link #query}'s query when one was needed
     */
    String rejection(ProtocolMachine machine, String answer) {
        if (wantsReadOnlyState()) {
            boolean readOnly = answer != null ? answer.equals("on")
                    : "on".equals(machine.parameterStatus("default_transaction_read_only"))
                    || "on".equals(machine.parameterStatus("in_hot_standby"));
            if (attrs.equals("read-write") && readOnly) {
                return "session is read-only";
            }
            if (attrs.equals("read-only") && !readOnly) {
                return "session is not read-only";
            }
        } else if (wantsStandbyState()) {
            boolean standby = answer != null ? answer.equals("t") : "on".equals(machine.parameterStatus("in_hot_standby"));
            if (attrs.equals("primary") && standby) {
                return "server is in hot standby mode";
            }
            if (!attrs.equals("primary") && !standby) {
                return "server is not in hot standby mode";
            }
        }
        return null;
    }
}
