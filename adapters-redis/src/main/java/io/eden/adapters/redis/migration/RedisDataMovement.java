package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.proxy.LaneGate;
import io.eden.adapters.redis.proxy.MirrorObserver;
import io.eden.adapters.redis.proxy.ProxySettings;
import io.eden.application.spi.DataMovement;
import io.eden.application.spi.DataMovementRequest;
import io.eden.application.spi.EndpointUnavailableException;
import io.eden.application.spi.ValidationReport;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.MigrationProgress;
import io.eden.domain.routing.HashSlot;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data movement of one Redis interlay: the copy (resumed from its checkpoints), the check
 * of every mirrored write with the migration's {@code failure_handling}, the repair of keys
 * known to differ, and validation on request. Its thread copies, then repairs until closed.
 */
public final class RedisDataMovement implements DataMovement, MirrorObserver {
    private static final Logger LOG = LoggerFactory.getLogger(RedisDataMovement.class);
    private static final int FAILURES_BEFORE_REPORT = 3;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int REPAIR_BATCH = 500;

    private final DataMovementRequest request;
    private final String name;
    private final LaneGate gate;
    private final ProxySettings proxy;
    private final MovementSettings settings;
    private final IntFunction<Side> authority;
    private final CopyProgress progress = new CopyProgress();
    private final Repairs repairs = new Repairs();
    private final AtomicLong mirrorErrors = new AtomicLong();
    private final AtomicBoolean failureReported = new AtomicBoolean();
    private final Thread worker;
    private volatile boolean closed;
    /** Whether checkpoints of an earlier run were found: the copy goes on from them. */
    private boolean resumed;

    private RedisDataMovement(DataMovementRequest request, LaneGate gate, ProxySettings proxy,
                              MovementSettings settings, IntFunction<Side> authority) {
        this.request = request;
        this.name = "migration '" + request.migration().id() + "' interlay '" + request.assignment().interlayId() + "'";
        this.gate = gate;
        this.proxy = proxy;
        this.settings = settings;
        this.authority = authority;
        this.worker = Thread.ofPlatform().daemon().name("eden-redis-move-" + request.assignment().interlayId())
                .unstarted(this::work);
    }

    /**
     * Starts moving: from here on mirrored writes are checked here and the target is logged in to
     * with its own credentials.
     *
     * @param authority the side that holds the truth for a slot now (the route's write side)
     */
    public static RedisDataMovement start(DataMovementRequest request, LaneGate gate, ProxySettings proxy,
                                          MovementSettings settings, IntFunction<Side> authority) {
        RedisDataMovement movement = new RedisDataMovement(request, gate, proxy, settings, authority);
        movement.resumed = movement.progress.resume(request.checkpoints());
        gate.vouchFor(request.target());
        gate.observe(movement);
        movement.worker.start();
        return movement;
    }

