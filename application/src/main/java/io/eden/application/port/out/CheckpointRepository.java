package io.eden.application.port.out;

import java.util.Optional;

/** Durable progress markers of data movement, by migration and interlay, so a restart resumes. */
public interface CheckpointRepository {

    Optional<String> load(String migrationId, String interlayId, String key);

    void save(String migrationId, String interlayId, String key, String value);

    /** Forgets every checkpoint of a migration: its data moves again from the start. */
    void clear(String migrationId);
}
