package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespLimits;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the Redis proxy treats its peers.
 *
 * @param clientLimits           what a client may send before it is told {@code Protocol error}
 * @param upstreamConnectTimeout how long an upstream connection may take to open
 * @param healthTimeout          the connect and read timeout of a health check
 * @param lanes                  how many lanes: the units of FIFO order, of a barrier and of a copy's hold
 * @param maxClients             client connections an interlay accepts; more get Redis's own refusal
 * @param clientOutputLimit      reply bytes queued for one client before it counts as a slow reader and is disconnected
 * @param inflightRequestBudget  request bytes all clients together may hold before they are forwarded; readers wait beyond it
 * @param clientTls              the certificate TLS interlays serve, if one is configured
 * @param upstreamTls            whom {@code rediss://} endpoints must prove themselves to
 * @param upstreamConnections    pipelined upstream connections per side and identity that the lanes share (lane
 *                               {@code i} uses connection {@code i mod n}); at most {@code lanes} are opened
 */
public record ProxySettings(RespLimits clientLimits, Duration upstreamConnectTimeout, Duration healthTimeout,
                            int lanes, int maxClients, long clientOutputLimit, long inflightRequestBudget,
                            Optional<ClientTls> clientTls, UpstreamTls upstreamTls, int upstreamConnections) {
    public static final int DEFAULT_LANES = 16;
    public static final int MAX_LANES = 1024;
    /**
     * One connection per side, as nutcracker: every lane's commands of a round leave in one write
     * and Redis reads and answers them in one go. With one connection per lane a round touching
     * 13 lanes cost Redis 13 reads and 13 writes instead of one each, twice its CPU per command.
     */
    public static final int DEFAULT_UPSTREAM_CONNECTIONS = 1;
    public static final ProxySettings DEFAULTS = new ProxySettings(RespLimits.DEFAULTS,
            Duration.ofSeconds(5), Duration.ofSeconds(2));

    public ProxySettings {
        Objects.requireNonNull(clientLimits, "clientLimits is null");
        Objects.requireNonNull(clientTls, "clientTls is null");
        Objects.requireNonNull(upstreamTls, "upstreamTls is null");
        requirePositive("upstreamConnectTimeout", upstreamConnectTimeout);
        requirePositive("healthTimeout", healthTimeout);
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes must be between 1 and " + MAX_LANES + ", got " + lanes);
        }
        if (upstreamConnections < 1 || upstreamConnections > 1024) {
            throw new IllegalArgumentException("upstream-connections must be between 1 and 1024, got "
                    + upstreamConnections);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("max-clients must be positive, got " + maxClients);
        }
        if (clientOutputLimit < 1024) {
            throw new IllegalArgumentException("client-output-limit must be at least 1kb, got " + clientOutputLimit);
        }
        if (inflightRequestBudget < 1024 * 1024) {
            throw new IllegalArgumentException("inflight-request-budget must be at least 1mb, got " + inflightRequestBudget);
        }
    }

    public ProxySettings(RespLimits clientLimits, Duration upstreamConnectTimeout, Duration healthTimeout) {
        this(clientLimits, upstreamConnectTimeout, healthTimeout, DEFAULT_LANES, 10_000, 1L << 30,
                Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4), Optional.empty(), UpstreamTls.JDK_DEFAULTS,
                DEFAULT_UPSTREAM_CONNECTIONS);
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name + " is null");
        if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be positive and below 24 days");
        }
    }

    /** Connections per side and identity the lanes actually use: never more than there are lanes. */
    public int connectionsPerSide() {
        return Math.min(upstreamConnections, lanes);
    }

    public ProxySettings withUpstreamConnections(int count) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, maxClients,
                clientOutputLimit, inflightRequestBudget, clientTls, upstreamTls, count);
    }

    public ProxySettings withClientLimits(RespLimits limits) {
        return new ProxySettings(limits, upstreamConnectTimeout, healthTimeout, lanes, maxClients, clientOutputLimit,
                inflightRequestBudget, clientTls, upstreamTls, upstreamConnections);
    }

    public ProxySettings withLanes(int count) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, count, maxClients,
                clientOutputLimit, inflightRequestBudget, clientTls, upstreamTls, upstreamConnections);
    }

    public ProxySettings withMaxClients(int count) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, count,
                clientOutputLimit, inflightRequestBudget, clientTls, upstreamTls, upstreamConnections);
    }

    public ProxySettings withClientOutputLimit(long bytes) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, maxClients, bytes,
                inflightRequestBudget, clientTls, upstreamTls, upstreamConnections);
    }

    public ProxySettings withInflightRequestBudget(long bytes) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, maxClients,
                clientOutputLimit, bytes, clientTls, upstreamTls, upstreamConnections);
    }

    public ProxySettings withClientTls(ClientTls tls) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, maxClients,
                clientOutputLimit, inflightRequestBudget, Optional.of(tls), upstreamTls, upstreamConnections);
    }

    public ProxySettings withUpstreamTls(UpstreamTls tls) {
        return new ProxySettings(clientLimits, upstreamConnectTimeout, healthTimeout, lanes, maxClients,
                clientOutputLimit, inflightRequestBudget, clientTls, tls, upstreamConnections);
    }
}
