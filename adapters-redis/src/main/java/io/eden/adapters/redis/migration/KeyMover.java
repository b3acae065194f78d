package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.LaneGate;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies given keys from one side to the other, each lane's share under the lane's hold, with
 * one DUMP per key; a key whose DUMP is over the connections' reply limit is copied in pieces
 * instead ({@link BigKeyCopier}). Used for the batches the copier could not copy in one go and
 * for repairs.
 */
final class KeyMover {
    private final LaneGate gate;
    private final Connections connections;
    private final KeyCopier copier;
    private final BigKeyCopier bigKeys;

    KeyMover(LaneGate gate, Connections connections, KeyCopier copier, BigKeyCopier bigKeys) {
        this.gate = gate;
        this.connections = connections;
        this.copier = copier;
        this.bigKeys = bigKeys;
    }

    /** Copies {@code keys} of database {@code db} from {@code from} to the other side. */
    KeyCopier.Outcome move(int db, Side from, List<byte[]> keys) throws IOException {
        int[] counts = new int[3];
        long[] bytes = new long[1];
        List<String> errors = new ArrayList<>();
        LaneBatches.forEachLane(gate, keys, share -> {
            for (byte[] key : share) {
                KeyCopier.Outcome outcome = moveOne(db, from, key);
                counts[0] += outcome.copied();
                counts[1] += outcome.deleted();
                counts[2] += outcome.skipped();
                bytes[0] += outcome.bytes();
                errors.addAll(outcome.errors());
            }
        });
        return new KeyCopier.Outcome(counts[0], counts[1], counts[2], bytes[0], errors);
    }

    private KeyCopier.Outcome moveOne(int db, Side from, byte[] key) throws IOException {
        try {
            return copier.copy(connections.get(from, db), connections.get(from.other(), db), List.of(key));
        } catch (RedisConnection.ReplyTooLarge tooLarge) {
            connections.close(); // the connection stopped in the middle of the reply
            long bytes = bigKeys.copy(connections.get(from, db), connections.get(from.other(), db), key);
            return new KeyCopier.Outcome(1, 0, 0, bytes, List.of());
        }
    }
}
