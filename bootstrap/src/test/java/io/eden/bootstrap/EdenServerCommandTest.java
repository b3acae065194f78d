package io.eden.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: help, version, and clear refusals with exit code 2. */
class EdenServerCommandTest {
    private static final String TOKEN = "command-test-token-0123456789";

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsEveryFlag() {
        assertEquals(0, run("--help"));
        for (String flag : List.of("--listen", "--api", "--data", "--store", "--api-token", "EDEN_API_TOKEN",
                "--plugins", "--option", "--help", "--version", "0.0.0.0:8000", "./data", "./plugins")) {
            assertTrue(out().contains(flag), flag + " in\n" + out());
        }
    }

    @Test
    void versionNamesTheProgram() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("eden-server "), out());
    }

    @Test
    void badFlagValuesAreUsageErrors() {
        assertEquals(2, run("--listen", "nonsense"));
        assertTrue(err().contains("--listen"), err());
        assertEquals(2, run("--api", "localhost:99999"));
        assertTrue(err().contains("--api"), err());
        assertEquals(2, run("--listen"));
    }

    @Test
    void anUnknownOptionIsShownWithoutItsValue() {
        assertEquals(2, run("--api-tokn=VerySecretValue1", "AnotherSecret2"));
        assertTrue(err().contains("--api-tokn"), err());
        assertFalse(err().contains("VerySecretValue1"), err());
        assertFalse(err().contains("AnotherSecret2"), err());
    }

    @Test
    void twoListenersOfOneProtocolAreRefused() {
        assertEquals(2, start("--listen", "127.0.0.1:0", "--listen", "redis://127.0.0.1:0"));
        assertTrue(err().contains("redis_interlay"), err());
        assertTrue(err().contains("one --listen per protocol"), err());
    }

    @Test
    void anUnknownProtocolIsRefused() {
        assertEquals(2, start("--listen", "mongodb://127.0.0.1:0"));
        assertTrue(err().contains("no protocol plugin serves 'mongodb'"), err());
    }

    @Test
    void aBadStoreIsRefusedWithoutRepeatingIt() {
        assertEquals(2, start("--store", "mysql://root:HiddenPw77@db:3306/eden"));
        assertTrue(err().contains("--store"), err());
        assertFalse(err().contains("HiddenPw77"), err());
    }

    @Test
    void anOptionForNoProtocolIsRefused() {
        assertEquals(2, start("--option", "nosuch.lanes=16"));
        assertTrue(err().contains("--option nosuch.lanes"), err());
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNotGiven() {
        EdenServerCommand command = new EdenServerCommand(Map.of("EDEN_API_TOKEN", TOKEN), System.out);
        new picocli.CommandLine(command).parseArgs();
        assertEquals(java.util.Optional.of(TOKEN), command.config().apiToken());
        EdenServerCommand flagWins = new EdenServerCommand(Map.of("EDEN_API_TOKEN", TOKEN), System.out);
        new picocli.CommandLine(flagWins).parseArgs("--api-token", "from-the-flag-0123456789");
        assertEquals(java.util.Optional.of("from-the-flag-0123456789"), flagWins.config().apiToken());
    }

    /** Runs with a throw-away store and data folder: these refusals come before the API would start. */
    private int start(String... args) {
        List<String> all = new ArrayList<>(List.of("--data", temp.resolve("data").toString(), "--store", "memory:",
                "--api", "127.0.0.1:0", "--plugins", temp.resolve("plugins").toString()));
        all.addAll(List.of(args));
        return EdenServerCommand.execute(all.toArray(String[]::new), Map.of("EDEN_API_TOKEN", TOKEN),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int run(String... args) {
        return EdenServerCommand.execute(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
