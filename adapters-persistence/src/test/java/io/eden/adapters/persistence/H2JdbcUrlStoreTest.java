package io.eden.adapters.persistence;

/**
 * A {@code jdbc:h2:} URL is taken as given, here without the PostgreSQL mode flags: the schema
 * and the statements must work in H2's own dialect too.
 */
class H2JdbcUrlStoreTest extends StoreContract {

    @Override
    protected String freshStoreUri() {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("plain") + ";DB_CLOSE_ON_EXIT=FALSE";
    }
}
