package dev.pgjvm.core.tls;

import dev.pgjvm.core.PgConnectionException;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * sslmode=verify-full's check that the server's certificate names the host connected to, with
 * libpq's rules: the subjectAltName DNS names (a leading "*." matches one label), the
 * subjectAltName IP addresses when the host is an IP address, and the subject's Common Name only
 * when the certificate has no DNS name. The host is the one given (host=), not hostaddr=.
 */
public final class HostNameCheck {
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    private HostNameCheck() {
    }

    /** @throws PgConnectionException when the certificate does not name the host, in libpq's words */
    public static void verify(X509Certificate certificate, String host) {
        if (host == null || host.isEmpty()) {
            throw new PgConnectionException("host name must be specified for a verified SSL connection\n");
        }
        byte[] hostAddress = ipLiteral(host);
        List<String> names = new ArrayList<>();
        // libpq 14+: the Common Name counts unless a subjectAltName of the host's own kind is
        // there (a dNSName for a name, an iPAddress for an address).
        boolean checkCommonName = true;
        for (List<?> san : subjectAltNames(certificate)) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (type == DNS_NAME) {
                names.add(value);
                checkCommonName &= hostAddress != null;
                if (dnsNameMatches(value, host)) {
                    return; // compared as text, whatever the host is
                }
            } else if (type == IP_ADDRESS) {
                byte[] address = ipLiteral(value);
                names.add(address == null ? value : inetNtop(address));
                if (hostAddress != null) {
                    checkCommonName = false;
                    if (java.util.Arrays.equals(hostAddress, address)) {
                        return;
                    }
                }
            }
        }
        if (checkCommonName) {
            String cn = commonName(certificate);
            if (cn != null) {
                names.add(cn);
                if (dnsNameMatches(cn, host)) {
                    return;
                }
            }
        }
        if (names.isEmpty()) {
            throw new PgConnectionException("could not get server's host name from server certificate\n");
        }
        int others = names.size() - 1;
        throw new PgConnectionException("server certificate for \"" + names.get(0) + "\""
                + (others == 0 ? "" : " (and " + others + (others == 1 ? " other name)" : " other names)"))
                + " does not match host name \"" + host + "\"\n");
    }

    /** An address as inet_ntop writes it: dotted IPv4; IPv6 in hex groups, the longest run of zero groups as "::". */
    static String inetNtop(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** A certificate name against the host: case-insensitive; "*.example.com" matches exactly one label. */
    static boolean dnsNameMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    /** The address of an IPv4 or IPv6 literal, or null when the text is a name (never looked up). */
    static byte[] ipLiteral(String text) {
        boolean v4 = text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = text.indexOf(':') >= 0 && text.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static Collection<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            return names == null ? List.of() : names;
        } catch (CertificateParsingException e) {
            return List.of();
        }
    }

    private static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return String.valueOf(rdn.getValue());
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }
}
