package io.eden.application.port.out;

import io.eden.domain.model.Interlay;
import java.util.List;
import java.util.Optional;

/** Stores interlays so that their listeners come back after a restart. */
public interface InterlayRepository {

    /** Inserts a new interlay; returns false, storing nothing, if the id is taken. */
    boolean insert(Interlay interlay);

    /** Replaces a stored interlay (endpoint bound, listen address changed). */
    void update(Interlay interlay);

    Optional<Interlay> find(String id);

    /** All interlays, in the order they were created. */
    List<Interlay> findAll();
}
