package io.eden.bootstrap.plugin;

import io.eden.application.spi.ProtocolAdapterFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Finds protocol adapters: those on the host's class path, and those in a plugins folder. In
 * the folder, each {@code *.jar} is one plugin, and each sub-folder holding jars is one plugin
 * made of all of them. Every plugin gets its own class loader that sees only its own jars, the
 * JDK and the host's SPI packages ({@link SpiOnlyClassLoader}), so plugins cannot break each
 * other or the host with a different version of a shared library.
 */
public final class PluginLoader {
    static final String SERVICE_FILE = "META-INF/services/" + ProtocolAdapterFactory.class.getName();

    private final ClassLoader host;
    private final SpiOnlyClassLoader spiOnly;

    public PluginLoader(ClassLoader host) {
        this.host = Objects.requireNonNull(host, "host is null");
        this.spiOnly = new SpiOnlyClassLoader(host);
    }

    /**
     * Loads the class-path factories and every plugin under {@code pluginsDir}; a missing folder
     * means no plugins.
     *
     * @throws PluginException when a plugin holds no factory or its factory cannot be loaded
     */
    public Plugins load(Path pluginsDir) {
        List<Plugins.Found> found = new ArrayList<>();
        List<URLClassLoader> loaders = new ArrayList<>();
        try {
            for (ProtocolAdapterFactory factory : instantiate(ServiceLoader.load(ProtocolAdapterFactory.class, host),
                    "the class path")) {
                found.add(new Plugins.Found(factory, "class path"));
            }
            for (Path unit : pluginUnits(pluginsDir)) {
                URLClassLoader loader = new URLClassLoader("plugin " + unit.getFileName(), urls(unit), spiOnly);
                loaders.add(loader);
                List<ProtocolAdapterFactory> factories =
                        instantiate(ServiceLoader.load(ProtocolAdapterFactory.class, loader), unit.toString());
                if (factories.isEmpty()) {
                    throw new PluginException("plugin " + unit + " holds no protocol adapter: it needs a "
                            + SERVICE_FILE + " file naming its " + ProtocolAdapterFactory.class.getName()
                            + " implementation");
                }
                factories.forEach(f -> found.add(new Plugins.Found(f, unit.toString())));
            }
        } catch (RuntimeException e) {
            new Plugins(List.of(), loaders).close();
            throw e;
        }
        return new Plugins(found, loaders);
    }

    /** The jars and jar folders directly in the plugins folder, sorted so loading is repeatable. */
    static List<Path> pluginUnits(Path pluginsDir) {
        if (pluginsDir == null || !Files.isDirectory(pluginsDir)) {
            return List.of();
        }
        List<Path> units = new ArrayList<>();
        for (Path entry : list(pluginsDir)) {
            if (Files.isRegularFile(entry) && isJar(entry)) {
                units.add(entry);
            } else if (Files.isDirectory(entry) && !jarsIn(entry).isEmpty()) {
                units.add(entry);
            }
        }
        return units;
    }

    private static URL[] urls(Path unit) {
        List<Path> jars = Files.isDirectory(unit) ? jarsIn(unit) : List.of(unit);
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("plugin jar " + jars.get(i) + " has no usable file URL", e);
            }
        }
        return urls;
    }

    private static List<Path> jarsIn(Path folder) {
        return list(folder).stream().filter(p -> Files.isRegularFile(p) && isJar(p)).toList();
    }

    private static boolean isJar(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    private static List<Path> list(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plugins folder " + folder, e);
        }
    }

    /** Creates every listed factory now, so a broken plugin fails the start rather than the first request. */
    private static List<ProtocolAdapterFactory> instantiate(ServiceLoader<ProtocolAdapterFactory> services,
                                                            String origin) {
        try {
            return services.stream().map(ServiceLoader.Provider::get).toList();
        } catch (ServiceConfigurationError | LinkageError e) {
            // typically a plugin that uses a host class outside the SPI packages, or a missing jar
            throw new PluginException("cannot load the protocol adapter of " + origin + ": " + describe(e), e);
        }
    }

    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" (caused by ").append(cause).append(')');
        }
        return text.toString();
    }
}
