package io.eden.adapters.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.port.out.ConcurrentUpdateException;
import io.eden.domain.model.DataMode;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.InterlayAssignment;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import io.eden.domain.model.PhaseChange;
import io.eden.domain.model.ProtocolId;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import io.eden.domain.model.WritePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every store must do, whatever the database. A subclass names one fresh, empty store
 * per test; the same URI and data directory open it again (a restart).
 */
abstract class StoreContract {
    /** The endpoint password the tests store; nothing logged or thrown may contain it. */
    static final String ENDPOINT_PASSWORD = "Endpoint-S3cret:/@%+ é&=?#";
    static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

    @TempDir
    Path dataDir;
    String storeUri;
    PersistenceStore store;

    /** A URI (null for the default) naming a fresh, empty store for this test. */
    protected abstract String freshStoreUri() throws Exception;

    /** The store's own password, if any; nothing logged or thrown may contain it. */
    protected Optional<String> storePassword() {
        return Optional.empty();
    }

    @BeforeEach
    void openStore() throws Exception {
        storeUri = freshStoreUri();
        store = PersistenceStore.open(storeUri, dataDir);
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    PersistenceStore reopen() {
        store.close();
        store = null;
        store = PersistenceStore.open(storeUri, dataDir);
        return store;
    }

    /** A plain JDBC connection to the store, beside the pool (the pool may be closed). */
    Connection rawConnection() throws SQLException {
        StoreLocation location = StoreLocation.parse(storeUri, dataDir);
        return DriverManager.getConnection(location.jdbcUrl(), location.user().orElse(null),
                location.password().orElse(null));
    }

    // ---- fixtures ----

    static Endpoint endpoint(String id, String uri) {
        return new Endpoint(id, EndpointUri.parse(uri),
                uri.startsWith("redis") ? ProtocolId.REDIS : ProtocolId.POSTGRES);
    }

    static Endpoint secretEndpoint() {
        String encoded = java.net.URLEncoder.encode(ENDPOINT_PASSWORD, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
        return endpoint("secret", "postgres://app:" + encoded + "@db.internal:5432/orders?sslmode=require");
    }

    static Migration migration(String id, Strategy strategy, DataMode data, FailureHandling failure, Phase phase,
                               Optional<String> reason, Map<String, InterlayAssignment> interlays,
                               Instant created, Instant updated) {
        return new Migration(id, "move " + id + " — ünïcode", strategy, data, failure, phase, reason, interlays,
                created, updated);
    }

    static Map<String, InterlayAssignment> assignments(String... interlayIds) {
        Map<String, InterlayAssignment> map = new LinkedHashMap<>();
        for (String interlay : interlayIds) {
            map.put(interlay, new InterlayAssignment(interlay, "src-" + interlay, "dst-" + interlay));
        }
        return map;
    }

    /** Every variant of every sealed or enum part, each at least once, with odd instants and orders. */
    static List<Migration> everyVariant() {
        List<Double> reads = List.of(0.0, 0.1, 1.0 / 3, 1.0, Double.MIN_VALUE, Math.nextDown(1.0));
        List<WriteMode> writes = new ArrayList<>();
        for (WritePolicy policy : WritePolicy.values()) {
            writes.add(new WriteMode.DualWrite(policy));
        }
        writes.addAll(List.of(new WriteMode.Cutover(0.0), new WriteMode.Cutover(0.1 + 0.2),
                new WriteMode.Cutover(1.0)));
        List<DataMode> data = new ArrayList<>();
        for (DataMode.Type type : DataMode.Type.values()) {
            for (DataMode.Replace replace : DataMode.Replace.values()) {
                data.add(new DataMode(type, replace));
            }
        }
        List<FailureHandling> failures = List.of(new FailureHandling.RollbackAll(), new FailureHandling.AllowPartial(),
                new FailureHandling.RetryThenAll(0), new FailureHandling.RetryThenAll(3),
                new FailureHandling.RetryThenAll(FailureHandling.MAX_RETRIES));
        List<Instant> instants = List.of(T0, Instant.ofEpochSecond(-1, 999_999_999), Instant.EPOCH,
                Instant.parse("2262-04-12T00:00:00.000000001Z"), Instant.parse("2025-01-01T00:00:00.5Z"));
        List<Map<String, InterlayAssignment>> interlays = List.of(Map.of(), assignments("zeta", "alpha", "mid"),
                assignments("one"));
        Phase[] phases = Phase.values();
        int count = Stream.of(reads.size(), writes.size(), data.size(), failures.size(), phases.length)
                .max(Integer::compare).orElseThrow();
        List<Migration> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant created = instants.get(i % instants.size());
            all.add(migration("m-" + (count - i), new Strategy.Canary(reads.get(i % reads.size()),
                            writes.get(i % writes.size())), data.get(i % data.size()),
                    failures.get(i % failures.size()), phases[i % phases.length],
                    i % 2 == 0 ? Optional.empty() : Optional.of("reason " + i),
                    interlays.get(i % interlays.size()), created, created.plusNanos(i * 1001L)));
        }
        return all;
    }

    static Interlay interlay(String id, Optional<String> endpoint, Map<String, String> settings) {
        return new Interlay(id, ProtocolId.REDIS, ListenAddress.parse("0.0.0.0:6379"), false, endpoint, settings);
    }

    // ---- endpoints ----

    @Test
    void endpointsComeBackInTheOrderTheyWereCreated() {
        List<Endpoint> created = List.of(endpoint("zz", "redis://cache:6379/0"), endpoint("aa", "redis://other"),
                endpoint("mm", "postgresql://u@pg:5433/db?sslmode=disable&application_name=x"),
                endpoint("v6", "redis://:p%20w@[::1]:7000/3"), endpoint("sp", "postgres://u@h/my%20db?x=%26y"));
        for (Endpoint e : created) {
            assertTrue(store.endpoints().insert(e));
        }
        assertEquals(created, store.endpoints().findAll());
        assertEquals(Optional.of(created.get(2)), store.endpoints().find("mm"));
        assertEquals(Optional.empty(), store.endpoints().find("nope"));
    }

    @Test
    void endpointPasswordSurvivesTheRoundTrip() {
        Endpoint secret = secretEndpoint();
        assertTrue(store.endpoints().insert(secret));

        Endpoint found = store.endpoints().find("secret").orElseThrow();
        assertEquals(secret, found);
        assertEquals(Optional.of(ENDPOINT_PASSWORD), found.uri().password());
        assertEquals(List.of(secret), reopen().endpoints().findAll());
    }

    @Test
    void duplicateEndpointIsRefusedAndTheFirstKept() {
        Endpoint first = endpoint("cache", "redis://first:6379");
        assertTrue(store.endpoints().insert(first));
        assertFalse(store.endpoints().insert(endpoint("cache", "redis://second:6379")));
        assertEquals(List.of(first), store.endpoints().findAll());
    }

    @Test
    void deleteRemovesOnlyWhatIsThere() {
        store.endpoints().insert(endpoint("a", "redis://a"));
        store.endpoints().insert(endpoint("b", "redis://b"));
        assertTrue(store.endpoints().delete("a"));
        assertFalse(store.endpoints().delete("a"));
        assertFalse(store.endpoints().delete("never"));
        assertEquals(List.of("b"), store.endpoints().findAll().stream().map(Endpoint::id).toList());
        // the id is free again, and the re-created endpoint goes last
        assertTrue(store.endpoints().insert(endpoint("a", "redis://a2")));
        assertEquals(List.of("b", "a"), store.endpoints().findAll().stream().map(Endpoint::id).toList());
    }

    // ---- interlays ----

    @Test
    void interlaysKeepSettingsAndOptionalEndpoint() {
        Interlay unbound = interlay("zz-unbound", Optional.empty(), Map.of());
        Interlay bound = new Interlay("aa-bound", ProtocolId.POSTGRES, ListenAddress.parse("[::1]:0"), true,
                Optional.of("pg1"), Map.of("pool_mode", "transaction", "max_clients", "1000", "empty", ""));
        assertTrue(store.interlays().insert(unbound));
        assertTrue(store.interlays().insert(bound));

        assertEquals(List.of(unbound, bound), store.interlays().findAll());
        assertEquals(Optional.of(bound), store.interlays().find("aa-bound"));
        assertEquals(Optional.empty(), store.interlays().find("nope"));
    }

    @Test
    void interlayUpdateReplacesEverything() {
        Interlay original = interlay("cache", Optional.empty(), Map.of("a", "1", "b", "2"));
        Interlay other = interlay("other", Optional.empty(), Map.of("a", "untouched"));
        store.interlays().insert(original);
        store.interlays().insert(other);

        Interlay changed = new Interlay("cache", ProtocolId.REDIS, ListenAddress.parse("127.0.0.1:7000"), true,
                Optional.of("redis-1"), Map.of("b", "3", "c", "4"));
        store.interlays().update(changed);
        assertEquals(List.of(changed, other), store.interlays().findAll());

        Interlay unbound = new Interlay("cache", ProtocolId.REDIS, changed.listen(), false, Optional.empty(), Map.of());
        store.interlays().update(unbound);
        assertEquals(Optional.of(unbound), store.interlays().find("cache"));
        assertEquals(Optional.of(other), store.interlays().find("other"));
    }

    @Test
    void interlayUpdateOfUnknownIdFails() {
        assertThrows(IllegalStateException.class,
                () -> store.interlays().update(interlay("ghost", Optional.empty(), Map.of("k", "v"))));
        assertEquals(List.of(), store.interlays().findAll());
    }

    @Test
    void duplicateInterlayIsRefusedAndTheFirstKept() {
        Interlay first = interlay("cache", Optional.empty(), Map.of("k", "first"));
        assertTrue(store.interlays().insert(first));
        assertFalse(store.interlays().insert(interlay("cache", Optional.of("e"), Map.of("k", "second", "x", "y"))));
        assertEquals(List.of(first), store.interlays().findAll());
    }

    // ---- migrations ----

    @Test
    void everyMigrationVariantComesBackEqual() {
        List<Migration> all = everyVariant();
        for (Migration m : all) {
            assertTrue(store.migrations().insert(m), m.id());
        }
        for (Migration m : all) {
            Migration found = store.migrations().find(m.id()).orElseThrow();
            assertEquals(m, found);
            assertEquals(m.updatedAt(), found.updatedAt());
            assertEquals(List.copyOf(m.interlays().keySet()), List.copyOf(found.interlays().keySet()),
                    "interlays keep their insertion order");
        }
        List<Migration> found = store.migrations().findAll();
        assertEquals(all, found);
        for (int i = 0; i < all.size(); i++) {
            assertEquals(List.copyOf(all.get(i).interlays().keySet()), List.copyOf(found.get(i).interlays().keySet()));
        }
        assertEquals(Optional.empty(), store.migrations().find("nope"));
    }

    @Test
    void negativeZeroPercentagesComeBackAsZeroOnEveryStore() {
        Migration m = migration("neg", new Strategy.Canary(-0.0, new WriteMode.Cutover(-0.0)), DataMode.DEFAULT,
                new FailureHandling.AllowPartial(), Phase.CUTTING_OVER, Optional.empty(), Map.of(), T0, T0);
        store.migrations().insert(m);
        Strategy found = store.migrations().find("neg").orElseThrow().strategy();
        assertEquals(new Strategy.Canary(0.0, new WriteMode.Cutover(0.0)), found, "+0.0, not -0.0");
    }

    @Test
    void updateStoresTheMigrationAndAppendsItsPhaseChangesInOrder() {
        Instant now = T0;
        Migration created = Migration.create("m1", "orders to new cluster",
                new Strategy.Canary(0.0, new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE)),
                DataMode.DEFAULT, new FailureHandling.RetryThenAll(5), now);
        assertTrue(store.migrations().insert(created));
        assertEquals(List.of(), store.migrations().history("m1"));

        List<PhaseChange> expected = new ArrayList<>();
        Migration current = created;
        List<Migration.Change> steps = new ArrayList<>();
        Migration.Change attach = current.attach(new InterlayAssignment("cache", "old", "new"), now.plusNanos(1));
        steps.add(attach);
        Migration.Change replicate = attach.migration().moveTo(Phase.REPLICATING, "copy started", now.plusNanos(2));
        steps.add(replicate);
        Migration.Change cutover = replicate.migration()
                .withStrategy(new Strategy.Canary(0.5, new WriteMode.Cutover(1.0)), now.plusMillis(3).plusNanos(7));
        steps.add(cutover);
        for (Migration.Change step : steps) {
            store.migrations().update(step.migration(), current.updatedAt(), step.phaseChanges());
            current = step.migration();
            expected.addAll(step.phaseChanges());
            assertEquals(Optional.of(current), store.migrations().find("m1"));
        }
        assertEquals(4, expected.size(), "pending->ready, ready->replicating, ->cutting_over, ->cut_over");
        assertEquals(Phase.CUT_OVER, current.phase());
        assertEquals(expected, store.migrations().history("m1"));
        assertEquals(expected, reopen().migrations().history("m1"));
        assertEquals(List.of(), store.migrations().history("other"));
    }

