package io.eden.bootstrap.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.eden.application.spi.ProtocolAdapterFactory;
import io.eden.domain.model.Health;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
    @TempDir
    Path temp;

    private final PluginLoader loader = new PluginLoader(PluginLoaderTest.class.getClassLoader());

    @Test
    void aPluginJarIsLoadedInItsOwnClassLoaderThatSeesOnlyTheSpi() throws Exception {
        Path plugins = temp.resolve("plugins");
        Path jar = PluginJars.jar(plugins.resolve("echo.jar"),
                PluginJars.compile(dir("classes"), Map.of(EchoPlugin.FACTORY, EchoPlugin.factory("\"echo-test\""))),
                Optional.of(EchoPlugin.FACTORY));

        try (Plugins loaded = loader.load(plugins)) {
            Plugins.Found echo = only(loaded, "echo-test");
            ProtocolAdapterFactory factory = echo.factory();
            assertEquals(Set.of("echotest"), factory.uriSchemes());
            assertEquals(ProtocolAdapterFactory.SPI_VERSION, factory.spiVersion());
            assertEquals(jar.toString(), echo.origin());
            assertEquals(Health.HEALTHY, factory.create(null).checkHealth(null));

            ClassLoader pluginLoader = factory.getClass().getClassLoader();
            URLClassLoader own = assertInstanceOf(URLClassLoader.class, pluginLoader);
            assertEquals(List.of(jar.toUri().toURL()), List.of(own.getURLs()));
            assertNotSame(PluginLoaderTest.class.getClassLoader(), pluginLoader);

            assertNotLoadable(pluginLoader, "io.eden.application.service.ProtocolRegistry");
            assertNotLoadable(pluginLoader, "io.eden.application.EdenCore");
            assertNotLoadable(pluginLoader, "io.eden.bootstrap.EdenServer");
            assertNotLoadable(pluginLoader, "com.zaxxer.hikari.HikariDataSource");
            assertNotLoadable(pluginLoader, "picocli.CommandLine");
            assertSame(ProtocolAdapterFactory.class,
                    Class.forName("io.eden.application.spi.ProtocolAdapterFactory", false, pluginLoader));
            assertSame(Health.class, Class.forName("io.eden.domain.model.Health", false, pluginLoader));
            assertSame(org.slf4j.Logger.class, Class.forName("org.slf4j.Logger", false, pluginLoader));
            assertSame(java.sql.Connection.class, Class.forName("java.sql.Connection", false, pluginLoader));
            // the host's service files stay hidden too, or the plugin would offer the host's adapters
            List<URL> services = java.util.Collections.list(pluginLoader.getResources(PluginLoader.SERVICE_FILE));
            assertEquals(1, services.size(), services::toString);
            assertTrue(services.get(0).toString().contains("echo.jar"), services::toString);
        }
    }

    @Test
    void classPathAdaptersAreFoundBesideThePlugins() throws IOException {
        try (Plugins loaded = loader.load(temp.resolve("no-such-folder"))) {
            assertEquals("class path", only(loaded, "redis").origin());
            assertEquals("class path", only(loaded, "postgres").origin());
            assertSame(PluginLoaderTest.class.getClassLoader(),
                    only(loaded, "redis").factory().getClass().getClassLoader());
        }
    }

    @Test
    void aFolderOfJarsIsOnePluginWithOneClassLoader() throws Exception {
        Path plugins = temp.resolve("plugins");
        Path helper = PluginJars.jar(plugins.resolve("echo/names.jar"),
                PluginJars.compile(dir("names"), Map.of("test.echo.names.EchoNames", EchoPlugin.names())),
                Optional.empty());
        PluginJars.jar(plugins.resolve("echo/factory.jar"),
                PluginJars.compile(dir("factory"), Map.of(EchoPlugin.FACTORY,
                        EchoPlugin.factory("test.echo.names.EchoNames.id()")), helper),
                Optional.of(EchoPlugin.FACTORY));

        try (Plugins loaded = loader.load(plugins)) {
            Plugins.Found echo = only(loaded, "echo-test");
            assertEquals(plugins.resolve("echo").toString(), echo.origin());
            URL[] urls = ((URLClassLoader) echo.factory().getClass().getClassLoader()).getURLs();
            assertEquals(2, urls.length);
        }
    }

    @Test
    void aJarWithoutAFactoryFailsTheStartNamingTheFile() throws IOException {
        Path plugins = temp.resolve("plugins");
        Path empty = PluginJars.jar(plugins.resolve("empty.jar"), null, Optional.empty());

        PluginException refused = assertThrows(PluginException.class, () -> loader.load(plugins));
        assertTrue(refused.getMessage().contains(empty.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("holds no protocol adapter"), refused.getMessage());
    }

    @Test
    void aPluginThatUsesHostInternalsFailsTheStartNamingTheFile() throws IOException {
        Path plugins = temp.resolve("plugins");
        Path greedy = PluginJars.jar(plugins.resolve("greedy.jar"),
                PluginJars.compile(dir("greedy"), Map.of(EchoPlugin.FACTORY, EchoPlugin.factory("\"greedy\"",
                        "System.out.println(io.eden.application.service.ProtocolRegistry.class);"))),
                Optional.of(EchoPlugin.FACTORY));

        PluginException refused = assertThrows(PluginException.class, () -> loader.load(plugins));
        assertTrue(refused.getMessage().contains(greedy.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("io/eden/application/service/ProtocolRegistry")
                || refused.getMessage().contains("io.eden.application.service.ProtocolRegistry"), refused.getMessage());
    }

    @Test
    void onlyTheSpiPackagesOfTheHostAreShared() {
        assertTrue(SpiOnlyClassLoader.isSpiClass("io.eden.application.spi.ProtocolAdapterFactory"));
        assertTrue(SpiOnlyClassLoader.isSpiClass("io.eden.application.spi.EdenMetrics$Counter"));
        assertTrue(SpiOnlyClassLoader.isSpiClass("io.eden.domain.model.Endpoint"));
        assertTrue(SpiOnlyClassLoader.isSpiClass("io.eden.domain.routing.Router"));
        assertTrue(SpiOnlyClassLoader.isSpiClass("org.slf4j.LoggerFactory"));
        assertTrue(SpiOnlyClassLoader.isSpiClass("io.eden.application.spi.later.Thing"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.application.spix.Thing"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.application.store.InMemoryStore"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.application.service.ProtocolRegistry"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.application.EdenCore"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.domainx.Thing"));
        assertFalse(SpiOnlyClassLoader.isSpiClass("io.eden.adapters.redis.RedisAdapterFactory"));
    }

    private Path dir(String name) throws IOException {
        return Files.createDirectories(temp.resolve("build").resolve(name));
    }

    private static Plugins.Found only(Plugins loaded, String id) {
        List<Plugins.Found> found = loaded.found().stream().filter(f -> f.factory().id().equals(id)).toList();
        assertEquals(1, found.size(), () -> "plugins with id " + id + ": " + loaded.found());
        return found.get(0);
    }

    private static void assertNotLoadable(ClassLoader loader, String name) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, loader), name);
    }
}
