package io.eden.adapters.pgwire;

import java.util.HashMap;

/**
 * One client's named prepared statements: its own names mapped to the pool's statements.
 * Names are looked up straight from the message buffer, so a Bind allocates nothing.
 */
final class ClientStatements {
    private final HashMap<ByteKey, Pool.Statement> byName = new HashMap<>();
    private final ByteKey probe = ByteKey.probe();

    Pool.Statement get(byte[] b, int off, int len) {
        return byName.get(probe.set(b, off, len));
    }

    void remember(byte[] b, int off, int len, Pool.Statement statement) {
        if (byName.get(probe.set(b, off, len)) != statement) {
            byName.put(ByteKey.copyOf(b, off, len), statement);
        }
    }

    void forget(byte[] b, int off, int len) {
        byName.remove(probe.set(b, off, len));
    }

    /** The pool's statement for a Parse's query and parameter types at {@code b[off, off+len)}. */
    Pool.Statement intern(Pool pool, byte[] b, int off, int len) {
        return pool.intern(probe.set(b, off, len));
    }
}
