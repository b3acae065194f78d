-- A second version, for the upgrade test only.
CREATE TABLE upgrade_probe (
    id INTEGER NOT NULL PRIMARY KEY  -- a comment; with a semicolon
);
INSERT INTO upgrade_probe (id) VALUES (42);