    @Test
    void staleUpdateFailsAndWritesNothing() {
        Migration created = Migration.create("m1", "", new Strategy.Canary(0.0,
                new WriteMode.DualWrite(WritePolicy.BEST_EFFORT)), DataMode.DEFAULT,
                new FailureHandling.RollbackAll(), T0);
        store.migrations().insert(created);

        // two callers read the same version; the first to write wins
        Migration.Change first = created.attach(new InterlayAssignment("a", "s", "t"), T0.plusNanos(10));
        Migration.Change second = created.moveTo(Phase.FAILED, "boom", T0.plusNanos(20));
        store.migrations().update(first.migration(), created.updatedAt(), first.phaseChanges());

        assertThrows(ConcurrentUpdateException.class,
                () -> store.migrations().update(second.migration(), created.updatedAt(), second.phaseChanges()));
        assertEquals(Optional.of(first.migration()), store.migrations().find("m1"));
        assertEquals(first.phaseChanges(), store.migrations().history("m1"));

        // one nanosecond off is a different version too
        Migration.Change third = first.migration().moveTo(Phase.FAILED, "x", T0.plusNanos(30));
        assertThrows(ConcurrentUpdateException.class, () -> store.migrations()
                .update(third.migration(), first.migration().updatedAt().plusNanos(1), third.phaseChanges()));
        assertThrows(ConcurrentUpdateException.class, () -> store.migrations()
                .update(third.migration(), first.migration().updatedAt().minusNanos(1), third.phaseChanges()));
        store.migrations().update(third.migration(), first.migration().updatedAt(), third.phaseChanges());
        assertEquals(Optional.of(third.migration()), store.migrations().find("m1"));
        assertEquals(2, store.migrations().history("m1").size());
    }

