package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;

/**
 * Told of every mirrored write once both replies are in: the hook where the migration's
 * {@code failure_handling} (count, record the key for repair, roll back) plugs in.
 */
@FunctionalInterface
public interface MirrorObserver {
    MirrorObserver NONE = (mirrorSide, db, key, authoritative, mirror) -> {
    };

    /**
     * @param db     the database the write ran in
     * @param key    the write's first key, null for a keyless write (FLUSHDB, SCRIPT LOAD)
     * @param mirror the other side's reply, an Eden error frame if it never came
     */
    void mirrored(Side mirrorSide, int db, byte[] key, byte[] authoritative, byte[] mirror);

    /** A write that ran on {@code truth} only (e.g. a transaction begun before mirroring): copy the key again. */
    default void needsRepair(int db, byte[] key, Side truth) {
    }

    /** Whether the mirror failed where the authoritative side did not fail the same way. */
    static boolean failed(byte[] authoritative, byte[] mirror) {
        return isError(mirror) && !java.util.Arrays.equals(authoritative, mirror);
    }

    static boolean isError(byte[] reply) {
        return reply.length > 0 && (reply[0] == '-' || reply[0] == '!');
    }
}
