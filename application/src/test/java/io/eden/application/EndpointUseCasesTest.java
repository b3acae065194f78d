package io.eden.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.error.ConflictException;
import io.eden.application.error.NotFoundException;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.usecase.CreateEndpoint;
import io.eden.application.usecase.DeclareInterlay;
import io.eden.application.view.EndpointView;
import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EndpointUseCasesTest {
    private final Fixture eden = new Fixture(false);

    @AfterEach
    void close() throws Exception {
        eden.close();
    }

    private Interlay declare(String id, ProtocolId protocol) {
        return eden.uc.declareInterlay().execute(
                new DeclareInterlay.Command(id, protocol, ListenAddress.parse("127.0.0.1:0")));
    }

    @Test
    void createEndpointBindsTheUnboundDeclaredInterlayOfItsProtocolAndOnlyTheFirstEndpointDoes() throws Exception {
        Interlay declared = declare("redis_interlay", ProtocolId.REDIS);
        Interlay pg = declare("pg_interlay", ProtocolId.POSTGRES);
        assertEquals(Optional.empty(), declared.endpointId());
        assertEquals(Optional.empty(), pg.endpointId());
        assertEquals(List.of(), eden.uc.startInterlayListeners().execute());
        RouteSnapshot before = eden.route("redis_interlay").current();
        assertEquals(Optional.empty(), before.source());
        List<RouteSnapshot> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = eden.route("redis_interlay").subscribe(seen::add)) {
            EndpointView src = eden.endpoint("src");
            assertEquals("src", src.id());
            assertEquals("redis", src.protocol());
            assertEquals(Health.HEALTHY, src.health());

            assertEquals(Optional.of("src"), eden.store.interlays().find("redis_interlay").orElseThrow().endpointId());
            assertEquals(Optional.empty(), eden.store.interlays().find("pg_interlay").orElseThrow().endpointId());
            RouteSnapshot after = eden.route("redis_interlay").current();
            assertEquals("src", after.source().orElseThrow().id());
            assertTrue(after.version() > before.version());
            assertEquals(1, seen.size());
            assertEquals("src", seen.get(0).source().orElseThrow().id());

            eden.endpoint("dst");
            assertEquals(Optional.of("src"), eden.store.interlays().find("redis_interlay").orElseThrow().endpointId());
            assertEquals("src", eden.route("redis_interlay").current().source().orElseThrow().id());
            assertEquals(1, seen.size());
        }
        assertEquals(Optional.of("src"), eden.uc.getInterlay().execute("redis_interlay").endpoint());
    }

    @Test
    void aNewlyDeclaredInterlayBindsToTheFirstEndpointOfItsProtocol() {
        eden.endpoint("first");
        eden.endpoint("second");
        assertEquals(Optional.of("first"), declare("late", ProtocolId.REDIS).endpointId());
        assertEquals(Optional.empty(), declare("pg", ProtocolId.POSTGRES).endpointId());
        // declaring it again moves the address but keeps the endpoint
        Interlay moved = eden.uc.declareInterlay().execute(
                new DeclareInterlay.Command("late", ProtocolId.REDIS, ListenAddress.parse("127.0.0.1:7777")));
        assertEquals(Optional.of("first"), moved.endpointId());
        assertEquals(7777, eden.store.interlays().find("late").orElseThrow().listen().port());
        InvalidValueException wrong = assertThrows(InvalidValueException.class, () -> declare("late", ProtocolId.POSTGRES));
        assertEquals("listen", wrong.field());
        InvalidValueException unknown = assertThrows(InvalidValueException.class,
                () -> declare("x", new ProtocolId("mysql")));
        assertEquals("listen", unknown.field());
    }

    @Test
    void unknownSchemeIsAnInvalidUri() {
        InvalidValueException e = assertThrows(InvalidValueException.class, () -> eden.uc.createEndpoint()
                .execute(new CreateEndpoint.Command("db", "mysql://root:hunter22@127.0.0.1:3306/app")));
        assertEquals("uri", e.field());
        assertTrue(e.getMessage().contains("mysql"), e.getMessage());
        assertTrue(e.getMessage().contains("redis"), e.getMessage());
        assertFalse(e.getMessage().contains("hunter22"), e.getMessage());
        assertEquals(List.of(), eden.store.endpoints().findAll());
    }

    @Test
    void malformedUriOrIdIsRefused() {
        assertEquals("uri", assertThrows(InvalidValueException.class, () -> eden.uc.createEndpoint()
                .execute(new CreateEndpoint.Command("db", "redis://u:hunter22@127.0.0.1:0"))).field());
        assertEquals("id", assertThrows(InvalidValueException.class, () -> eden.uc.createEndpoint()
                .execute(new CreateEndpoint.Command("bad id", "redis://127.0.0.1:1"))).field());
        assertEquals(List.of(), eden.store.endpoints().findAll());
    }

    @Test
    void duplicateIdIsAConflictAndKeepsTheFirst() {
        FakeDatabase db = eden.database();
        eden.uc.createEndpoint().execute(new CreateEndpoint.Command("db", db.uri("redis")));
        ConflictException e = assertThrows(ConflictException.class, () -> eden.uc.createEndpoint()
                .execute(new CreateEndpoint.Command("db", "rediss://other.example:6390")));
        assertEquals("already_exists", e.code());
        assertEquals(1, eden.store.endpoints().findAll().size());
        assertEquals("redis", eden.store.endpoints().find("db").orElseThrow().uri().scheme());
    }

    @Test
    void viewsRedactThePasswordButTheStoreKeepsIt() {
        FakeDatabase db = eden.database();
        EndpointView view = eden.uc.createEndpoint().execute(
                new CreateEndpoint.Command("db", "redis://app:sekrit99@127.0.0.1:" + db.port() + "/3"));
        assertEquals("redis://app:***@127.0.0.1:" + db.port() + "/3", view.uri());
        assertFalse(eden.uc.getEndpoint().execute("db").uri().contains("sekrit99"));
        assertFalse(eden.uc.listEndpoints().execute().toString().contains("sekrit99"));
        Endpoint stored = eden.store.endpoints().find("db").orElseThrow();
        assertEquals(Optional.of("sekrit99"), stored.uri().password());
    }

    @Test
    void healthFollowsTheDatabaseAfterTheCacheExpires() throws Exception {
        FakeDatabase db = eden.database();
        eden.uc.createEndpoint().execute(new CreateEndpoint.Command("db", db.uri("redis")));
        assertEquals(Health.HEALTHY, eden.uc.getEndpoint().execute("db").health());
        db.close();
        // remembered for two seconds
        assertEquals(Health.HEALTHY, eden.uc.getEndpoint().execute("db").health());
        eden.clock.advance(java.time.Duration.ofSeconds(3));
        assertEquals(Health.UNHEALTHY, eden.uc.getEndpoint().execute("db").health());
    }

    @Test
    void deleteRefusesAnEndpointInUse() {
        eden.readyMigration();
        ConflictException byInterlay = assertThrows(ConflictException.class, () -> eden.uc.deleteEndpoint().execute("src"));
        assertEquals("in_use", byInterlay.code());
        assertTrue(byInterlay.getMessage().contains("cache"), byInterlay.getMessage());
        // dst is bound to no interlay, but m1 moves cache to it
        ConflictException byMigration = assertThrows(ConflictException.class,
                () -> eden.uc.deleteEndpoint().execute("dst"));
        assertEquals("in_use", byMigration.code());
        assertTrue(byMigration.getMessage().contains("m1"), byMigration.getMessage());
        assertEquals(2, eden.store.endpoints().findAll().size());
    }

    @Test
    void deleteForgetsAnUnusedEndpoint() {
        eden.endpoint("spare");
        eden.uc.deleteEndpoint().execute("spare");
        NotFoundException gone = assertThrows(NotFoundException.class, () -> eden.uc.getEndpoint().execute("spare"));
        assertEquals("endpoint", gone.kind());
        assertEquals("spare", gone.id());
        assertEquals(Optional.empty(), gone.field());
        assertThrows(NotFoundException.class, () -> eden.uc.deleteEndpoint().execute("spare"));
    }
}
