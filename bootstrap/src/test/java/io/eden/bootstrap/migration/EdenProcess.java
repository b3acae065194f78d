package io.eden.bootstrap.migration;

import io.eden.bootstrap.EdenServerCommand;
import io.eden.bootstrap.support.ApiClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code eden-server} as a child JVM, as an operator runs it: this JVM's {@code java} and class
 * path, the command line's main class, a data directory that outlives the process. {@link #kill()}
 * is {@code kill -9}: no shutdown hook, no flush, no goodbye.
 */
final class EdenProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;
    private final int redisPort;
    private final MigrationApi api;

    private EdenProcess(Process process, Path log, int redisPort, int apiPort) {
        this.process = process;
        this.log = log;
        this.redisPort = redisPort;
        this.api = new MigrationApi(new ApiClient(apiPort, Optional.of(InProcessEden.TOKEN), new StringBuilder()));
    }

    /**
     * Starts {@code eden-server --listen 127.0.0.1:REDIS --api 127.0.0.1:API --data DATA --option ...}
     * and returns once {@code /healthz} answers 200. Its output is appended to {@code log}.
     */
    static EdenProcess start(Path data, int redisPort, int apiPort, Path log, List<String> options) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m",
                "-cp", System.getProperty("java.class.path"), EdenServerCommand.class.getName(),
                "--listen", "127.0.0.1:" + redisPort, "--api", "127.0.0.1:" + apiPort,
                "--data", data.toString(), "--plugins", data.resolveSibling("plugins").toString(),
                "--api-token", InProcessEden.TOKEN));
        for (String option : options) {
            command.add("--option");
            command.add(option);
        }
        try {
            Files.writeString(log, "\n==== " + String.join(" ", command.subList(4, command.size())) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            EdenProcess eden = new EdenProcess(process, log, redisPort, apiPort);
            eden.awaitHealthy();
            return eden;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        ApiClient anonymous = api.client().withToken(Optional.empty());
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("eden-server exited with " + process.exitValue() + " while starting:\n"
                        + logTail());
            }
            try {
                if (anonymous.get("/healthz").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            MigrationApi.sleep(Duration.ofMillis(100));
        }
        close();
        throw new AssertionError("eden-server did not become healthy within " + START_TIMEOUT + ":\n" + logTail());
    }

    MigrationApi api() {
        return api;
    }

    InetSocketAddress redis() {
        return new InetSocketAddress("127.0.0.1", redisPort);
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL, and wait until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("eden-server (pid " + process.pid() + ") survived SIGKILL for 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of the process's output, for assertion messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A normal stop (SIGTERM, the shutdown hook closes everything); SIGKILL if that takes too long. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }
}
