package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.LaneGate;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.application.spi.DataMovementRequest.Checkpoints;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the source with SCAN, database by database, and copies each batch of keys lane by lane
 * while holding the lane ({@link LaneBatches}), so a client's write of a key is either before
 * its copy (and in it) or after (and mirrored on top of it). The cursor is checkpointed after
 * every batch that is on the target, at most a few times a second.
 */
final class Copier {
    private static final Logger LOG = LoggerFactory.getLogger(Copier.class);
    private static final long CHECKPOINT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final String name;
    private final LaneGate gate;
    private final Connections connections;
    private final KeyCopierFactory copiers;
    private final MovementSettings settings;
    private final CopyProgress progress;
    private final Checkpoints checkpoints;
    private final BooleanSupplier stopped;
    private final Consumer<List<String>> copyErrors;
    private final Runnable betweenBatches;
    private final BigKeyCopier bigKeys;
    private long lastCheckpoint = System.nanoTime();
    private long throttleStart = System.nanoTime();
    private long throttleKeys;

    /** Makes the key copier once the source's abilities are known. */
    interface KeyCopierFactory {
        KeyCopier create(boolean absoluteExpiry);
    }

    Copier(String name, LaneGate gate, Connections connections, KeyCopierFactory copiers,
           io.eden.domain.model.DataMode.Replace replace, MovementSettings settings,
           CopyProgress progress, Checkpoints checkpoints, BooleanSupplier stopped,
           Consumer<List<String>> copyErrors, Runnable betweenBatches) {
        this.name = name;
        this.gate = gate;
        this.connections = connections;
        this.copiers = copiers;
        this.settings = settings;
        this.progress = progress;
        this.checkpoints = checkpoints;
        this.stopped = stopped;
        this.copyErrors = copyErrors;
        this.betweenBatches = betweenBatches;
        this.bigKeys = new BigKeyCopier(replace);
    }

    /** Copies what is left; returns when the copy is complete or the movement stopped. */
    void run(boolean resumed) throws IOException {
        RedisConnection probe = connections.get(Side.SOURCE, 0);
        KeyCopier copier = copiers.create(KeyCopier.knowsExpireTime(probe));
        SortedMap<Integer, Long> databases = Keyspace.of(probe);
        if (!resumed) {
            progress.totalEstimate.set(databases.values().stream().mapToLong(Long::longValue).sum());
            copyFunctions(probe, connections.get(Side.TARGET, 0));
            progress.save(checkpoints);
        }
        for (Map.Entry<Integer, Long> database : databases.entrySet()) {
            int db = database.getKey();
            if (db < progress.db) {
                continue; // copied before a restart
            }
            if (db != progress.db) {
                progress.db = db;
                progress.cursor = "0";
            }
            copyDatabase(db, copier);
            if (stopped.getAsBoolean()) {
                return;
            }
        }
        progress.complete = true;
        progress.save(checkpoints);
        LOG.info("Redis {}: copy complete: {} keys scanned, {} copied, {} bytes", name, progress.scanned.get(),
                progress.copied.get(), progress.bytes.get());
    }

    private void copyDatabase(int db, KeyCopier copier) throws IOException {
        do {
            RedisConnection source = connections.get(Side.SOURCE, db);
            RedisConnection target = connections.get(Side.TARGET, db);
            ScanPage page = ScanPage.read(source, progress.cursor, settings.batchKeys());
            List<byte[]> keys = page.keys();
            progress.scanned.addAndGet(keys.size());
            try {
                copyPipelined(copier, source, target, keys).forEach(this::record);
            } catch (RedisConnection.ReplyTooLarge bigKey) {
                // a key of this batch is over copy-big-key-bytes: key by key, the big ones in pieces
                connections.close();
                record(new KeyMover(gate, connections, copier, bigKeys).move(db, Side.SOURCE, keys));
            }
            progress.cursor = page.next();
            checkpoint();
            throttle(keys.size());
            betweenBatches.run();
        } while (!"0".equals(progress.cursor) && !stopped.getAsBoolean());
    }

