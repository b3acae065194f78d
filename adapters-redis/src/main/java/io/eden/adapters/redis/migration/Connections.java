package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.domain.model.Endpoint;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** One thread's connections to both sides of a migration, one per side and database, opened on first use. */
final class Connections implements AutoCloseable {
    private final Endpoint source;
    private final Endpoint target;
    private final ProxySettings settings;
    private final long largestReply;
    private final Map<Long, RedisConnection> open = new HashMap<>();

    Connections(Endpoint source, Endpoint target, ProxySettings settings) {
        this(source, target, settings, RedisConnection.LARGEST_REPLY);
    }

    /** @param largestReply replies longer than this fail with {@link RedisConnection.ReplyTooLarge} */
    Connections(Endpoint source, Endpoint target, ProxySettings settings, long largestReply) {
        this.source = source;
        this.target = target;
        this.settings = settings;
        this.largestReply = largestReply;
    }

    RedisConnection get(Side side, int db) throws IOException {
        long slot = ((long) db << 1) | (side == Side.SOURCE ? 0 : 1);
        RedisConnection connection = open.get(slot);
        if (connection == null) {
            connection = RedisConnection.open(side == Side.SOURCE ? source : target, db, settings, largestReply);
            open.put(slot, connection);
        }
        return connection;
    }

    Endpoint endpoint(Side side) {
        return side == Side.SOURCE ? source : target;
    }

    /** Forgets every connection, e.g. after one broke: the next use opens fresh ones. */
    @Override
    public void close() {
        open.values().forEach(RedisConnection::close);
        open.clear();
    }
}
