package io.eden.application.service;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks an endpoint's protocol adapter whether it answers, remembering the answer briefly so
 * that a dashboard polling the API does not turn into a connection storm on the database.
 */
public final class EndpointHealthChecker {
    private static final Duration REMEMBER = Duration.ofSeconds(2);

    private record Seen(Health health, Instant at) {
    }

    private final ProtocolRegistry protocols;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    public EndpointHealthChecker(ProtocolRegistry protocols, Clock clock) {
        this.protocols = protocols;
        this.clock = clock;
    }

    public Health check(Endpoint endpoint) {
        Instant now = clock.instant();
        Seen last = seen.get(endpoint.id());
        if (last != null && last.at().plus(REMEMBER).isAfter(now)) {
            return last.health();
        }
        Health health;
        try {
            health = protocols.adapter(endpoint.protocol()).checkHealth(endpoint);
        } catch (RuntimeException e) {
            health = Health.UNHEALTHY;
        }
        seen.put(endpoint.id(), new Seen(health, now));
        return health;
    }

    public void forget(String endpointId) {
        seen.remove(endpointId);
    }
}
