package io.eden.adapters.pgwire;

/**
 * What a CommandComplete tag means for a pooled connection: whether the client changed
 * session state (the connection needs DISCARD ALL before the next client), started
 * listening (it keeps the connection), or dropped all prepared statements.
 */
final class CommandTag {
    static final int NONE = 0;
    static final int DIRTY = 1;
    static final int LISTEN = 2;
    static final int DISCARD = 3;

    private CommandTag() {
    }

    static int effect(byte[] b, int off, int len) {
        if (startsWith(b, off, len, "SET") || startsWith(b, off, len, "RESET") || startsWith(b, off, len, "PREPARE")
                || startsWith(b, off, len, "DECLARE") || startsWith(b, off, len, "CREATE TABLE")
                || startsWith(b, off, len, "LOAD") || startsWith(b, off, len, "SELECT INTO")) {
            return DIRTY;
        }
        if (startsWith(b, off, len, "LISTEN")) {
            return LISTEN;
        }
        if (startsWith(b, off, len, "DISCARD ALL") || startsWith(b, off, len, "DEALLOCATE ALL")) {
            return DISCARD;
        }
        return NONE;
    }

    private static boolean startsWith(byte[] b, int off, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[off + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
