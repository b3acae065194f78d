package io.eden.adapters.redis.migration;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** One SCAN round trip: the keys it found and the cursor to go on from ("0" when the walk is over). */
record ScanPage(String next, List<byte[]> keys) {

    static ScanPage read(RedisConnection connection, String cursor, int count) throws IOException {
        RespValue reply = connection.call("SCAN", cursor, "COUNT", Integer.toString(count));
        if (!(reply instanceof ArrayValue page) || page.elements().size() != 2
                || !(page.elements().get(0) instanceof BulkString next)
                || !(page.elements().get(1) instanceof ArrayValue found)) {
            throw new IOException("endpoint '" + connection.endpoint().id() + "' answered SCAN with " + reply);
        }
        List<byte[]> keys = new ArrayList<>(found.elements().size());
        for (RespValue key : found.elements()) {
            keys.add(((BulkString) key).bytes());
        }
        return new ScanPage(next.text(), keys);
    }

    boolean last() {
        return next.equals("0");
    }
}
