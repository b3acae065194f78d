package io.eden.adapters.pgwire;

/**
 * The four extended-protocol messages that name a prepared statement (Parse, Bind, Describe,
 * Close), rewritten from the client's names to the pool's: each is whole in the client's
 * buffer at its read index, and goes to the server connection's output with Eden's name, is
 * preceded by a Parse the connection lacks, or is answered by Eden in the server's place.
 */
final class StatementRewriter {
    private StatementRewriter() {
    }

    static void parse(PooledClient c, PooledServer s, int len) throws ProtocolViolation {
        Buf in = c.in;
        int b = in.r + 5;
        int end = b + len;
        int nameEnd = Wire.cstringEnd(in.a, b, end);
        if (nameEnd < 0) {
            throw new ProtocolViolation("invalid Parse message");
        }
        if (nameEnd == b) {
            s.push('P', PendingQueue.FORWARD, 0, null);
            s.out().move(in, 5 + len);
            return;
        }
        Pool.Statement statement = c.statements.intern(c.pool(), in.a, nameEnd + 1, end - nameEnd - 1);
        c.statements.remember(in.a, b, nameEnd - b, statement);
        in.skip(5 + len);
        if (s.prepared.contains(statement)) {
            push(c, s, 'P', PendingQueue.FAKE, '1', statement);
            return;
        }
        s.prepared.add(statement);
        s.push('P', PendingQueue.FORWARD, 0, statement);
        writeParse(s.out(), statement);
    }

    static void bind(PooledClient c, PooledServer s, int len) throws ProtocolViolation {
        Buf in = c.in;
        int b = in.r + 5;
        int end = b + len;
        int portalEnd = Wire.cstringEnd(in.a, b, end);
        int nameEnd = portalEnd < 0 ? -1 : Wire.cstringEnd(in.a, portalEnd + 1, end);
        if (nameEnd < 0) {
            throw new ProtocolViolation("invalid Bind message");
        }
        Pool.Statement statement = nameEnd == portalEnd + 1 ? null
                : ensurePrepared(c, s, in.a, portalEnd + 1, nameEnd - portalEnd - 1);
        s.push('B', PendingQueue.FORWARD, 0, null);
        if (statement == null) {
            s.out().move(in, 5 + len);
            return;
        }
        int portalLen = portalEnd + 1 - b;
        int restLen = end - nameEnd - 1;
        Buf o = s.out();
        o.put('B');
        o.putInt(4 + portalLen + statement.name.length + 1 + restLen);
        o.put(in.a, b, portalLen);
        o.put(statement.name);
        o.put(0);
        o.put(in.a, nameEnd + 1, restLen);
        in.skip(5 + len);
    }

    static void describe(PooledClient c, PooledServer s, int len) throws ProtocolViolation {
        Buf in = c.in;
        int b = in.r + 5;
        if (len < 2 || Wire.cstringEnd(in.a, b + 1, b + len) != b + len - 1) {
            throw new ProtocolViolation("invalid Describe message");
        }
        Pool.Statement statement = in.a[b] == 'S' && len > 2 ? ensurePrepared(c, s, in.a, b + 1, len - 2) : null;
        s.push('D', PendingQueue.FORWARD, 0, null);
        if (statement == null) {
            s.out().move(in, 5 + len);
            return;
        }
        Buf o = s.out();
        o.put('D');
        o.putInt(4 + 1 + statement.name.length + 1);
        o.put('S');
        o.put(statement.name);
        o.put(0);
        in.skip(5 + len);
    }

    static void close(PooledClient c, PooledServer s, int len) throws ProtocolViolation {
        Buf in = c.in;
        int b = in.r + 5;
        if (len < 2 || Wire.cstringEnd(in.a, b + 1, b + len) != b + len - 1) {
            throw new ProtocolViolation("invalid Close message");
        }
        if (in.a[b] == 'S' && len > 2) {
            // the statement stays prepared on the server for other clients; this client forgets it
            c.statements.forget(in.a, b + 1, len - 2);
            in.skip(5 + len);
            push(c, s, 'C', PendingQueue.FAKE, '3', null);
            return;
        }
        s.push('C', PendingQueue.FORWARD, 0, null);
        s.out().move(in, 5 + len);
    }

    /** Makes sure the connection has the statement; null when the client never prepared that name. */
    private static Pool.Statement ensurePrepared(PooledClient c, PooledServer s, byte[] b, int off, int len) {
        Pool.Statement statement = c.statements.get(b, off, len);
        if (statement == null) {
            return null;
        }
        if (s.prepared.add(statement)) {
            s.push('P', PendingQueue.SKIP, 0, statement);
            writeParse(s.out(), statement);
        }
        return statement;
    }

    private static void writeParse(Buf out, Pool.Statement statement) {
        out.put('P');
        out.putInt(4 + statement.name.length + 1 + statement.tail.length);
        out.put(statement.name);
        out.put(0);
        out.put(statement.tail);
    }

    /** Records an entry; a FAKE reply with nothing before it is given to the client at once. */
    private static void push(PooledClient c, PooledServer s, int kind, byte action, int fake, Pool.Statement statement) {
        s.push(kind, action, fake, statement);
        if (action == PendingQueue.FAKE && s.takeFakeAtHead()) {
            c.reply(fake);
        }
    }
}
