package io.eden.adapters.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** libpq's own tools through Eden: psql scripts and pgbench in every query mode, in both pool modes. */
class ClientToolsTest {
    private static PgFixture.Eden session;
    private static PgFixture.Eden transaction;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(PgFixture.PG_BIN.resolve("psql")), "psql and pgbench are not installed");
        PgFixture.postgres();
        session = PgFixture.eden(Map.of());
        transaction = PgFixture.eden(Map.of("pool_mode", "transaction", "pool_size", "3"));
        String init = run(session.port(), List.of(PgFixture.PG_BIN.resolve("pgbench").toString(), "-i", "-s", "1", "-q"));
        assertTrue(init.contains("done"), init);
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.close();
            transaction.close();
        }
    }

    private static int port(String mode) {
        return mode.equals("session") ? session.port() : transaction.port();
    }

    static String run(int port, List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(port), "-U", PgFixture.SCRAM_USER, "postgres"));
        ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", PgFixture.SCRAM_PASSWORD);
        builder.environment().put("PGSSLMODE", "prefer");
        builder.environment().put("PGCONNECT_TIMEOUT", "10");
        Path log = Files.createTempFile("eden-tool", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        String out = Files.readString(log);
        Files.delete(log);
        assertTrue(finished, "timed out: " + String.join(" ", command) + "\n" + out);
        assertEquals(0, process.exitValue(), out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"session", "transaction"})
    void psqlScript(String mode) throws Exception {
        Path script = Files.createTempFile("eden-psql", ".sql");
        String table = "psql_" + mode;
        Files.writeString(script, """
                \\set ON_ERROR_STOP 1
                DROP TABLE IF EXISTS %1$s;
                CREATE TABLE %1$s (id int PRIMARY KEY, note text);
                BEGIN;
                INSERT INTO %1$s SELECT g, 'n' || g FROM generate_series(1, 1000) g;
                COMMIT;
                \\copy %1$s FROM stdin
                1001\tcopied
                1002\tcopied too
                \\.
                SELECT count(*) AS total FROM %1$s;
                SELECT $$dollar$$ || note FROM %1$s WHERE id = 1002;
                SELECT id, note FROM %1$s WHERE id = 5;
                \\copy (SELECT id FROM %1$s WHERE id <= 3 ORDER BY id) TO stdout
                DROP TABLE %1$s;
                """.formatted(table));
        String out = run(port(mode), List.of(PgFixture.PG_BIN.resolve("psql").toString(), "-X", "-q", "-A", "-t",
                "-f", script.toString()));
        Files.delete(script);
        out = out.lines().filter(l -> !l.contains("NOTICE:")).map(l -> l + "\n").reduce("", String::concat);
        String expected = String.join("\n", "1002", "dollarcopied too", "5|n5", "1", "2", "3") + "\n";
        assertEquals(expected, out);
    }

    @ParameterizedTest
    @CsvSource({"session,simple", "session,extended", "session,prepared",
            "transaction,simple", "transaction,extended", "transaction,prepared"})
    void pgbench(String mode, String queryMode) throws Exception {
        String out = run(port(mode), List.of(PgFixture.PG_BIN.resolve("pgbench").toString(), "-n", "-M", queryMode,
                "-c", "6", "-j", "2", "-t", "40"));
        assertTrue(out.contains("number of transactions actually processed: 240/240"), out);
        assertTrue(!out.contains("number of failed transactions") || out.contains("number of failed transactions: 0"), out);
    }
}
