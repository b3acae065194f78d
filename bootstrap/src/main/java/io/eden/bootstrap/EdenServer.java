package io.eden.bootstrap;

import io.eden.adapters.http.DropwizardEdenMetrics;
import io.eden.adapters.http.HttpApiServer;
import io.eden.application.EdenCore;
import io.eden.application.service.ProtocolRegistry;
import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.application.spi.UnsupportedCapabilityException;
import io.eden.application.usecase.DeclareInterlay;
import io.eden.application.usecase.ResumeMigrations;
import io.eden.application.usecase.StartInterlayListeners;
import io.eden.application.view.InterlayView;
import io.eden.bootstrap.plugin.PluginException;
import io.eden.bootstrap.plugin.PluginLoader;
import io.eden.bootstrap.plugin.Plugins;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Eden process: the store, the protocol plugins, the application core, the listeners and the
 * REST API, started in that order and closed in the reverse one. Tests run it in-process on port 0
 * and ask it for the ports it got.
 */
public final class EdenServer implements AutoCloseable {
    static {
        // Undertow and XNIO log through jboss-logging, which picks slf4j only when told to; otherwise
        // they would write to java.util.logging in another format, beside the level settings
        if (System.getProperty("org.jboss.logging.provider") == null) {
            System.setProperty("org.jboss.logging.provider", "slf4j");
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EdenServer.class);

    private final ServerConfig config;
    private final ClassLoader hostLoader;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private EdenCore core;
    private final AtomicBoolean ready = new AtomicBoolean();
    private HttpApiServer api;
    private ApiToken token;
    private boolean started;
    private boolean closed;

    public EdenServer(ServerConfig config) {
        this(config, EdenServer.class.getClassLoader());
    }

    EdenServer(ServerConfig config, ClassLoader hostLoader) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.hostLoader = Objects.requireNonNull(hostLoader, "hostLoader is null");
    }

