package io.eden.application.spi;

import java.util.function.Consumer;

/** A live view of one interlay's route; adapters read {@link #current()} on their hot path, it never blocks. */
public interface RouteView {

    RouteSnapshot current();

    /** Calls the listener after every change, on the thread that made it. Close the result to stop. */
    AutoCloseable subscribe(Consumer<RouteSnapshot> listener);
}
