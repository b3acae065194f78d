package io.eden.adapters.pgwire;

import java.util.Arrays;

/**
 * What a server connection still owes answers for, oldest first: one entry per message sent
 * (kind = the message type, action = forward, skip or fake, the fake reply's type, and the
 * statement a Parse prepared). Parallel arrays in a ring, so a query costs no allocation.
 */
final class PendingQueue {
    static final byte FORWARD = 0;
    static final byte SKIP = 1;
    static final byte FAKE = 2;

    private byte[] kinds = new byte[16];
    private byte[] actions = new byte[16];
    private byte[] fakes = new byte[16];
    private Pool.Statement[] statements = new Pool.Statement[16];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void push(int kind, byte action, int fake, Pool.Statement statement) {
        if (size == kinds.length) {
            grow();
        }
        int i = (head + size) & (kinds.length - 1);
        kinds[i] = (byte) kind;
        actions[i] = action;
        fakes[i] = (byte) fake;
        statements[i] = statement;
        size++;
    }

    private void grow() {
        int n = kinds.length;
        byte[] k = new byte[2 * n];
        byte[] a = new byte[2 * n];
        byte[] f = new byte[2 * n];
        Pool.Statement[] s = new Pool.Statement[2 * n];
        for (int j = 0; j < size; j++) {
            int i = (head + j) & (n - 1);
            k[j] = kinds[i];
            a[j] = actions[i];
            f[j] = fakes[i];
            s[j] = statements[i];
        }
        kinds = k;
        actions = a;
        fakes = f;
        statements = s;
        head = 0;
    }

    int headKind() {
        return kinds[head];
    }

    byte headAction() {
        return actions[head];
    }

    int headFake() {
        return fakes[head];
    }

    Pool.Statement headStatement() {
        return statements[head];
    }

    int lastKind() {
        return kinds[(head + size - 1) & (kinds.length - 1)];
    }

    void pop() {
        statements[head] = null;
        head = (head + 1) & (kinds.length - 1);
        size--;
    }

    void clear() {
        Arrays.fill(statements, null);
        head = 0;
        size = 0;
    }
}
