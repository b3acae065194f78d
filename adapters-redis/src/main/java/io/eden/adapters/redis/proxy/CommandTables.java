package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.command.CommandTable;
import io.eden.domain.model.Endpoint;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The command table of each endpoint, read at its first connection; the built-in one until then or if that fails. */
final class CommandTables {
    private final Map<String, CommandTable> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Boolean> attempted = new ConcurrentHashMap<>();
    private volatile CommandTable current = CommandTable.builtIn();

    boolean needsLoading(Endpoint endpoint) {
        return attempted.putIfAbsent(key(endpoint), Boolean.TRUE) == null;
    }

    void loaded(Endpoint endpoint, CommandTable table) {
        if (table != null) {
            byEndpoint.put(key(endpoint), table);
            current = table;
        }
    }

    /** The table for routing: the last one read from an upstream, else the built-in one. */
    CommandTable current() {
        return current;
    }

    private static String key(Endpoint endpoint) {
        return endpoint.id() + " " + endpoint.uri().redacted();
    }
}
