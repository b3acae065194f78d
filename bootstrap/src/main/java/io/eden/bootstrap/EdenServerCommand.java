package io.eden.bootstrap;

import io.eden.domain.error.InvalidValueException;
import io.eden.domain.model.ListenAddress;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code eden-server}: reads the command line, starts an {@link EdenServer}, runs until stopped. */
@Command(name = "eden-server", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = EdenServerCommand.Version.class,
        description = "Eden: a zero-downtime database migration proxy (Redis, PostgreSQL).%n"
                + "Point applications at its listeners; drive migrations through the REST API.%n",
        footer = {"%nExamples:",
                "  eden-server --listen 0.0.0.0:6379",
                "  eden-server --listen 127.0.0.1:6379 --api 127.0.0.1:8000 --data /var/lib/eden"})
public final class EdenServerCommand implements Callable<Integer> {
    static final String TOKEN_ENV = "EDEN_API_TOKEN";

    @Option(names = "--listen", paramLabel = "ADDR", converter = ListenConverter.class,
            description = {"Accept clients on ADDR; repeatable, once per protocol:",
                    "  HOST:PORT             Redis",
                    "  redis://HOST:PORT     Redis",
                    "  postgres://HOST:PORT  PostgreSQL",
                    "Declares the interlay <protocol>_interlay, e.g. redis_interlay."})
    private List<ListenSpec> listens = new ArrayList<>();

    @Option(names = "--api", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8000", converter = ApiConverter.class,
            description = "Address of the REST API (default: ${DEFAULT-VALUE}).")
    private ListenAddress api;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data",
            description = "Data directory: embedded store and generated API token (default: ${DEFAULT-VALUE}).")
    private Path data;

    @Option(names = "--store", paramLabel = "URI",
            description = {"Metadata store. Default: an embedded H2 file in the data directory.",
                    "postgresql://USER:PASSWORD@HOST:PORT/DB for a store shared by several Edens;",
                    "memory: for a throw-away store."})
    private String store;

    @Option(names = "--api-token", paramLabel = "TOKEN",
            description = {"Bearer token of the REST API; or set " + TOKEN_ENV + " (safer: a flag",
                    "shows in the process list).",
                    "Without either, one is generated at first start and kept in DIR/api-token (owner only)."})
    private String apiToken;

    @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "./plugins",
            description = "Folder of protocol plugin jars, each jar or sub-folder one plugin (default: ${DEFAULT-VALUE}).")
    private Path plugins;

    @Option(names = "--option", paramLabel = "PROTOCOL.NAME=VALUE",
            description = "A protocol adapter setting, e.g. redis.max-bulk-length=64mb; repeatable.")
    private Map<String, String> options = new LinkedHashMap<>();

    private final Map<String, String> env;
    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);

    EdenServerCommand(Map<String, String> env, PrintStream out) {
        this.env = Map.copyOf(env);
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.getenv(), System.out, System.err));
    }

    /** Parses and runs; returns the exit code (0 after a normal stop, 2 for usage errors, 1 for failures). */
    static int execute(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        CommandLine commandLine = new CommandLine(new EdenServerCommand(env, out));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler(EdenServerCommand::usageError);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StartupException startup) {
                cmd.getErr().println("eden-server: " + startup.getMessage());
                return startup.exitCode();
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    /**
     * A short answer to a bad command line: what is wrong and where help is, not the whole usage.
     * An unknown option is shown without its value, which may be a mistyped {@code --api-token=...}.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> shown = unmatched.getUnmatched().stream().map(EdenServerCommand::withoutValue).toList();
            err.println("eden-server: unknown option or argument: " + String.join(" ", shown));
        } else {
            err.println("eden-server: " + e.getMessage());
        }
        err.println("Run 'eden-server --help' for the options.");
        return CommandLine.ExitCode.USAGE;
    }

    private static String withoutValue(String arg) {
        if (!arg.startsWith("-")) {
            return "(a value without an option)";
        }
        int eq = arg.indexOf('=');
        return eq < 0 ? arg : arg.substring(0, eq) + "=...";
    }

    ServerConfig config() {
        Optional<String> token = Optional.ofNullable(apiToken)
                .or(() -> Optional.ofNullable(env.get(TOKEN_ENV)).filter(t -> !t.isBlank()));
        return new ServerConfig(listens, api, data, Optional.ofNullable(store), token, plugins, options);
    }

    @Override
    public Integer call() throws InterruptedException {
        EdenServer server = new EdenServer(config()).start();
        // Startup leaves megabytes of objects that live as long as the process (configuration, the
        // metadata store, class metadata) in the young generation, where every young collection copies
        // them again until they are old enough: 16-32 ms pauses instead of 3-9 ms in our GC logs on a
        // 2-vCPU VM (decision 25). One full collection now moves them to the old generation.
        System.gc();
        // Ctrl-C and SIGTERM close everything in reverse order; a failed start has closed itself already
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "eden-shutdown"));
        server.apiToken().file().ifPresent(file -> out.println("API token: stored in " + file
                + " (send it as 'Authorization: Bearer <token>')"));
        stopped.await();
        return 0;
    }

    static final class ListenConverter implements ITypeConverter<ListenSpec> {
        @Override
        public ListenSpec convert(String value) {
            try {
                return ListenSpec.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    static final class ApiConverter implements ITypeConverter<ListenAddress> {
        @Override
        public ListenAddress convert(String value) {
            try {
                return ListenAddress.parse(value);
            } catch (InvalidValueException e) {
                throw new TypeConversionException(e.getMessage().replace("listen", "the API address")
                        .replace("0.0.0.0:6379", "0.0.0.0:8000"));
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = EdenServerCommand.class.getPackage().getImplementationVersion();
            return new String[] {"eden-server " + (version == null ? "(development build)" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
