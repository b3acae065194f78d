package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.RouteSnapshot;
import io.eden.application.view.MigrationView;
import io.eden.domain.model.Migration;
import io.eden.domain.model.Phase;
import io.eden.domain.model.PhaseChange;
import io.eden.domain.model.Strategy;
import io.eden.domain.model.WriteMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PATCHes of one migration's strategy from 8 threads at once. The clock ticks, so the store's
 * optimistic check would refuse any update computed from a stale read: every PATCH must still
 * go through, one after the other.
 */
class ConcurrentStrategyUpdateTest {
    private static final int THREADS = 8;
    private static final int PATCHES = 25;
    private final Fixture eden = new Fixture(true);
    private final Set<Strategy> submitted = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final List<RouteSnapshot> published = new CopyOnWriteArrayList<>();

    @BeforeEach
    void migrate() {
        eden.readyMigration();
        eden.uc.startMigration().execute("m1");
        eden.redisAdapter().movement("cache").progress(1, 1, true, 0);
        eden.clock.ticking(true);
    }

    @AfterEach
    void close() throws Exception {
        eden.close();
    }

    /** Runs PATCHES strategies per thread, all threads released together. */
    private void patchConcurrently(BiFunction<Integer, Integer, Strategy> strategyOf) throws Exception {
        eden.route("cache").subscribe(published::add);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int thread = t;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < PATCHES; i++) {
                        Strategy strategy = strategyOf.apply(thread, i);
                        submitted.add(strategy);
                        MigrationView view = eden.uc.updateMigrationStrategy().execute("m1", strategy);
                        assertTrue(view.migration().phase().isActive(), view.migration().phase().toString());
                        if (i % 5 == 0) {
                            eden.uc.getMigration().execute("m1");
                            eden.uc.getMigrationStatus().execute("m1");
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
        }
        assertEquals(List.of(), errors);
        assertEquals(THREADS * PATCHES, submitted.size(), "every submitted strategy is distinct");
        // every PATCH was published once, in order
        assertEquals(THREADS * PATCHES, published.size());
        for (int i = 1; i < published.size(); i++) {
            assertTrue(published.get(i).version() > published.get(i - 1).version());
        }
    }

    private static void assertHistoryIsAChain(List<PhaseChange> history) {
        for (int i = 1; i < history.size(); i++) {
            assertEquals(history.get(i - 1).to(), history.get(i).from(), "history step " + i + " of " + history);
            assertTrue(!history.get(i).at().isBefore(history.get(i - 1).at()), "history time goes back at " + i);
        }
    }

    @Test
    void concurrentReadPercentagePatchesAreNeitherLostNorMixed() throws Exception {
        List<PhaseChange> historyBefore = eden.store.migrations().history("m1");
        Random seed = new Random(1000L);
        long salt = seed.nextInt(1000);
        patchConcurrently((thread, i) -> Fixture.dual((thread * PATCHES + i) / 1000.0 + salt / 1e7));

        Migration stored = eden.store.migrations().find("m1").orElseThrow();
        assertTrue(submitted.contains(stored.strategy()), "final strategy " + stored.strategy() + " was never submitted");
        assertEquals(Phase.REPLICATING, stored.phase());
        assertEquals(historyBefore, eden.store.migrations().history("m1"), "read changes make no phase change");
        for (RouteSnapshot s : published) {
            assertTrue(submitted.contains(s.state().orElseThrow().strategy()));
        }
        // the route ends at the stored strategy
        assertEquals(stored.strategy(), eden.route("cache").current().state().orElseThrow().strategy());
        assertEquals(stored.strategy(), published.get(published.size() - 1).state().orElseThrow().strategy());
        MigrationView view = eden.uc.getMigration().execute("m1");
        assertEquals((int) Math.floor(stored.strategy().readPercentage() * 16384), view.routing().get(0).readSlotsOnTarget());
    }

    @Test
    void concurrentCutoverPatchesKeepPhaseAndHistoryConsistent() throws Exception {
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0, 0.5));
        int before = eden.store.migrations().history("m1").size();
        Random random = new Random(77L);
        double[] writes = new double[THREADS * PATCHES];
        for (int k = 0; k < writes.length; k++) {
            writes[k] = random.nextInt(3) == 0 ? 1.0 : random.nextInt(10) / 10.0;
        }
        patchConcurrently((thread, i) -> Fixture.cutover((thread * PATCHES + i) / 1000.0, writes[thread * PATCHES + i]));

        Migration stored = eden.store.migrations().find("m1").orElseThrow();
        assertTrue(submitted.contains(stored.strategy()));
        boolean full = ((WriteMode.Cutover) stored.strategy().writeMode()).isFull();
        assertEquals(full ? Phase.CUT_OVER : Phase.CUTTING_OVER, stored.phase());
        List<PhaseChange> history = eden.store.migrations().history("m1");
        assertHistoryIsAChain(history);
        assertEquals(stored.phase(), history.get(history.size() - 1).to());
        for (PhaseChange change : history.subList(before, history.size())) {
            assertTrue(Set.of(Phase.CUTTING_OVER, Phase.CUT_OVER).contains(change.from())
                    && Set.of(Phase.CUTTING_OVER, Phase.CUT_OVER).contains(change.to()), change.toString());
        }
        // each published route is consistent in itself: the phase matches its own write percentage
        for (RouteSnapshot s : published) {
            var state = s.state().orElseThrow();
            boolean f = ((WriteMode.Cutover) state.strategy().writeMode()).isFull();
            assertEquals(f ? Phase.CUT_OVER : Phase.CUTTING_OVER, state.phase(), state.toString());
        }
        assertEquals(stored.strategy(), eden.route("cache").current().state().orElseThrow().strategy());
    }
}
