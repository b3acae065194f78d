package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import java.io.IOException;
import java.util.SortedMap;
import java.util.TreeMap;

/** The databases of a server that hold keys, and how many, from {@code INFO keyspace}. */
final class Keyspace {
    private Keyspace() {
    }

    static SortedMap<Integer, Long> of(RedisConnection connection) throws IOException {
        RespValue reply = connection.call("INFO", "keyspace");
        SortedMap<Integer, Long> databases = new TreeMap<>();
        if (!(reply instanceof BulkString text)) {
            throw new IOException("endpoint '" + connection.endpoint().id() + "' did not answer INFO keyspace");
        }
        for (String line : text.text().split("\r?\n")) {
            // db0:keys=1,expires=0,avg_ttl=0
            if (line.startsWith("db") && line.contains(":keys=")) {
                int colon = line.indexOf(':');
                int comma = line.indexOf(',', colon);
                databases.put(Integer.parseInt(line.substring(2, colon)),
                        Long.parseLong(line.substring(colon + 6, comma < 0 ? line.length() : comma)));
            }
        }
        return databases;
    }
}
