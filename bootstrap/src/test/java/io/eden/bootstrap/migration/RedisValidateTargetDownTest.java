package io.eden.bootstrap.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.bootstrap.support.ApiClient.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /validate} while the target redis-server is down, under {@code allow_partial}: the
 * caller gets 503 {@code endpoint_unavailable} saying what failed (not a 500 "internal error",
 * which would send an operator to Eden's logs for a database that is simply down), and the
 * migration, validating after an earlier clean comparison, goes back to replicating: a
 * comparison that could not run vouches for nothing.
 */
class RedisValidateTargetDownTest {
    @RegisterExtension
    static final TwoRedisServers servers = new TwoRedisServers();

    @TempDir
    Path temp;

    @Test
    void aValidationWithTheTargetDownIs503AndTheMigrationIsNoLongerValidated() {
        servers.preload(1, 500, 0, Duration.ofMillis(1));
        try (InProcessEden eden = InProcessEden.start(temp, Map.of())) {
            MigrationApi api = eden.api();
            api.createEndpoints(servers.source.port(), servers.target.port());
            api.createMigration("allow_partial");
            api.migrate();
            api.awaitCopyComplete(Duration.ofSeconds(30));
            api.validate();

            servers.target.kill();
            Reply refused = api.validate(503);
            assertEquals(Optional.of("endpoint_unavailable"), refused.text("code"), refused.body());
            String message = refused.text("message").orElse("");
            assertTrue(message.startsWith("validation of"), refused.body());
            Reply after = api.migration();
            assertEquals(Optional.of("replicating"), after.text("phase"),
                    "back from validating: the earlier clean report no longer vouches for the data: " + after.body());
        }
    }
}
