package io.eden.application.spi;

import java.net.InetSocketAddress;

/** A running listener of one interlay. Closing it stops accepting and closes its client connections. */
public interface InterlayListener extends AutoCloseable {

    /** The address actually bound (the real port when port 0 was asked for). */
    InetSocketAddress boundAddress();

    int activeConnections();

    @Override
    void close();
}