    private void work() {
        boolean resumed = this.resumed;
        if (request.migration().data().type() == DataMode.Type.NONE) {
            progress.complete = true; // nothing to copy: the target starts as it is
        }
        if (progress.complete) {
            request.events().copyCompleted();
        }
        int failures = 0;
        try (Connections connections = new Connections(request.source(), request.target(), proxy,
                settings.bigKeyBytes())) {
            while (!closed) {
                try {
                    if (!progress.complete) {
                        LOG.info("Redis {}: {} the copy", name, resumed ? "resuming" : "starting");
                        copier(connections).run(resumed);
                        if (progress.complete) {
                            request.events().copyCompleted();
                        }
                    }
                    repair(connections);
                    failures = 0;
                    if (repairs.isEmpty()) {
                        LockSupport.parkNanos(this, IDLE_NANOS);
                    }
                } catch (IOException | RuntimeException e) {
                    connections.close();
                    resumed = true;
                    failures++;
                    String reason = e instanceof IOException io ? io.getMessage() : e.toString();
                    LOG.warn("Redis {}: copy interrupted ({} in a row): {}", name, failures, reason);
                    if (failures >= FAILURES_BEFORE_REPORT) {
                        reportFailure("copying to the target failed: " + reason);
                    }
                    LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(Math.min(2000, 200L * failures)));
                }
            }
        } finally {
            if (!progress.complete) {
                progress.save(request.checkpoints());
            }
        }
    }

    private Copier copier(Connections connections) {
        return new Copier(name, gate, connections,
                absolute -> new KeyCopier(request.migration().data().replace(), absolute),
                request.migration().data().replace(), settings, progress,
                request.checkpoints(), () -> closed, errors -> {
                    LOG.warn("Redis {}: copy errors: {}", name, errors);
                    reportFailure("the target refused copied keys: " + errors.get(0));
                }, () -> {
                    try {
                        repair(connections);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    /** Copies keys known to differ again, from the side that holds the truth. */
    private void repair(Connections connections) throws IOException {
        List<Repairs.Repair> batch = repairs.take(REPAIR_BATCH);
        if (batch.isEmpty()) {
            return;
        }
        Map<String, List<Repairs.Repair>> groups = new LinkedHashMap<>();
        for (Repairs.Repair r : batch) {
            groups.computeIfAbsent(r.db() + "/" + r.truth(), g -> new ArrayList<>()).add(r);
        }
        KeyCopier copier = new KeyCopier(DataMode.Replace.REPLACE,
                KeyCopier.knowsExpireTime(connections.get(Side.SOURCE, 0)));
        int maxAttempts = request.migration().failureHandling() instanceof FailureHandling.RetryThenAll retry
                ? Math.max(1, retry.retryCount()) : settings.repairAttempts();
        for (List<Repairs.Repair> group : groups.values()) {
            int db = group.get(0).db();
            Side truth = group.get(0).truth();
            List<byte[]> keys = new ArrayList<>(group.size());
            group.forEach(r -> keys.add(r.key()));
            List<String> errors = new ArrayList<>();
            try {
                errors.addAll(new KeyMover(gate, connections, copier, new BigKeyCopier(DataMode.Replace.REPLACE))
                        .move(db, truth, keys).errors());
            } catch (IOException e) {
                connections.close();
                errors.add(e.getMessage());
            }
            if (!errors.isEmpty()) {
                boolean givenUp = false;
                for (Repairs.Repair r : group) {
                    givenUp |= !repairs.retry(r, maxAttempts);
                }
                if (givenUp) {
                    reportFailure("keys could not be repaired on the " + truth.other().name().toLowerCase()
                            + " after " + maxAttempts + " attempts: " + errors.get(0));
                }
            }
        }
    }

    @Override
    public void mirrored(Side mirrorSide, int db, byte[] key, byte[] authoritative, byte[] mirror) {
        // a script the other side never saw loaded: the key is copied again, nothing is lost
        boolean failed = MirrorObserver.failed(authoritative, mirror) && !startsWith(mirror, "-NOSCRIPT");
        if (failed) {
            mirrorErrors.incrementAndGet();
        } else if (java.util.Arrays.equals(authoritative, mirror)) {
            return;
        }
        if (failed && request.migration().failureHandling() instanceof FailureHandling.RollbackAll) {
            // before the repair is queued: its attempts fail at once against a dead side, and the
            // first failure reported is the one the user reads; the cause is this write
            reportFailure("a write mirrored to the " + mirrorSide.name().toLowerCase() + " failed: " + firstLine(mirror));
        }
        if (key != null) {
            // under best_effort a write the authoritative side refused but the mirror took lives on the mirror's side
            boolean onlyMirrorTookIt = MirrorObserver.isError(authoritative) && !MirrorObserver.isError(mirror);
            repairs.add(db, key, onlyMirrorTookIt ? mirrorSide : mirrorSide.other());
            LockSupport.unpark(worker);
        }
    }

    @Override
    public void needsRepair(int db, byte[] key, Side truth) {
        repairs.add(db, key, truth);
        LockSupport.unpark(worker);
    }

    private void reportFailure(String reason) {
        if (failureReported.compareAndSet(false, true)) {
            LOG.warn("Redis {}: {}", name, reason);
            // On a thread of its own: the host may roll back and close this movement, which must not
            // wait on the thread that noticed the failure (a lane's reader, or this movement's worker).
            Thread.ofVirtual().name("eden-redis-failure-" + request.assignment().interlayId())
                    .start(() -> request.events().failed(reason));
        }
    }

    private static boolean startsWith(byte[] reply, String prefix) {
        return reply.length >= prefix.length()
                && new String(reply, 0, prefix.length(), StandardCharsets.US_ASCII).equals(prefix);
    }

    private static String firstLine(byte[] reply) {
        String text = new String(reply, StandardCharsets.UTF_8).strip();
        return text.startsWith("-") || text.startsWith("!") ? text.substring(1) : text;
    }

    @Override
    public MigrationProgress progress() {
        long lag = Math.max(gate.oldestInflightMillis(Side.SOURCE), gate.oldestInflightMillis(Side.TARGET));
        return new MigrationProgress(progress.scanned.get(), progress.copied.get(),
                Math.max(progress.totalEstimate.get(), progress.copied.get()), progress.bytes.get(), progress.rate(),
                progress.etaSeconds(), mirrorErrors.get(), repairs.divergent(), progress.complete, lag);
    }

    @Override
    public ValidationReport validate() {
        try (Connections connections = new Connections(request.source(), request.target(), proxy)) {
            Validator.Result result = new Validator(gate, connections, settings.ttlToleranceMillis()).validate();
            List<String> first = new ArrayList<>();
            for (Validator.Difference d : result.differences()) {
                if (first.size() < 20) {
                    first.add(d.describe());
                }
                repairs.add(d.db(), d.key(), authority.apply(HashSlot.of(d.key())));
            }
            LockSupport.unpark(worker);
            return new ValidationReport(result.at(), result.compared(), result.differences().size(), first);
        } catch (IOException e) {
            throw new EndpointUnavailableException("validation of " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        gate.observe(null);
        gate.vouchFor(null);
        LockSupport.unpark(worker);
        if (Thread.currentThread() == worker) {
            return;
        }
        try {
            worker.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
