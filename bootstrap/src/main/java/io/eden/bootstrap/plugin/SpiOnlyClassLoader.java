package io.eden.bootstrap.plugin;

import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Objects;

/**
 * The parent of every plugin's class loader: the JDK's platform classes plus the host's SPI
 * packages, and nothing else of the host. A plugin therefore shares the SPI types with the host
 * (the same {@code Class} objects, so its factory is a host {@code ProtocolAdapterFactory}) but
 * cannot see, and so cannot clash with, the host's libraries or internals: it brings its own.
 */
final class SpiOnlyClassLoader extends ClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final ClassLoader host;

    SpiOnlyClassLoader(ClassLoader host) {
        super("eden-plugin-spi", ClassLoader.getPlatformClassLoader());
        this.host = Objects.requireNonNull(host, "host is null");
    }

    /**
     * The packages a plugin may use from the host, each with its sub-packages (the same bounds the
     * architecture rule {@code the_plugin_spi_sees_only_the_domain} gives the SPI). Everything else
     * a plugin must bring itself.
     */
    static boolean isSpiClass(String name) {
        return name.startsWith("io.eden.application.spi.")
                || name.startsWith("io.eden.domain.")
                || name.startsWith("org.slf4j.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isSpiClass(name)) {
            return host.loadClass(name);
        }
        // the platform loader, then findClass, which finds nothing: the host stays invisible
        return super.loadClass(name, resolve);
    }

    /**
     * Host resources stay hidden too; above all the host's {@code META-INF/services} files, which
     * would otherwise make a plugin's ServiceLoader offer the host's own adapters.
     */
    @Override
    public URL getResource(String name) {
        return getParent().getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws java.io.IOException {
        Enumeration<URL> platform = getParent().getResources(name);
        return platform == null ? Collections.emptyEnumeration() : platform;
    }
}