    /**
     * Copies a batch lane by lane with two lanes in flight: while the target restores one lane's
     * keys, the source dumps the next lane's. Each lane is held from its DUMPs until its
     * RESTOREs are answered, so at most two lanes wait for the copier at any time.
     */
    private List<KeyCopier.Outcome> copyPipelined(KeyCopier copier, RedisConnection source, RedisConnection target,
                                                  List<byte[]> keys) throws IOException {
        List<KeyCopier.Outcome> outcomes = new ArrayList<>();
        List<List<byte[]>> byLane = LaneBatches.split(gate, keys);
        long started = System.nanoTime();
        long clientCommands = gate.clientCommands();
        boolean clientsBusy = false;
        int previousLane = -1;
        KeyCopier.Pending previous = null;
        try {
            for (int lane = 0; lane < byLane.size(); lane++) {
                List<byte[]> share = byLane.get(lane);
                if (share == null) {
                    continue;
                }
                clientsBusy |= gate.hold(lane);
                copier.requestDumps(source, share);
                source.flush();
                if (previous != null) {
                    outcomes.add(copier.finish(target, previous));
                    previous = null;
                    gate.release(previousLane);
                    previousLane = -1;
                }
                previousLane = lane;
                previous = copier.restore(source, target, share);
                target.flush();
            }
            if (previous != null) {
                outcomes.add(copier.finish(target, previous));
            }
            return outcomes; // counted only once the whole batch is on the target
        } finally {
            for (int lane = 0; lane < byLane.size(); lane++) {
                if (gate.holds(lane)) {
                    gate.release(lane);
                }
            }
            if (clientsBusy || gate.clientCommands() != clientCommands) {
                yieldToClients(System.nanoTime() - started);
            }
        }
    }

    /**
     * While clients are busy (they sent commands during the batch, or were on a lane when it was
     * taken), the copier pauses after each batch for copy-client-share times the batch's time: a
     * client's pipeline that touches a held lane waits for the hold, and the copy's DUMPs and
     * RESTOREs take the same cores as the clients' commands, so a copier that never paused would
     * set the pace for every client.
     */
    private void yieldToClients(long batchNanos) {
        if (settings.clientShare() > 0) {
            LockSupport.parkNanos(this, (long) (batchNanos * settings.clientShare()));
        }
    }

    private void record(KeyCopier.Outcome outcome) {
        progress.copied.addAndGet(outcome.copied() + outcome.deleted() + outcome.skipped());
        progress.bytes.addAndGet(outcome.bytes());
        if (!outcome.errors().isEmpty()) {
            copyErrors.accept(outcome.errors());
        }
    }

    /** Functions (Redis 7) go first: keys may be written by FCALLs the moment routing mirrors them. */
    private void copyFunctions(RedisConnection source, RedisConnection target) throws IOException {
        RespValue dump = source.call("FUNCTION", "DUMP");
        if (dump instanceof BulkString payload) {
            RespValue restored = target.call(List.of("FUNCTION".getBytes(), "RESTORE".getBytes(), payload.bytes(),
                    "REPLACE".getBytes()));
            if (restored instanceof RespValue.SimpleError error) {
                copyErrors.accept(List.of("FUNCTION RESTORE failed: " + error.text()));
            }
        }
    }

    private void checkpoint() {
        long now = System.nanoTime();
        if (now - lastCheckpoint >= CHECKPOINT_EVERY_NANOS) {
            progress.save(checkpoints);
            lastCheckpoint = now;
        }
    }

    private void throttle(int keys) {
        if (settings.rateLimit() <= 0) {
            return;
        }
        throttleKeys += keys;
        long due = throttleStart + (long) (throttleKeys * 1e9 / settings.rateLimit());
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (throttleKeys > 1_000_000) {
            throttleStart = System.nanoTime();
            throttleKeys = 0;
        }
    }
}
