package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.LaneGate;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Splits keys by lane and works on each lane's share while holding that lane, one lane at a time. */
final class LaneBatches {
    private LaneBatches() {
    }

    interface Work {
        void run(List<byte[]> keys) throws IOException;
    }

    static void forEachLane(LaneGate gate, List<byte[]> keys, Work work) throws IOException {
        List<List<byte[]>> byLane = split(gate, keys);
        for (int lane = 0; lane < byLane.size(); lane++) {
            List<byte[]> share = byLane.get(lane);
            if (share == null) {
                continue;
            }
            gate.hold(lane);
            try {
                work.run(share);
            } finally {
                gate.release(lane);
            }
        }
    }

    /** The keys of each lane, by lane index; null for a lane without any. */
    static List<List<byte[]>> split(LaneGate gate, List<byte[]> keys) {
        List<List<byte[]>> byLane = new ArrayList<>(gate.count());
        for (int i = 0; i < gate.count(); i++) {
            byLane.add(null);
        }
        for (byte[] key : keys) {
            int lane = gate.laneOf(key);
            if (byLane.get(lane) == null) {
                byLane.set(lane, new ArrayList<>());
            }
            byLane.get(lane).add(key);
        }
        return byLane;
    }
}
