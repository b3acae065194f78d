package io.eden.adapters.redis.proxy;

import io.eden.domain.model.EndpointUri;
import java.util.Locale;

/**
 * Where a Redis endpoint listens and whether it speaks TLS; deliberately without the
 * credentials of the URI, so it can go into any message.
 */
public record UpstreamAddress(String host, int port, boolean tls) {
    public static final int DEFAULT_PORT = 6379;

    public static UpstreamAddress of(EndpointUri uri) {
        return new UpstreamAddress(uri.host(), uri.portOr(DEFAULT_PORT),
                uri.scheme().toLowerCase(Locale.ROOT).equals("rediss"));
    }

    @Override
    public String toString() {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
