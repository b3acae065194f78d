package io.eden.adapters.pgwire;

import io.eden.application.spi.tls.PemTls;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One interlay's PostgreSQL settings: the interlay's own {@code settings} win over the
 * adapter's {@code --option postgres.NAME=VALUE}.
 *
 * @param tls the server-side TLS context when a PEM cert and key are configured, else null
 */
record PgSettings(PoolMode poolMode, int poolSize, SSLContext tls, boolean tlsRequired, String authQuery,
                  int maxClientMessage, int connectTimeoutMillis, int poolWaitTimeoutMillis) {
    static final String DEFAULT_AUTH_QUERY = "SELECT rolname, rolpassword FROM pg_authid WHERE rolname = $1";
    static final int DEFAULT_POOL_SIZE = 20;
    /** PostgreSQL's own limit on a message (MaxAllocSize - 1). */
    static final int DEFAULT_MAX_CLIENT_MESSAGE = 0x3fffffff - 1;

    enum PoolMode { SESSION, TRANSACTION }

    static PgSettings of(Map<String, String> options, Map<String, String> interlaySettings, boolean interlayTls) {
        Map<String, String> all = new HashMap<>(options);
        all.putAll(interlaySettings);
        PoolMode mode = switch (all.getOrDefault("pool_mode", "session").toLowerCase(Locale.ROOT)) {
            case "session" -> PoolMode.SESSION;
            case "transaction" -> PoolMode.TRANSACTION;
            default -> throw new IllegalArgumentException("pool_mode must be session or transaction");
        };
        int poolSize = positive(all, "pool_size", DEFAULT_POOL_SIZE);
        int maxMessage = positive(all, "max_client_message_bytes", DEFAULT_MAX_CLIENT_MESSAGE);
        int connectTimeout = positive(all, "connect_timeout_ms", 5000);
        // as PgBouncer's query_wait_timeout: a client never waits for a pooled connection forever
        int poolWaitTimeout = positive(all, "pool_wait_timeout_ms", 120_000);
        String cert = all.get("tls_cert");
        String key = all.get("tls_key");
        SSLContext tls = null;
        if (cert != null || key != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("tls_cert and tls_key go together");
            }
            tls = loadTls(Path.of(cert), Path.of(key));
        }
        if (interlayTls && tls == null) {
            throw new IllegalArgumentException("the interlay asks for TLS: set tls_cert and tls_key (PEM files)");
        }
        return new PgSettings(mode, poolSize, tls, interlayTls, all.getOrDefault("auth_query", DEFAULT_AUTH_QUERY),
                maxMessage, connectTimeout, poolWaitTimeout);
    }

    private static int positive(Map<String, String> all, String name, int fallback) {
        String text = all.get(name);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value <= 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive integer");
        }
    }

    /** A TLS context from a PEM certificate chain and a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    static SSLContext loadTls(Path certFile, Path keyFile) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(PemTls.keyStore(certFile, keyFile), PemTls.keyPassword());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot load the TLS certificate/key: " + e.getMessage(), e);
        }
    }
}
