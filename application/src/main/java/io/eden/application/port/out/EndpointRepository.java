package io.eden.application.port.out;

import io.eden.domain.model.Endpoint;
import java.util.List;
import java.util.Optional;

/** Stores endpoints, with their credentials; callers never show those. */
public interface EndpointRepository {

    /** Inserts a new endpoint; returns false, storing nothing, if the id is taken. */
    boolean insert(Endpoint endpoint);

    Optional<Endpoint> find(String id);

    /** All endpoints, in the order they were created. */
    List<Endpoint> findAll();

    /** Returns false if there was none. */
    boolean delete(String id);
}
