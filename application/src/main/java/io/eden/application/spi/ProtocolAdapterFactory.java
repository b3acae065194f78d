package io.eden.application.spi;

import java.util.Set;

/**
 * The entry point of a protocol plugin, found through {@link java.util.ServiceLoader} on the
 * class path or in a jar under {@code plugins/}. One instance per server; {@link #create} is
 * called once, when the protocol is first needed.
 */
public interface ProtocolAdapterFactory {
    /** The SPI version of this host. A plugin returns the value it was compiled against from {@link #spiVersion()}. */
    int SPI_VERSION = 1;

    /** A stable id, as used in configuration: {@code redis}, {@code postgres}. */
    String id();

    /** The URI schemes of endpoints this protocol serves, lower case: {@code redis}, {@code rediss}. */
    Set<String> uriSchemes();

    /** The port an endpoint URI without one means. */
    int defaultPort();

    /**
     * The SPI version the plugin was compiled against. Implement it as {@code return SPI_VERSION;}
     * so the constant is inlined at the plugin's compile time and the host can refuse a mismatch.
     */
    int spiVersion();

    ProtocolAdapter create(AdapterContext context);
}
