package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lanes of one interlay: per client identity, L lanes, each with one pipelined upstream
 * connection per side (the target's opens only once a route names a target). A key's slot
 * picks its lane; every command of a lane is written, in FIFO order, under the lane's lock.
 */
final class Lanes {
    final int count;
    final CommandTables tables = new CommandTables();
    final AtomicInteger sourceConnections = new AtomicInteger();
    final AtomicInteger targetConnections = new AtomicInteger();
    final AtomicInteger pinnedConnections = new AtomicInteger();
    final MirrorObserver mirrors;
    private final String interlayId;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final UpstreamHandshake handshake = new UpstreamHandshake(tables);
    private final Map<Identity, Lane[]> byIdentity = new ConcurrentHashMap<>();

    Lanes(String interlayId, ProxySettings settings, ProxyMetrics metrics, MirrorObserver mirrors) {
        this.interlayId = interlayId;
        this.settings = settings;
        this.metrics = metrics;
        this.count = settings.lanes();
        this.mirrors = mirrors;
    }

    /** One lane: its lock, and its connection to each side. */
    static final class Lane {
        final int index;
        final ReentrantLock lock;
        final UpstreamLink source;
        final UpstreamLink target;

        Lane(int index, ReentrantLock lock, UpstreamLink source, UpstreamLink target) {
            this.index = index;
            this.lock = lock;
            this.source = source;
            this.target = target;
        }

        UpstreamLink link(Side side) {
            return side == Side.SOURCE ? source : target;
        }
    }

    Lane[] forIdentity(Identity identity) {
        Lane[] lanes = byIdentity.get(identity);
        return lanes != null ? lanes : byIdentity.computeIfAbsent(identity, this::open);
    }

    private Lane[] open(Identity identity) {
        Lane[] lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            ReentrantLock lock = new ReentrantLock();
            String name = "interlay '" + interlayId + "' lane " + i;
            lanes[i] = new Lane(i, lock,
                    new UpstreamLink(name + " source", identity, lock, settings, metrics, sourceConnections,
                            UpstreamLink.DROP, handshake),
                    new UpstreamLink(name + " target", identity, lock, settings, metrics, targetConnections,
                            UpstreamLink.DROP, handshake));
        }
        return lanes; // the lane's lock is the lock of both its links: one FIFO order for both sides
    }

    /** A connection of its own for one client, for as long as its connection state lives. */
    UpstreamLink pinned(String clientName, Identity identity, UpstreamLink.Unsolicited unsolicited) {
        return new UpstreamLink("interlay '" + interlayId + "' " + clientName + " pinned", identity, new ReentrantLock(),
                settings, metrics, pinnedConnections, unsolicited, handshake);
    }

    void close() {
        List<Lane[]> all = new ArrayList<>(byIdentity.values());
        byIdentity.clear();
        for (Lane[] lanes : all) {
            for (Lane lane : lanes) {
                lane.source.close();
                lane.target.close();
            }
        }
    }
}
