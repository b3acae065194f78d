package io.eden.bootstrap.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;
import redis.embedded.RedisServerBuilder;

/** A real redis-server on a free loopback port, without persistence, for one test class. */
public final class RealRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;
    private final String password;

    private RealRedis(RedisServer server, int port, String password) {
        this.server = server;
        this.port = port;
        this.password = password;
    }

    public static RealRedis start() {
        return start(null);
    }

    /** Starts a server that requires {@code password} when it is not null. */
    public static RealRedis start(String password) {
        return startOn(freePort(), password);
    }

    /** Starts a server on the given port (e.g. again where a killed one listened). */
    public static RealRedis startOn(int port, String password) {
        RedisServerBuilder builder = RedisServer.builder().port(port).setting("bind 127.0.0.1")
                .setting("save \"\"").setting("appendonly no");
        if (password != null) {
            builder.setting("requirepass " + password);
        }
        RedisServer server = builder.build();
        server.start();
        return new RealRedis(server, port, password);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** A client talking to this server directly, not through Eden. */
    public Jedis direct() {
        Jedis jedis = new Jedis("127.0.0.1", port);
        if (password != null) {
            jedis.auth(password);
        }
        return jedis;
    }

    /**
     * Kills the server with SIGKILL, as a crash would: clients see their connections drop, with
     * no reply to what they had sent. {@link #close()} afterwards is harmless.
     */
    public void kill() {
        try {
            java.lang.reflect.Field field = null;
            for (Class<?> type = server.getClass(); field == null && type != null; type = type.getSuperclass()) {
                field = java.util.Arrays.stream(type.getDeclaredFields())
                        .filter(f -> f.getName().equals("redisProcess")).findFirst().orElse(null);
            }
            if (field == null) {
                throw new NoSuchFieldException("redisProcess");
            }
            field.setAccessible(true);
            Process process = (Process) field.get(server);
            process.destroyForcibly().waitFor();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the redis-server process of embedded-redis", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        server.stop();
    }

    @Override
    public void close() {
        server.stop();
    }
}
