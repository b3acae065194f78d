package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.command.CommandSpec;
import io.eden.adapters.redis.proxy.Lanes.Lane;
import io.eden.domain.model.Endpoint;
import java.util.Arrays;

/**
 * A pipeline batch: consecutive plain commands of one client's read (no migration running, one
 * key lane each) that go to the lanes of one upstream connection. The loop holds the connection
 * and every lane the batch touches until it closes the batch, then writes the commands (as the
 * client sent them: they lie together in the read) in one go, with one waiter and one reply slot
 * for all of them; their replies are consecutive frames on the connection, gathered and passed
 * on together. A command alone costs a reply slot, a queued waiter, two locks and a copy of its
 * reply each; a batch of 16 costs them once (decision 23).
 *
 * <p>One per loop: a loop runs one client's input at a time, and closes the batch before it
 * leaves that input. Every lock is tried, never waited for: what cannot join runs the usual way.
 */
final class LaneBatch {
    /** Commands per batch at most: a batch's replies are gathered until the last one comes. */
    static final int MAX_COMMANDS = 64;

    private ClientSession owner;
    private UpstreamLink link;
    private Endpoint endpoint;
    private byte[] buf;
    private int start;
    private int end;
    private final int[] lanes = new int[MAX_COMMANDS];
    private int size;
    private final boolean[] held = new boolean[ProxySettings.MAX_LANES];
    private final Lane[] heldLanes = new Lane[MAX_COMMANDS];
    private int heldCount;

    private CommandSpec lastSpec;
    private boolean lastPlain;

    /** {@link ClientSession#batchable}, remembered for the last command table entry asked about. */
    boolean plain(CommandSpec spec) {
        if (spec != lastSpec) {
            lastPlain = ClientSession.batchable(spec);
            lastSpec = spec;
        }
        return lastPlain;
    }

    /**
     * Adds the command {@code buf[from, to)} of {@code session}, for lane {@code lane} on the source
     * side: true when it joined (it is sent when the batch closes). False when it cannot go now
     * without waiting; the caller then closes the batch and sends the command the usual way.
     */
    boolean add(ClientSession session, Lane lane, Endpoint endpoint, byte[] buf, int from, int to) {
        UpstreamLink next = lane.source;
        if (link != null && (next != link || session != owner || buf != this.buf || from != end
                || size == MAX_COMMANDS || (endpoint != this.endpoint && !endpoint.equals(this.endpoint)))) {
            owner.closeBatch();
        }
        if (link == null) {
            if (!ClientLoop.tryLock(next.lock)) {
                return false;
            }
            // under the connection's lock nobody can break it off: it stays ready until the batch is written
            if (!next.readyFor(endpoint)) {
                next.lock.unlock();
                return false;
            }
            owner = session;
            link = next;
            this.endpoint = endpoint;
            this.buf = buf;
            start = from;
            end = from;
        }
        if (!held[lane.index]) {
            if (!ClientLoop.tryLock(lane.lock)) {
                if (size == 0) {
                    release(); // opened for this command alone: nothing to send
                }
                return false;
            }
            held[lane.index] = true;
            heldLanes[heldCount++] = lane;
        }
        lanes[size++] = lane.index;
        end = to;
        return true;
    }

    /** Takes back the command just added, which started at {@code from}; its lane stays held until the batch closes. */
    void dropLast(int from) {
        size--;
        end = from;
        if (size == 0) {
            release();
        }
    }

    boolean isOpen() {
        return link != null;
    }

    /** Writes the batch, then lets go of its connection and lanes; {@code reply} takes its replies. */
    void send(ClientSession.Reply reply, long readAt) throws UpstreamLink.Unavailable {
        try {
            if (size > 1) {
                reply.lanes = Arrays.copyOf(lanes, size);
            }
            link.send(endpoint, buf, start, end - start, reply, lanes[0], readAt); // the loop holds its lock
        } finally {
            release();
        }
    }

    /** The connection written to, to flush at the end of the loop's round; valid until the next batch opens. */
    UpstreamLink link() {
        return link;
    }

    /** Lets go of an open batch without sending it: its client failed mid-input and is being closed. */
    void discard() {
        if (link != null) {
            release();
        }
    }

    private void release() {
        for (int i = heldCount - 1; i >= 0; i--) {
            held[heldLanes[i].index] = false;
            heldLanes[i].lock.unlock();
            heldLanes[i] = null;
        }
        heldCount = 0;
        link.lock.unlock();
        link = null;
        owner = null;
        endpoint = null;
        buf = null;
        size = 0;
    }
}
