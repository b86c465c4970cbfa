package dev.pgjvm.core.tls;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The client's key manager for one handshake, recording what sslcertmode=require asks about:
 * whether the server requested a certificate, and whether one was sent. It hands out the
 * client certificate of sslcert/sslkey when there is one (and sslcertmode is not disable).
 */
public final class CertificateRequest extends X509ExtendedKeyManager {
    private final X509KeyManager delegate;
    private volatile boolean requested;
    private volatile boolean sent;

    CertificateRequest(X509KeyManager delegate) {
        this.delegate = delegate;
    }

    /** Whether the server asked for a client certificate during the handshake. */
    public boolean requested() {
        return requested;
    }

    /** Whether the client answered with one. */
    public boolean sent() {
        return sent;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        requested = true;
        String alias = delegate == null ? null
                : delegate instanceof X509ExtendedKeyManager x ? x.chooseEngineClientAlias(keyType, issuers, engine)
                : delegate.chooseClientAlias(keyType, issuers, null);
        sent = alias != null;
        return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return chooseEngineClientAlias(keyType, issuers, null);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return delegate == null ? null : delegate.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return delegate == null ? null : delegate.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