    @Test
    void ofConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String id = "race-" + round;
            Migration base = Migration.create(id, "", new Strategy.Canary(0.0,
                    new WriteMode.DualWrite(WritePolicy.OLD_AUTHORITATIVE)), DataMode.DEFAULT,
                    new FailureHandling.RollbackAll(), T0);
            store.migrations().insert(base);
            int threads = 6;
            java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(threads);
            List<Migration.Change> changes = new ArrayList<>();
            List<Object> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Migration.Change change = base.attach(new InterlayAssignment("i" + t, "s", "t"), T0.plusNanos(t + 1));
                changes.add(change);
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        barrier.await();
                        store.migrations().update(change.migration(), base.updatedAt(), change.phaseChanges());
                        outcomes.add(change);
                    } catch (Throwable e) {
                        outcomes.add(e);
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            List<Object> winners = outcomes.stream().filter(o -> o instanceof Migration.Change).toList();
            assertEquals(1, winners.size(), "outcomes: " + outcomes);
            outcomes.stream().filter(o -> !(o instanceof Migration.Change)).forEach(o ->
                    assertTrue(o instanceof ConcurrentUpdateException, "outcomes: " + outcomes));
            Migration.Change winner = (Migration.Change) winners.get(0);
            assertEquals(Optional.of(winner.migration()), store.migrations().find(id));
            assertEquals(winner.phaseChanges(), store.migrations().history(id));
        }
    }

    @Test
    void updateOfUnknownMigrationFails() {
        Migration ghost = everyVariant().get(0);
        assertThrows(IllegalStateException.class, () -> store.migrations().update(ghost, ghost.updatedAt(), List.of()));
        assertEquals(List.of(), store.migrations().findAll());
    }

    @Test
    void updateRefusesPhaseChangesOfAnotherMigration() {
        Migration m = everyVariant().get(0);
        store.migrations().insert(m);
        PhaseChange foreign = new PhaseChange("other", Phase.PENDING, Phase.READY, "", T0);
        assertThrows(IllegalArgumentException.class,
                () -> store.migrations().update(m, m.updatedAt(), List.of(foreign)));
        assertEquals(List.of(), store.migrations().history(m.id()));
    }

    @Test
    void duplicateMigrationIsRefusedAndNothingOfItStored() {
        List<Migration> variants = everyVariant();
        Migration first = variants.get(0);
        Migration clash = migration(first.id(), variants.get(1).strategy(), variants.get(1).data(),
                variants.get(1).failureHandling(), Phase.READY, Optional.of("clash"), assignments("x", "y"), T0, T0);
        assertTrue(store.migrations().insert(first));
        assertFalse(store.migrations().insert(clash));
        assertEquals(List.of(first), store.migrations().findAll());
    }

    // ---- checkpoints ----

    @Test
    void checkpointsAreUpserted() {
        var checkpoints = store.checkpoints();
        assertEquals(Optional.empty(), checkpoints.load("m1", "cache", "cursor"));
        checkpoints.save("m1", "cache", "cursor", "0");
        checkpoints.save("m1", "cache", "cursor", "1234");
        checkpoints.save("m1", "cache", "copied", "17");
        checkpoints.save("m1", "other", "cursor", "9");
        checkpoints.save("m2", "cache", "cursor", "");
        assertEquals(Optional.of("1234"), checkpoints.load("m1", "cache", "cursor"));
        assertEquals(Optional.of("17"), checkpoints.load("m1", "cache", "copied"));
        assertEquals(Optional.of("9"), checkpoints.load("m1", "other", "cursor"));
        assertEquals(Optional.of(""), checkpoints.load("m2", "cache", "cursor"));
        assertEquals(Optional.of("1234"), reopen().checkpoints().load("m1", "cache", "cursor"));

        var reopened = store.checkpoints();
        reopened.clear("m1");
        assertEquals(Optional.empty(), reopened.load("m1", "cache", "cursor"));
        assertEquals(Optional.empty(), reopened.load("m1", "other", "cursor"));
        assertEquals(Optional.of(""), reopened.load("m2", "cache", "cursor"), "other migrations keep theirs");
    }

    @Test
    void concurrentCheckpointSavesOfOneKeyAllSucceed() throws Exception {
        int threads = 8;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            String value = "v" + t;
            workers.add(Thread.ofVirtual().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        store.checkpoints().save("m", "i", "race-" + i, value);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(List.of(), failures);
        for (int i = 0; i < 20; i++) {
            assertTrue(store.checkpoints().load("m", "i", "race-" + i).orElseThrow().startsWith("v"));
        }
    }

    // ---- restart, schema ----

    @Test
    void reopeningKeepsEverything() {
        Endpoint secret = secretEndpoint();
        Interlay interlay = interlay("cache", Optional.of("secret"), Map.of("k", "v"));
        List<Migration> migrations = everyVariant();
        store.endpoints().insert(secret);
        store.interlays().insert(interlay);
        migrations.forEach(store.migrations()::insert);
        Migration.Change change = migrations.get(0).moveTo(Phase.READY, "ok", T0.plusSeconds(1));
        store.migrations().update(change.migration(), migrations.get(0).updatedAt(), change.phaseChanges());
        store.checkpoints().save(change.migration().id(), "cache", "cursor", "42");

        reopen();
        assertEquals(List.of(secret), store.endpoints().findAll());
        assertEquals(List.of(interlay), store.interlays().findAll());
        List<Migration> expected = new ArrayList<>(migrations);
        expected.set(0, change.migration());
        assertEquals(expected, store.migrations().findAll());
        assertEquals(change.phaseChanges(), store.migrations().history(change.migration().id()));
        assertEquals(Optional.of("42"), store.checkpoints().load(change.migration().id(), "cache", "cursor"));
        // and an update after the restart still matches the stored updatedAt exactly
        Migration.Change next = change.migration().moveTo(Phase.REPLICATING, "go", T0.plusSeconds(2));
        store.migrations().update(next.migration(), change.migration().updatedAt(), next.phaseChanges());
    }

    @Test
    void schemaVersionIsRecordedOnceAndNotReapplied() throws Exception {
        assertEquals(SchemaMigrator.SCRIPTS.size(), store.schemaVersion());
        List<String> before = versionRows();
        assertEquals(1, before.size());
        assertTrue(before.get(0).startsWith("1 db/V1__init.sql "), before.get(0));
        store.endpoints().insert(endpoint("kept", "redis://kept"));

        reopen();
        assertEquals(before, versionRows(), "re-opening applies nothing again");
        assertEquals(1, store.endpoints().findAll().size());
    }

    @Test
    void upgradeAppliesOnlyTheMissingVersion() throws Exception {
        store.endpoints().insert(endpoint("kept", "redis://kept"));
        List<String> before = versionRows();
        store.close();
        List<SchemaMigrator.Script> scripts = new ArrayList<>(SchemaMigrator.SCRIPTS);
        scripts.add(new SchemaMigrator.Script(2, "db-test/V2__extra.sql"));
        store = PersistenceStore.open(StoreLocation.parse(storeUri, dataDir), scripts);

        assertEquals(2, store.schemaVersion());
        List<String> after = versionRows();
        assertEquals(before, after.subList(0, 1));
        assertTrue(after.get(1).startsWith("2 db-test/V2__extra.sql "), after.get(1));
        assertEquals(42, (int) store.jdbi().withHandle(h -> h.createQuery("SELECT id FROM upgrade_probe")
                .mapTo(Integer.class).one()));
        assertEquals(1, store.endpoints().findAll().size());

        // and the older code now refuses that store
        store.close();
        store = null;
        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> PersistenceStore.open(storeUri, dataDir));
        assertEquals(2, refused.storeVersion());
        assertEquals(1, refused.knownVersion());
    }

    @Test
    void storeWithNewerSchemaIsRefused() throws Exception {
        store.close();
        store = null;
        try (Connection c = rawConnection(); var st = c.createStatement()) {
            st.executeUpdate("INSERT INTO eden_schema_version (version, script, applied_at) "
                    + "VALUES (99, 'db/V99__future.sql', CURRENT_TIMESTAMP)");
        }
        IncompatibleSchemaException refused = assertThrows(IncompatibleSchemaException.class,
                () -> PersistenceStore.open(storeUri, dataDir));
        assertEquals(99, refused.storeVersion());
        assertEquals(SchemaMigrator.SCRIPTS.size(), refused.knownVersion());
        assertTrue(refused.getMessage().contains("99"), refused.getMessage());
        storePassword().ifPresent(p -> assertFalse(refused.getMessage().contains(p), refused.getMessage()));

        // the refused open let go of the database: it can be fixed and opened again
        try (Connection c = rawConnection(); var st = c.createStatement()) {
            assertEquals(1, st.executeUpdate("DELETE FROM eden_schema_version WHERE version = 99"));
        }
        store = PersistenceStore.open(storeUri, dataDir);
        assertEquals(SchemaMigrator.SCRIPTS.size(), store.schemaVersion());
    }

    // ---- secrets ----

    @Test
    void nothingLoggedHoldsAPassword() {
        String logged;
        try (CapturedOutput output = new CapturedOutput()) {
            reopen();
            store.endpoints().insert(secretEndpoint());
            store.endpoints().insert(secretEndpoint());
            store.endpoints().find("secret");
            store.endpoints().findAll();
            store.interlays().insert(interlay("cache", Optional.of("secret"), Map.of()));
            store.endpoints().delete("secret");
            store.close();
            store = null;
            store = PersistenceStore.open(storeUri, dataDir);
            logged = output.text();
        }
        assertTrue(logged.contains("Store " + store.description() + " open"), "the capture saw the logs: " + logged);
        assertFalse(logged.contains(ENDPOINT_PASSWORD), logged);
        storePassword().ifPresent(p -> {
            assertFalse(logged.contains(p), logged);
            assertFalse(store.description().contains(p));
            assertFalse(store.toString().contains(p));
        });
    }

    @Test
    void failedStatementsDoNotEchoBoundValues() {
        String uri = secretEndpoint().uri().unredacted();
        Jdbi jdbi = store.jdbi();
        RuntimeException failure = assertThrows(RuntimeException.class, () -> jdbi.useHandle(h -> h
                .createUpdate("INSERT INTO endpoints (id, protocol, uri) VALUES (:id, :protocol, :uri)")
                .bind("id", "x")
                .bind("protocol", (String) null)
                .bind("uri", uri)
                .execute()));
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains(uri), trace.toString());
        assertFalse(trace.toString().contains(ENDPOINT_PASSWORD), trace.toString());
        assertFalse(trace.toString().contains("Endpoint-S3cret"), trace.toString());
    }

    List<String> versionRows() {
        return store.jdbi().withHandle(h -> h.createQuery(
                        "SELECT version, script, applied_at FROM eden_schema_version ORDER BY version")
                .map((rs, ctx) -> rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3))
                .list());
    }
}
