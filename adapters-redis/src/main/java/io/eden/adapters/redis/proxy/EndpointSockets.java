package io.eden.adapters.redis.proxy;

import io.eden.domain.model.Endpoint;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;

/** Sockets to an endpoint for Eden's own work (copy, validation), opened as the proxy opens its own. */
public final class EndpointSockets {
    private EndpointSockets() {
    }

    /** A connected socket (TLS for {@code rediss://}); reads time out after {@code readTimeout}, ZERO for never. */
    public static Socket open(Endpoint endpoint, ProxySettings settings, Duration readTimeout) throws IOException {
        return UpstreamConnector.connect(UpstreamAddress.of(endpoint.uri()), settings.upstreamConnectTimeout(),
                readTimeout, settings.upstreamTls());
    }

    /** A short reason for a failed connection, without credentials. */
    public static String reason(IOException e) {
        return UpstreamConnector.reason(e);
    }
}
