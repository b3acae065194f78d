package io.eden.adapters.pgwire;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class SessionModeTest extends PgjdbcContract {
    private static PgFixture.Eden eden;

    @BeforeAll
    static void start() throws Exception {
        PgFixture.postgres();
        eden = PgFixture.eden(Map.of("pool_mode", "session"));
    }

    @AfterAll
    static void stop() {
        eden.close();
    }

    @Override
    int edenPort() {
        return eden.port();
    }

    @Override
    String table() {
        return "session_items";
    }
}
