package io.eden.adapters.redis.proxy;

import io.eden.domain.routing.Side;

/**
 * Told of every mirrored write once both replies are in: the hook where the migration's
 * {@code failure_handling} (count, record the key for repair, roll back) plugs in.
 */
@FunctionalInterface
interface MirrorObserver {
    MirrorObserver NONE = (mirrorSide, authoritative, mirror) -> {
    };

    /** {@code mirror} is the other side's reply, an Eden error frame if it never came. */
    void mirrored(Side mirrorSide, byte[] authoritative, byte[] mirror);
}
