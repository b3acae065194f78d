package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.error.ConflictException;
import io.eden.application.error.NotFoundException;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.usecase.CreateEndpoint;
import io.eden.application.usecase.CreateInterlay;
import io.eden.application.usecase.DeclareInterlay;
import io.eden.application.view.InterlayView;
import io.eden.application.view.MigrationView;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.FailureHandling;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.Phase;
import io.eden.domain.model.ProtocolId;
import io.eden.domain.routing.RouteDecision;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterlayUseCasesTest {
    private final Fixture eden = new Fixture(false);

    @AfterEach
    void close() throws Exception {
        eden.close();
    }

    @Test
    void createInterlayListensAndRoutesToItsEndpoint() throws Exception {
        eden.endpoint("src");
        InterlayView view = eden.interlay("cache", "src");
        assertEquals("cache", view.id());
        assertEquals("redis", view.protocol());
        assertEquals("127.0.0.1:0", view.listen());
        assertEquals(Optional.of("src"), view.endpoint());
        assertEquals(Optional.empty(), view.migration());
        int port = Integer.parseInt(view.boundAddress().orElseThrow().replaceAll(".*:", ""));
        assertTrue(port > 0, view.boundAddress().toString());
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        }
        RouteSnapshot route = eden.route("cache").current();
        assertEquals("src", route.source().orElseThrow().id());
        assertEquals(Optional.empty(), route.target());
        assertEquals(Optional.empty(), route.migrationId());
        assertEquals(RouteDecision.SOURCE_ONLY, route.decide(12345));
        assertEquals(List.of("cache"), eden.uc.listInterlays().execute().stream().map(InterlayView::id).toList());
    }

    @Test
    void unknownEndpointIsNotFoundNamingTheField() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> eden.uc.createInterlay()
                .execute(new CreateInterlay.Command("cache", "nowhere", "127.0.0.1:0", false, Map.of())));
        assertEquals("endpoint", e.kind());
        assertEquals("nowhere", e.id());
        assertEquals(Optional.of("endpoint"), e.field());
        assertEquals(List.of(), eden.store.interlays().findAll());
    }

    @Test
    void addressInUseIsAConflictAndNothingIsStored() throws Exception {
        eden.endpoint("src");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            ConflictException e = assertThrows(ConflictException.class, () -> eden.uc.createInterlay().execute(
                    new CreateInterlay.Command("cache", "src", "127.0.0.1:" + taken.getLocalPort(), false, Map.of())));
            assertEquals("listen_failed", e.code());
            assertTrue(e.getMessage().contains("cache"), e.getMessage());
        }
        assertEquals(Optional.empty(), eden.store.interlays().find("cache"));
        assertEquals(List.of(), eden.uc.listInterlays().execute());
        assertThrows(NotFoundException.class, () -> eden.uc.getInterlay().execute("cache"));
        // the name is free again and the failed attempt left no listener behind
        InterlayView retry = eden.interlay("cache", "src");
        assertTrue(retry.boundAddress().isPresent());
    }

    @Test
    void duplicateInterlayIsAConflictAndTheFirstKeepsListening() {
        eden.endpoint("src");
        InterlayView first = eden.interlay("cache", "src");
        ConflictException e = assertThrows(ConflictException.class, () -> eden.interlay("cache", "src"));
        assertEquals("already_exists", e.code());
        assertEquals(first.boundAddress(), eden.uc.getInterlay().execute("cache").boundAddress());
    }

    @Test
    void badListenAddressIsInvalid() {
        eden.endpoint("src");
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> eden.uc.createInterlay()
                .execute(new CreateInterlay.Command("cache", "src", "nowhere", false, Map.of())));
        assertEquals("listen", e.field());
    }

    @Test
    void attachRefusesAnUnboundInterlay() {
        eden.endpoint("dst");
        eden.uc.declareInterlay().execute(
                new DeclareInterlay.Command("pg", ProtocolId.POSTGRES, ListenAddress.parse("127.0.0.1:0")));
        // and one of the same protocol, unbound, straight in the store
        eden.store.interlays().insert(new Interlay("loose", ProtocolId.REDIS, ListenAddress.parse("127.0.0.1:0"),
                false, Optional.empty(), Map.of()));
        eden.migration("m1", new FailureHandling.RollbackAll());
        for (String interlay : List.of("pg", "loose")) {
            ConflictException e = assertThrows(ConflictException.class,
                    () -> eden.uc.attachInterlay().execute("m1", interlay, "dst"));
            assertEquals("interlay_unbound", e.code());
        }
        assertEquals(Phase.PENDING, eden.uc.getMigration().execute("m1").migration().phase());
    }

    @Test
    void attachRefusesAnEndpointOfAnotherProtocol() {
        eden.endpoint("src");
        eden.interlay("cache", "src");
        FakeDatabase pgdb = eden.database();
        eden.uc.createEndpoint().execute(new CreateEndpoint.Command("pgdb", pgdb.uri("postgres")));
        eden.migration("m1", new FailureHandling.RollbackAll());
        InvalidValueException e = assertThrows(InvalidValueException.class,
                () -> eden.uc.attachInterlay().execute("m1", "cache", "pgdb"));
        assertEquals("endpoint", e.field());
        MigrationView m1 = eden.uc.getMigration().execute("m1");
        assertEquals(Phase.PENDING, m1.migration().phase());
        assertTrue(m1.migration().interlays().isEmpty());
    }

    @Test
    void attachRefusesAnInterlayHeldByAnotherMigration() {
        eden.readyMigration();
        eden.endpoint("other");
        eden.migration("m2", new FailureHandling.RollbackAll());
        ConflictException e = assertThrows(ConflictException.class,
                () -> eden.uc.attachInterlay().execute("m2", "cache", "other"));
        assertEquals("in_use", e.code());
        assertTrue(e.getMessage().contains("m1"), e.getMessage());
        MigrationView m2 = eden.uc.getMigration().execute("m2");
        assertEquals(Phase.PENDING, m2.migration().phase());
        assertTrue(m2.migration().interlays().isEmpty());
        assertEquals(List.of(), m2.history());
        assertEquals(Optional.of("m1"), eden.uc.getInterlay().execute("cache").migration());
    }

    @Test
    void attachOnceTheOtherMigrationRolledBack() {
        eden.readyMigration();
        eden.uc.rollbackMigration().execute("m1", "changed my mind");
        eden.endpoint("other");
        eden.migration("m2", new FailureHandling.RollbackAll());
        MigrationView m2 = eden.uc.attachInterlay().execute("m2", "cache", "other");
        assertEquals(Phase.READY, m2.migration().phase());
        assertEquals(Optional.of("m2"), eden.uc.getInterlay().execute("cache").migration());
    }

    @Test
    void attachChecksItsArguments() {
        eden.readyMigration();
        assertEquals("migration", assertThrows(NotFoundException.class,
                () -> eden.uc.attachInterlay().execute("nope", "cache", "dst")).kind());
        assertEquals("interlay", assertThrows(NotFoundException.class,
                () -> eden.uc.attachInterlay().execute("m1", "nope", "dst")).kind());
        NotFoundException endpoint = assertThrows(NotFoundException.class,
                () -> eden.uc.attachInterlay().execute("m1", "cache", "nope"));
        assertEquals(Optional.of("endpoint"), endpoint.field());
        // moving an interlay to the endpoint it is already on
        assertEquals("endpoint", assertThrows(InvalidValueException.class,
                () -> eden.uc.attachInterlay().execute("m1", "cache", "src")).field());
    }

    @Test
    void attachMakesTheMigrationReadyAndHoldsTheInterlay() {
        MigrationView m1 = eden.readyMigration();
        assertEquals(Phase.READY, m1.migration().phase());
        assertEquals(1, m1.history().size());
        assertEquals(Phase.PENDING, m1.history().get(0).from());
        assertEquals(Phase.READY, m1.history().get(0).to());
        assertEquals("src", m1.migration().assignment("cache").orElseThrow().sourceEndpointId());
        assertEquals("dst", m1.migration().assignment("cache").orElseThrow().targetEndpointId());
        assertEquals(1, m1.routing().size());
        assertEquals(0, m1.routing().get(0).readSlotsOnTarget());
        assertEquals(0, m1.routing().get(0).writeSlotsOnTarget());
        assertEquals(0, m1.routing().get(0).slotsMirroredToTarget());
        RouteSnapshot route = eden.route("cache").current();
        assertEquals(Optional.of("m1"), route.migrationId());
        assertEquals(Optional.empty(), route.state());
        assertEquals("src", route.source().orElseThrow().id());
        assertEquals(Optional.of("m1"), eden.uc.getInterlay().execute("cache").migration());
    }
}
