-- Eden metadata store, version 1.
-- The same script runs on H2 (MODE=PostgreSQL) and on PostgreSQL: keep to SQL both accept.
-- Instants are stored as epoch seconds + nanoseconds (two columns) so nothing is truncated
-- and the optimistic check on migrations compares exactly what the caller holds.
-- Rows of one kind come back in the order they were created: created_order (identity).

CREATE TABLE endpoints (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_order BIGINT       GENERATED ALWAYS AS IDENTITY,
    protocol      VARCHAR(32)  NOT NULL,
    uri           VARCHAR      NOT NULL  -- unredacted: holds the password
);

CREATE TABLE interlays (
    id            VARCHAR(64)  NOT NULL PRIMARY KEY,
    created_order BIGINT       GENERATED ALWAYS AS IDENTITY,
    protocol      VARCHAR(32)  NOT NULL,
    listen_host   VARCHAR      NOT NULL,
    listen_port   INTEGER      NOT NULL,
    tls           BOOLEAN      NOT NULL,
    endpoint_id   VARCHAR(64)             -- null while unbound; not a foreign key (the application checks it)
);

CREATE TABLE interlay_settings (
    interlay_id   VARCHAR(64)  NOT NULL REFERENCES interlays (id) ON DELETE CASCADE,
    setting_key   VARCHAR      NOT NULL,
    setting_value VARCHAR      NOT NULL,
    PRIMARY KEY (interlay_id, setting_key)
);

CREATE TABLE migrations (
    id               VARCHAR(64)      NOT NULL PRIMARY KEY,
    created_order    BIGINT           GENERATED ALWAYS AS IDENTITY,
    description      VARCHAR          NOT NULL,
    strategy_type    VARCHAR(32)      NOT NULL,  -- canary
    read_percentage  DOUBLE PRECISION NOT NULL,
    write_mode       VARCHAR(32)      NOT NULL,  -- dual_write | cutover
    write_policy     VARCHAR(32),                -- dual_write only
    write_percentage DOUBLE PRECISION,           -- cutover only
    data_type        VARCHAR(32)      NOT NULL,
    data_replace     VARCHAR(32)      NOT NULL,
    failure_type     VARCHAR(32)      NOT NULL,  -- rollback_all | allow_partial | retry_then_all
    retry_count      INTEGER,                    -- retry_then_all only
    phase            VARCHAR(32)      NOT NULL,
    phase_reason     VARCHAR,
    created_at_s     BIGINT           NOT NULL,
    created_at_ns    INTEGER          NOT NULL,
    updated_at_s     BIGINT           NOT NULL,
    updated_at_ns    INTEGER          NOT NULL
);

CREATE TABLE migration_interlays (
    migration_id       VARCHAR(64) NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    interlay_id        VARCHAR(64) NOT NULL,
    entry_order        INTEGER     NOT NULL,  -- keeps the map's insertion order
    source_endpoint_id VARCHAR(64) NOT NULL,
    target_endpoint_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (migration_id, interlay_id)
);

CREATE TABLE migration_audit (
    migration_id  VARCHAR(64) NOT NULL REFERENCES migrations (id) ON DELETE CASCADE,
    seq           INTEGER     NOT NULL,  -- 1, 2, ... per migration
    from_phase    VARCHAR(32) NOT NULL,
    to_phase      VARCHAR(32) NOT NULL,
    reason        VARCHAR     NOT NULL,
    at_s          BIGINT      NOT NULL,
    at_ns         INTEGER     NOT NULL,
    PRIMARY KEY (migration_id, seq)
);

CREATE TABLE checkpoints (
    migration_id     VARCHAR(64) NOT NULL,
    interlay_id      VARCHAR(64) NOT NULL,
    checkpoint_key   VARCHAR     NOT NULL,
    checkpoint_value VARCHAR     NOT NULL,
    PRIMARY KEY (migration_id, interlay_id, checkpoint_key)
);
