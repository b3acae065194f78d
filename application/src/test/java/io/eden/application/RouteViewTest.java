package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Phase;
import io.eden.domain.routing.Side;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a protocol adapter sees of a route while a migration goes through its phases. */
class RouteViewTest {
    private final Fixture eden = new Fixture(true);

    @AfterEach
    void close() throws Exception {
        eden.close();
    }

    private static Optional<Phase> phase(RouteSnapshot s) {
        return s.state().map(st -> st.phase());
    }

    @Test
    void subscribersSeeEveryPhaseChange() throws Exception {
        eden.endpoint("src");
        eden.endpoint("dst");
        eden.interlay("cache", "src");
        RouteView route = eden.route("cache");
        long firstVersion = route.current().version();
        List<RouteSnapshot> seen = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = route.subscribe(seen::add);

        eden.migration("m1", new io.eden.domain.model.FailureHandling.RollbackAll());
        assertEquals(0, seen.size(), "a migration without interlays does not touch the route");
        eden.uc.attachInterlay().execute("m1", "cache", "dst");
        assertEquals(1, seen.size());
        assertEquals(Optional.of("m1"), seen.get(0).migrationId());
        assertEquals(Optional.empty(), phase(seen.get(0)));

        eden.uc.startMigration().execute("m1");
        assertEquals(Optional.of(Phase.REPLICATING), phase(route.current()));
        assertEquals(route.current(), seen.get(seen.size() - 1));

        // canary reads: none until the copy is complete, then the lowest slots
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.dual(0.5));
        assertEquals(Side.SOURCE, route.current().decide(0).read());
        eden.redisAdapter().movement("cache").progress(5, 5, true, 0);
        assertFalse(route.current().state().orElseThrow().copyComplete(), "the route follows events, not polls");
        eden.redisAdapter().movement("cache").request.events().copyCompleted();
        RouteSnapshot canary = route.current();
        assertTrue(canary.state().orElseThrow().copyComplete());
        assertEquals(Side.TARGET, canary.decide(0).read());
        assertEquals(Side.TARGET, canary.decide(8191).read());
        assertEquals(Side.SOURCE, canary.decide(8192).read());

        eden.uc.updateMigrationStrategy().execute("m1", Fixture.cutover(0.5, 0.25));
        assertEquals(Optional.of(Phase.CUTTING_OVER), phase(route.current()));
        assertEquals(Side.TARGET, route.current().decide(4095).write());
        assertEquals(Side.SOURCE, route.current().decide(4096).write());

        eden.uc.rollbackMigration().execute("m1", "back");
        RouteSnapshot last = route.current();
        assertEquals(Optional.empty(), last.state());
        assertEquals(Optional.empty(), last.migrationId());
        assertEquals(Side.SOURCE, last.decide(0).write());
        assertEquals(last, seen.get(seen.size() - 1));

        // one publication per change: attach, start, patch, copy completed, patch, rolling_back, rolled_back
        List<String> trail = new ArrayList<>();
        for (RouteSnapshot s : seen) {
            trail.add(s.migrationId().orElse("-") + "/" + phase(s).map(Phase::wireName).orElse("-"));
        }
        assertEquals(List.of("m1/-", "m1/replicating", "m1/replicating", "m1/replicating", "m1/cutting_over",
                "m1/-", "-/-"), trail);
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).version() > seen.get(i - 1).version(), "versions grow");
        }
        assertTrue(seen.get(0).version() > firstVersion);

        subscription.close();
        int count = seen.size();
        eden.uc.updateMigrationStrategy().execute("m1", Fixture.dual(0.5)); // writes back to dual before migrating again
        eden.uc.startMigration().execute("m1"); // rolled_back -> replicating again
        assertEquals(count, seen.size(), "an unsubscribed listener hears nothing");
        assertEquals(Optional.of(Phase.REPLICATING), phase(route.current()));
        assertFalse(route.current().state().orElseThrow().copyComplete(), "a fresh movement starts uncopied");
    }
}
