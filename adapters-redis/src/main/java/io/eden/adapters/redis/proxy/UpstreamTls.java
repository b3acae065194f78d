package io.eden.adapters.redis.proxy;

import io.eden.application.spi.tls.PemTls;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS towards {@code rediss://} endpoints: the server's certificate must chain to a trusted CA
 * and name the endpoint's host. Trusted are the JDK's CAs plus, with {@code redis.tls-ca-file},
 * the ones of a PEM bundle (a private CA, a managed service's own).
 */
public final class UpstreamTls {
    /** The JDK's trust store alone; made on first use, as most deployments never connect with TLS. */
    public static final UpstreamTls JDK_DEFAULTS = new UpstreamTls(UpstreamTls::defaultContext, "the JDK's trust store");

    private final Supplier<SSLContext> context;
    private final String trusted;

    private UpstreamTls(Supplier<SSLContext> context, String trusted) {
        this.context = context;
        this.trusted = trusted;
    }

    /** @throws IllegalArgumentException naming the file when it holds no usable certificate */
    public static UpstreamTls trusting(Path caBundle) {
        KeyStore store = PemTls.trustStore(caBundle);
        try {
            for (X509Certificate authority : jdkTrustManager().getAcceptedIssuers()) {
                store.setCertificateEntry("jdk-" + store.size(), authority);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return new UpstreamTls(() -> context, "the JDK's trust store and " + caBundle);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot trust the CAs in " + caBundle + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the client side of the handshake on a connected socket, bounded by {@code timeout}:
     * a server that accepts TCP but never answers TLS must not hang the caller.
     *
     * @throws IOException whose message says in words why the server was not accepted
     */
    Socket handshake(Socket plain, UpstreamAddress address, Duration timeout) throws IOException {
        SSLSocket tls = (SSLSocket) context.get().getSocketFactory().createSocket(plain, address.host(),
                address.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name this host (RFC 2818/6125)
        tls.setSSLParameters(parameters);
        int readTimeout = plain.getSoTimeout();
        tls.setSoTimeout((int) timeout.toMillis());
        try {
            tls.startHandshake();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("TLS: no handshake reply from " + address + " within " + timeout.toMillis()
                    + " ms (is it a TLS port? plain-text servers take redis://)");
        } catch (SSLException e) {
            throw new SSLException(UpstreamTlsFailure.explain(e, address, trusted), e);
        }
        tls.setSoTimeout(readTimeout);
        return new TlsSocket(tls, plain);
    }

    @Override
    public String toString() {
        return "TLS trusting " + trusted;
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JDK", e);
        }
    }

    private static X509TrustManager jdkTrustManager() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null); // the JDK's cacerts, or javax.net.ssl.trustStore when set
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("the JDK offers no X.509 trust manager");
    }
}
