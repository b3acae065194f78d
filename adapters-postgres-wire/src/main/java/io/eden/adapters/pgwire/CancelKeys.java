package io.eden.adapters.pgwire;

import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backend keys Eden hands to its clients, each mapped to whatever cancels that client's
 * current server work. Clients never see a server's real keys.
 */
final class CancelKeys {
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(int secret, Runnable cancel) {
    }

    /** Registers and returns {pid, secret}. */
    int[] register(Runnable cancel) {
        while (true) {
            int pid = random.nextInt(1, Integer.MAX_VALUE);
            int secret = random.nextInt();
            if (entries.putIfAbsent((long) pid, new Entry(secret, cancel)) == null) {
                return new int[] {pid, secret};
            }
        }
    }

    void unregister(int pid) {
        entries.remove((long) pid);
    }

    void cancel(int pid, int secret) {
        Entry entry = entries.get((long) pid);
        if (entry != null && entry.secret == secret) {
            entry.cancel.run();
        }
    }
}
