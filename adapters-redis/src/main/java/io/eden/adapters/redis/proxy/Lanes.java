package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lanes of one interlay: per client identity, L lanes over C pipelined upstream connections
 * per side (lane {@code i} on connection {@code i mod C}; the target's open only once a route
 * names a target). A key's slot picks its lane; every command of a lane is written, in FIFO
 * order, under the lane's lock, and its mirror in the other side's connection of the same lane
 * before the lock is let go, so both sides hold each lane's commands in one order. Lanes that
 * share a connection interleave on it, which changes no key's order (a key has one lane). Lane
 * {@code i} has one lock for every identity, so holding it and draining lane {@code i} (its
 * commands in flight, counted per lane on a shared connection) of every identity orders a
 * barrier (a multi-lane command, a copy batch) against all writes of its slots, whoever sent
 * them. One connection per side is the default: a round of commands for many lanes then leaves
 * in one write, and Redis reads and answers it in one go.
 */
final class Lanes {
    final int count;
    final CommandTables tables = new CommandTables();
    final ScriptCache scripts = new ScriptCache();
    final AtomicInteger sourceConnections = new AtomicInteger();
    final AtomicInteger targetConnections = new AtomicInteger();
    final AtomicInteger pinnedConnections = new AtomicInteger();
    /** Client commands taken so far: the copier yields while this moves. */
    final LongAdder clientCommands = new LongAdder();
    volatile MirrorObserver mirrors = MirrorObserver.NONE;
    private final LaneLock[] locks;
    private final String interlayId;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    final UpstreamHandshake handshake = new UpstreamHandshake(tables);
    private final Map<Identity, Lane[]> byIdentity = new ConcurrentHashMap<>();

    Lanes(String interlayId, ProxySettings settings, ProxyMetrics metrics) {
        this.interlayId = interlayId;
        this.settings = settings;
        this.metrics = metrics;
        this.count = settings.lanes();
        this.locks = new LaneLock[count];
        for (int i = 0; i < count; i++) {
            locks[i] = new LaneLock();
        }
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
        int connections = settings.connectionsPerSide();
        UpstreamLink[] sources = new UpstreamLink[connections];
        UpstreamLink[] targets = new UpstreamLink[connections];
        for (int c = 0; c < connections; c++) {
            String name = "interlay '" + interlayId + "' connection " + c;
            // a connection's own lock orders the writes of the lanes that share it; a lane's lock is taken first
            sources[c] = new UpstreamLink(name + " source", identity, new ReentrantLock(), settings, metrics,
                    sourceConnections, UpstreamLink.DROP, handshake, count);
            targets[c] = new UpstreamLink(name + " target", identity, new ReentrantLock(), settings, metrics,
                    targetConnections, UpstreamLink.DROP, handshake, count);
        }
        Lane[] lanes = new Lane[count];
        for (int i = 0; i < count; i++) {
            lanes[i] = new Lane(i, locks[i], sources[i % connections], targets[i % connections]);
        }
        return lanes;
    }

    int laneOf(int slot) {
        return slot % count;
    }

    void lock(int lane) {
        locks[lane].lock();
    }

    /**
     * Takes the lane for Eden's own work (copy, validation) without losing every race to barging
     * clients; true when clients held it at the first try (they are busy on it).
     */
    boolean lockFirst(int lane) {
        return locks[lane].lockFirst();
    }

    /**
     * A lane's lock. Clients take it for microseconds, and under pipelined load one of them
     * almost always barges in the moment it is free, before a thread queued for it wakes up:
     * Eden's own holds (copy, validation) starved for seconds. They try instead, often.
     */
    static final class LaneLock extends ReentrantLock {
        private static final long RETRY_NANOS = 20_000;

        boolean lockFirst() {
            if (tryLock()) {
                return false;
            }
            do {
                java.util.concurrent.locks.LockSupport.parkNanos(RETRY_NANOS);
            } while (!tryLock());
            return true;
        }
    }

    void unlock(int lane) {
        locks[lane].unlock();
    }

    boolean heldByCurrentThread(int lane) {
        return locks[lane].isHeldByCurrentThread();
    }

    /**
     * Sends what every identity has buffered on the held lanes, then waits until none of their
     * connections on either side has a command in flight; the caller holds those lanes' locks.
     */
    void drain(boolean[] held) {
        List<Lane[]> all = new ArrayList<>(byIdentity.values());
        for (Lane[] lanes : all) {
            for (int i = 0; i < held.length; i++) {
                if (held[i]) {
                    lanes[i].source.flush();
                    lanes[i].target.flush();
                }
            }
        }
        for (Lane[] lanes : all) {
            for (int i = 0; i < held.length; i++) {
                if (held[i]) {
                    lanes[i].source.awaitIdle(i);
                    lanes[i].target.awaitIdle(i);
                }
            }
        }
    }

    /** The age of the oldest command still unanswered on {@code side}, over every lane. */
    long oldestInflightNanos(Side side) {
        long now = System.nanoTime();
        long oldest = 0;
        for (Lane[] lanes : byIdentity.values()) {
            for (Lane lane : lanes) {
                oldest = Math.max(oldest, lane.link(side).oldestInflightNanos(now));
            }
        }
        return oldest;
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
