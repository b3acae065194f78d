package io.eden.adapters.redis.support;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.ProtocolId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;
import redis.embedded.RedisServerBuilder;

/** A real Redis 7 server process (from org.signal:embedded-redis) on a free local port. */
public final class RealRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private RealRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts a server; {@code settings} are redis.conf lines such as {@code requirepass s3cret}. */
    public static RealRedis start(String... settings) {
        return startOn(freePort(), settings);
    }

    /** Starts a server on {@code port}, e.g. again where a stopped one was. */
    public static RealRedis startOn(int port, String... settings) {
        RedisServerBuilder builder = RedisServer.builder().port(port).setting("bind 127.0.0.1")
                .setting("save \"\"").setting("appendonly no");
        for (String setting : settings) {
            builder.setting(setting);
        }
        RedisServer server = builder.build();
        server.start();
        return new RealRedis(server, port);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Endpoint endpoint() {
        return endpoint("");
    }

    /** This server as an endpoint; {@code userInfo} like {@code :secret} or {@code user:secret}, or empty. */
    public Endpoint endpoint(String userInfo) {
        return endpoint("source", userInfo);
    }

    /** This server as an endpoint named {@code id}. */
    public Endpoint endpoint(String id, String userInfo) {
        String at = userInfo.isEmpty() ? "" : userInfo + "@";
        return new Endpoint(id, EndpointUri.parse("redis://" + at + "127.0.0.1:" + port), ProtocolId.REDIS);
    }

    /** A client straight to the server, bypassing Eden: to check what actually landed there. */
    public Jedis direct() {
        return new Jedis("127.0.0.1", port);
    }

    @Override
    public void close() {
        server.stop();
    }
}