    /**
     * Starts everything; on failure closes what was already open.
     *
     * @throws StartupException with a message for the operator
     */
    public synchronized EdenServer start() {
        if (started || closed) {
            throw new IllegalStateException("an EdenServer starts once");
        }
        started = true;
        try {
            Path dataDir = DataDirectory.ensure(config.dataDir());
            token = ApiToken.resolve(config.apiToken(), dataDir);
            MetadataStore store = remember(MetadataStore.open(config.store(), dataDir));
            LOG.info("Store: {}", store.description());
            Plugins plugins = remember(loadPlugins());
            DropwizardEdenMetrics metrics = new DropwizardEdenMetrics();
            // each factory carries its own context (with its own --option values); the registry's is unused
            ProtocolRegistry protocols = registry(ProtocolOptions.scope(plugins.factories(), config.adapterOptions(),
                    metrics, dataDir), new HostAdapterContext(metrics, dataDir, Map.of()));
            core = remember(new EdenCore(store.endpoints(), store.interlays(), store.migrations(),
                    store.checkpoints(), protocols, Clock.systemUTC()));
            startListeners(DeclaredListener.resolve(config.listens(), protocols));
            resumeMigrations();
            api = remember(startApi(metrics));
            ready.set(true);
            LOG.info("Eden is up: REST API on http://{}:{}/api/v1", config.api().host(), api.port());
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The API answers {@code /healthz} with 200 only once everything before it is up, and 503 while closing. */
    private HttpApiServer startApi(DropwizardEdenMetrics metrics) {
        try {
            return new HttpApiServer(core.useCases(), token.value(), metrics, ready::get, config.api().host(),
                    config.api().port()).start();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw StartupException.failure("--api " + config.api() + ": cannot serve the REST API there: "
                    + cause.getMessage(), e);
        }
    }

    private Plugins loadPlugins() {
        try {
            Plugins plugins = new PluginLoader(hostLoader).load(config.pluginsDir());
            plugins.found().forEach(p -> LOG.info("Protocol {} (schemes {}) from {}", p.factory().id(),
                    String.join(", ", new TreeSet<>(p.factory().uriSchemes())), p.origin()));
            return plugins;
        } catch (PluginException | UncheckedIOException e) {
            throw StartupException.failure("--plugins " + config.pluginsDir() + ": " + e.getMessage(), e);
        }
    }

    private static ProtocolRegistry registry(List<ProtocolAdapterFactory> factories, HostAdapterContext context) {
        try {
            return new ProtocolRegistry(factories, context);
        } catch (IllegalStateException e) {
            // two plugins with one id or scheme, or a plugin built for another SPI version
            throw StartupException.failure(e.getMessage(), e);
        }
    }

    /**
     * Declares the command line's interlays, then starts every stored one. A listener the command
     * line asked for must start; one stored from an earlier run may fail (its address taken now)
     * without keeping the others down, so it is only logged.
     */
    private void startListeners(List<DeclaredListener> declared) {
        DeclareInterlay declare = core.useCases().declareInterlay();
        for (DeclaredListener listener : declared) {
            declare.execute(new DeclareInterlay.Command(listener.interlayId(), listener.protocol(),
                    listener.spec().address()));
        }
        Set<String> required = declared.stream().map(DeclaredListener::interlayId).collect(Collectors.toSet());
        for (StartInterlayListeners.Failure failure : core.useCases().startInterlayListeners().execute()) {
            String id = failure.interlay().id();
            if (required.contains(id)) {
                ListenSpec spec = declared.stream().filter(d -> d.interlayId().equals(id)).findFirst()
                        .orElseThrow().spec();
                String message = "--listen " + spec + ": " + failure.cause().getMessage();
                throw failure.cause() instanceof UnsupportedCapabilityException
                        ? StartupException.usage(message) : StartupException.failure(message, failure.cause());
            }
            LOG.warn("Interlay {} ({} on {}) is not listening: {}", id, failure.interlay().protocol(),
                    failure.interlay().listen(), failure.cause().getMessage());
        }
        for (InterlayView view : core.useCases().listInterlays().execute()) {
            view.boundAddress().ifPresent(bound -> LOG.info("Interlay {} ({}) listening on {}, routing to {}",
                    view.id(), view.protocol(), bound, view.endpoint().orElse("(no endpoint yet)")));
        }
    }

    /**
     * A migration stored as moving data resumes from its checkpoints. One that cannot is logged and
     * left in its phase: traffic keeps following its route, and the operator can roll it back.
     */
    private void resumeMigrations() {
        for (ResumeMigrations.Failure failure : core.useCases().resumeMigrations().execute()) {
            LOG.warn("Migration {} ({}) could not resume moving data: {}", failure.migration().id(),
                    failure.migration().phase().wireName(), failure.cause().getMessage());
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        opened.push(resource);
        return resource;
    }

    /** The port the REST API is bound to (the real one when 0 was asked for). */
    public synchronized int apiPort() {
        requireRunning();
        return api.port();
    }

    /** The API token in use; for the command line to say where it is kept, and for tests. */
    public synchronized ApiToken apiToken() {
        requireRunning();
        return token;
    }

    /** Where an interlay's listener is bound, if it is listening; an unknown id is a NotFoundException. */
    public synchronized Optional<InetSocketAddress> interlayAddress(String interlayId) {
        requireRunning();
        return core.useCases().getInterlay().execute(interlayId).boundAddress().map(EdenServer::socketAddress);
    }

    private static InetSocketAddress socketAddress(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        return new InetSocketAddress(hostAndPort.substring(0, colon),
                Integer.parseInt(hostAndPort.substring(colon + 1)));
    }

    private void requireRunning() {
        if (api == null || closed) {
            throw new IllegalStateException("the server is not running");
        }
    }

    /** Stops the API first (no new requests), then listeners and adapters, the plugins, the store. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready.set(false);
        while (!opened.isEmpty()) {
            AutoCloseable resource = opened.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        if (api != null) {
            LOG.info("Eden stopped");
        }
    }
}
