package io.eden.adapters.pgwire;

import java.util.ArrayList;

/**
 * A cancellable deadline on one event loop, such as a client's wait for a pooled connection.
 * Waits start and end at every transaction under load, so arming and cancelling are O(1):
 * deadlines with the same timeout expire in the order they were armed, and each timeout has
 * its own intrusive list on the loop.
 */
abstract class Deadline {
    private long at;
    private Deadline prev;
    private Deadline next;
    private Lists owner;

    /** Runs on the loop's thread when the deadline passes unless cancelled before. */
    abstract void expire();

    boolean armed() {
        return owner != null;
    }

    /** Arms this deadline {@code timeoutNanos} from now on {@code loop} (loop thread). */
    void arm(EventLoop loop, long now, long timeoutNanos) {
        cancel();
        at = now + timeoutNanos;
        loop.deadlines.list(timeoutNanos).append(this);
    }

    void cancel() {
        if (owner != null) {
            owner.unlink(this);
        }
    }

    /** One list per timeout value, head first; deadlines on one list are in time order. */
    static final class Lists {
        private final long timeoutNanos;
        private Deadline head;
        private Deadline tail;

        private Lists(long timeoutNanos) {
            this.timeoutNanos = timeoutNanos;
        }

        private void append(Deadline d) {
            d.owner = this;
            d.prev = tail;
            d.next = null;
            if (tail == null) {
                head = d;
            } else {
                tail.next = d;
            }
            tail = d;
        }

        private void unlink(Deadline d) {
            if (d.prev == null) {
                head = d.next;
            } else {
                d.prev.next = d.next;
            }
            if (d.next == null) {
                tail = d.prev;
            } else {
                d.next.prev = d.prev;
            }
            d.prev = null;
            d.next = null;
            d.owner = null;
        }
    }

    /** The deadlines of one loop. */
    static final class Table {
        private final ArrayList<Lists> lists = new ArrayList<>();

        private Lists list(long timeoutNanos) {
            for (Lists l : lists) {
                if (l.timeoutNanos == timeoutNanos) {
                    return l;
                }
            }
            Lists l = new Lists(timeoutNanos);
            lists.add(l);
            return l;
        }

        /** Nanoseconds until the earliest deadline, or -1 when none is armed. */
        long nanosToNext(long now) {
            long best = -1;
            for (Lists l : lists) {
                if (l.head != null) {
                    long left = Math.max(0, l.head.at - now);
                    if (best < 0 || left < best) {
                        best = left;
                    }
                }
            }
            return best;
        }

        void expire(long now) {
            for (Lists l : lists) {
                while (l.head != null && l.head.at - now <= 0) {
                    Deadline d = l.head;
                    l.unlink(d);
                    d.expire();
                }
            }
        }
    }
}
