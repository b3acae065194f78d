package io.eden.application.spi;

import io.eden.domain.model.Endpoint;
import io.eden.domain.model.Health;
import io.eden.domain.model.Interlay;
import java.io.IOException;

/** One protocol's wire work: listening, reaching endpoints, moving data, applying routing. */
public interface ProtocolAdapter extends AutoCloseable {

    /**
     * Starts accepting clients for the interlay. Each client is routed by the route the view
     * shows at that moment; the view changes when a migration moves traffic.
     *
     * @throws IOException when the address cannot be bound
     * @throws UnsupportedCapabilityException when this adapter cannot serve such an interlay (e.g. TLS)
     */
    InterlayListener listen(Interlay interlay, RouteView route) throws IOException;

    /** Connects to the endpoint and asks it something cheap; returns within a few seconds. */
    Health checkHealth(Endpoint endpoint);

    /**
     * Starts moving data for one interlay of a migration: copy, keep both sides in step, report.
     *
     * @throws UnsupportedCapabilityException when this adapter cannot move data (yet)
     */
    default DataMovement startDataMovement(DataMovementRequest request) {
        throw new UnsupportedCapabilityException("data movement");
    }

    @Override
    void close();
}
