package io.eden.adapters.pgwire;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transaction-mode server connection pools of one interlay (one per endpoint, user and
 * database), and the auth-query connections that read the servers' own password verifiers.
 */
final class Pools {
    private final PgListener listener;
    private final ConcurrentHashMap<String, Pool> pools = new ConcurrentHashMap<>();
    private final Map<String, ServerLink> authLinks = new HashMap<>();
    private volatile boolean closed;

    Pools(PgListener listener) {
        this.listener = listener;
    }

    Pool pool(Endpoint endpoint, String user, String database) {
        String key = endpoint.id() + '\u0000' + endpoint.uri().unredacted() + '\u0000' + user + '\u0000' + database;
        return pools.computeIfAbsent(key, k -> new Pool(listener, endpoint, user, database));
    }

    /**
     * The verifier ({@code rolpassword}) of a role, read with the endpoint's own credentials;
     * null when the role does not exist or has no password.
     */
    String verifier(Endpoint endpoint, String user) throws IOException {
        String key = endpoint.uri().unredacted();
        synchronized (authLinks) {
            if (closed) {
                throw new IOException("the interlay is closing");
            }
            for (int attempt = 0; ; attempt++) {
                ServerLink link = authLinks.get(key);
                try {
                    if (link == null) {
                        link = openAuthLink(endpoint.uri());
                        authLinks.put(key, link);
                    }
                    List<String[]> rows = link.query(listener.settings.authQuery(), user);
                    return rows.isEmpty() || rows.get(0).length < 2 ? null : rows.get(0)[1];
                } catch (ServerLink.ServerError e) {
                    throw e;
                } catch (IOException e) {
                    authLinks.remove(key);
                    if (link != null) {
                        link.close();
                    }
                    if (attempt > 0) {
                        throw e;
                    }
                }
            }
        }
    }

    private ServerLink openAuthLink(EndpointUri uri) throws IOException {
        ServerLink link = ServerLink.open(uri, listener.settings.connectTimeoutMillis());
        try {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            String user = uri.user().orElse("postgres");
            params.put("user", user);
            params.put("database", uri.database().isEmpty() ? user : uri.database());
            params.put("application_name", "eden-auth-query");
            link.login(params, ServerLink.Secret.password(uri.password().orElse(null)));
            return link;
        } catch (IOException | RuntimeException e) {
            link.close();
            throw e;
        }
    }

    void close() {
        closed = true;
        synchronized (authLinks) {
            authLinks.values().forEach(ServerLink::close);
            authLinks.clear();
        }
        pools.values().forEach(Pool::close);
    }
}
