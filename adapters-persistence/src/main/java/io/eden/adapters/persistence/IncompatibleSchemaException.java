package io.eden.adapters.persistence;

/**
 * The store was written by a newer Eden: its schema version is one this code does not know.
 * Eden refuses to start rather than read or write tables it does not understand.
 */
public final class IncompatibleSchemaException extends IllegalStateException {
    private final int storeVersion;
    private final int knownVersion;

    IncompatibleSchemaException(String store, int storeVersion, int knownVersion) {
        super("the store " + store + " has schema version " + storeVersion + ", newer than the version "
                + knownVersion + " this Eden knows; run a newer Eden or point it at another store");
        this.storeVersion = storeVersion;
        this.knownVersion = knownVersion;
    }

    public int storeVersion() {
        return storeVersion;
    }

    public int knownVersion() {
        return knownVersion;
    }
}
