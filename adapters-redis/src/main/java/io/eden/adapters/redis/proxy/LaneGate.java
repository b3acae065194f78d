package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.HashSlot;
import io.eden.domain.routing.Side;
import java.util.concurrent.TimeUnit;

/**
 * The lanes of one interlay as data movement sees them: which lane a key is in, and a hold on
 * a lane that no write of its slots, on either side and from any client, can pass. The copier
 * and the validator work on their own connections inside such holds; the clients' mirrored
 * writes are reported to the {@link MirrorObserver} set here.
 */
public final class LaneGate {
    final Lanes lanes;

    public LaneGate(String interlayId, ProxySettings settings, ProxyMetrics metrics) {
        this.lanes = new Lanes(interlayId, settings, metrics);
        metrics.upstreamConnections(interlayId, "source", lanes.sourceConnections::get);
        metrics.upstreamConnections(interlayId, "target", lanes.targetConnections::get);
        metrics.upstreamConnections(interlayId, "pinned", lanes.pinnedConnections::get);
    }

    public int count() {
        return lanes.count;
    }

    public int laneOf(byte[] key) {
        return lanes.laneOf(HashSlot.of(key));
    }

    /**
     * Takes lane {@code lane} (blocking its clients' sends) and waits until every write sent on it
     * before has its reply on both sides. Release it on the same thread.
     *
     * @return whether clients were using the lane when the hold began
     */
    public boolean hold(int lane) {
        boolean contended = lanes.lockFirst(lane);
        boolean[] held = new boolean[lanes.count];
        held[lane] = true;
        try {
            lanes.drain(held);
        } catch (RuntimeException e) {
            lanes.unlock(lane);
            throw e;
        }
        return contended;
    }

    public void release(int lane) {
        lanes.unlock(lane);
    }

    /** Whether the calling thread holds {@code lane}. */
    public boolean holds(int lane) {
        return lanes.heldByCurrentThread(lane);
    }

    /**
     * While a migration runs, connections to its target log in with the target endpoint's own
     * credentials (clients authenticate against the source); null ends that.
     */
    public void vouchFor(io.eden.domain.model.Endpoint target) {
        lanes.handshake.vouchFor(target);
    }

    public void observe(MirrorObserver observer) {
        lanes.mirrors = observer == null ? MirrorObserver.NONE : observer;
    }

    /** Commands the interlay's clients have sent so far (any identity, lanes or pinned). */
    public long clientCommands() {
        return lanes.clientCommands.sum();
    }

    /** How long the oldest command sent to {@code side} on the lanes has waited for its reply, in ms. */
    public long oldestInflightMillis(Side side) {
        return TimeUnit.NANOSECONDS.toMillis(lanes.oldestInflightNanos(side));
    }
}
