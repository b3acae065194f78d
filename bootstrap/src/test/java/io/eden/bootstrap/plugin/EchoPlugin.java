package io.eden.bootstrap.plugin;

/** Sources of tiny test plugins, compiled by {@link PluginJars}. */
final class EchoPlugin {
    static final String FACTORY = "test.echo.EchoAdapterFactory";

    private EchoPlugin() {
    }

    /** A factory for scheme {@code echotest} that uses nothing but the SPI; {@code idSource} gives its id. */
    static String factory(String idSource) {
        return factory(idSource, "");
    }

    /** The same factory with {@code constructorBody} run when it is created. */
    static String factory(String idSource, String constructorBody) {
        return """
                package test.echo;

                import io.eden.application.spi.AdapterContext;
                import io.eden.application.spi.InterlayListener;
                import io.eden.application.spi.ProtocolAdapter;
                import io.eden.application.spi.ProtocolAdapterFactory;
                import io.eden.application.spi.RouteView;
                import io.eden.application.spi.UnsupportedCapabilityException;
                import io.eden.domain.model.Endpoint;
                import io.eden.domain.model.Health;
                import io.eden.domain.model.Interlay;
                import java.util.Set;

                public final class EchoAdapterFactory implements ProtocolAdapterFactory {
                    public EchoAdapterFactory() { %s }
                    public String id() { return %s; }
                    public Set<String> uriSchemes() { return Set.of("echotest"); }
                    public int defaultPort() { return 7777; }
                    public int spiVersion() { return SPI_VERSION; }
                    public ProtocolAdapter create(AdapterContext context) {
                        return new ProtocolAdapter() {
                            public InterlayListener listen(Interlay interlay, RouteView route) {
                                throw new UnsupportedCapabilityException("echo listeners");
                            }
                            public Health checkHealth(Endpoint endpoint) { return Health.HEALTHY; }
                            public void close() { }
                        };
                    }
                }
                """.formatted(constructorBody, idSource);
    }

    /** A helper class for a plugin made of two jars. */
    static String names() {
        return """
                package test.echo.names;

                public final class EchoNames {
                    public static String id() { return "echo-" + "test"; }
                }
                """;
    }
}
