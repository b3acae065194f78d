package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.command.CommandSpec;
import io.eden.adapters.redis.command.CommandTable;
import io.eden.adapters.redis.proxy.Lanes.Lane;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespWriter;
import io.eden.application.spi.EdenMetrics.Counter;
import io.eden.application.spi.RouteSnapshot;
import io.eden.application.spi.RouteView;
import io.eden.domain.model.Endpoint;
import io.eden.domain.routing.HashSlot;
import io.eden.domain.routing.RouteDecision;
import io.eden.domain.routing.Side;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of an interlay. Its reader thread parses requests and sends each to the lane of
 * its key (or to the client's pinned connection while connection state lives), and queues a
 * {@link Reply} per command in the client's order; whichever upstream connection answers fills
 * it in, and the writer thread passes the replies on in that order, flushing once per batch.
 */
final class ClientSession {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final int CHUNK = 16 * 1024;
    /** The read buffer an idle client holds (10,000 idle clients must stay small); it grows when reads fill it. */
    private static final int FIRST_CHUNK = 1024;
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET = "+RESET\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESP3_NULL = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Takes a reply nobody reads: of what Eden replays on a new connection. */
    private static final Waiter IGNORED = new Waiter() {
        @Override
        void complete(byte[] buf, int off, int len) {
        }

        @Override
        void fail(byte[] error) {
        }
    };
    private static final int GATHER = 16 * 1024;
    /** Buffers for gathering several ready replies into one write; shared, so idle clients hold none. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<byte[]> GATHER_BUFFERS =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final long FINAL_REPLIES_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Socket socket;
    private final String interlayId;
    private final String name;
    private final RouteView route;
    private final ProxySettings settings;
    private final ProxyMetrics metrics;
    private final Counter commands;
    private final Lanes lanes;
    private final InflightBudget budget;
    private final Consumer<ClientSession> onClosed;
    private final int homeLane;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean slow = new AtomicBoolean();

    // the reader thread's state
    private Identity identity = Identity.NONE;
    private Lane[] laneSet;
    private volatile UpstreamLink pinned;
    private boolean pinnedForGood;
    private boolean inMulti;
    private boolean watching;
    private final boolean[] txLanes;
    private byte[] clientName;
    private final java.util.Map<String, byte[]> clientInfo = new java.util.TreeMap<>();
    /** The client's pinned connection to the side a migration mirrors to, while one does. */
    private volatile UpstreamLink pinnedMirror;
    /** The side a transaction's MULTI was mirrored to (null: not mirrored), kept until EXEC or DISCARD. */
    private Side txMirror;
    /** The keys a transaction queued, for repair if it ran on one side only. */
    private final List<byte[]> txKeys = new ArrayList<>();
    private static final int MAX_TRANSACTION_KEYS = 10_000;
    /** The database the client selected (pinned connections replay it). */
    private int db;
    private boolean resp3;
    private int[] keyIndexes = new int[16];
    private final List<UpstreamLink> dirty = new ArrayList<>();
    /** The reply slot the next command sends into instead of a new one in the client's order; see {@link #callDetached}. */
    private Reply detached;

    // the reply queue: appended by the reader (and a pinned link's unsolicited frames), drained by the writer
    private final ReentrantLock appendLock = new ReentrantLock();
    /** The last reply written; the writer's alone. Nothing else keeps written replies reachable. */
    private Reply written = new Reply(this, false);
    private Reply tail = written;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean writerSleeping = new AtomicBoolean();
    private volatile Thread writer;
    private volatile Thread waitingReader;

    ClientSession(Socket socket, String interlayId, String name, RouteView route, ProxySettings settings,
                  ProxyMetrics metrics, Counter commands, Lanes lanes, InflightBudget budget, int homeLane,
                  Consumer<ClientSession> onClosed) {
        this.socket = socket;
        this.interlayId = interlayId;
        this.name = name;
        this.route = route;
        this.settings = settings;
        this.metrics = metrics;
        this.commands = commands;
        this.lanes = lanes;
        this.budget = budget;
        this.homeLane = homeLane;
        this.onClosed = onClosed;
        this.txLanes = new boolean[lanes.count];
        this.laneSet = lanes.forIdentity(identity);
    }

    /** One reply slot in the client's order; filled by an upstream reader, or by Eden itself. */
    static final class Reply extends Waiter {
        final ClientSession owner;
        final boolean counted;
        volatile byte[] bytes;
        volatile Reply next;
        boolean closeAfter;
        /** Eden's own: a poll's attempt, read by the reader thread, never written to the client. */
        boolean detached;

        Reply(ClientSession owner, boolean counted) {
            this.owner = owner;
            this.counted = counted;
        }

        @Override
        void complete(byte[] buf, int off, int len) {
            if (owner.closed.get()) {
                bytes = NOTHING; // nobody will read it: keep no copy
                owner.completed(this, 0);
                return;
            }
            bytes = Arrays.copyOfRange(buf, off, off + len);
            owner.completed(this, len);
        }

        @Override
        void fail(byte[] error) {
            bytes = error;
            owner.completed(this, error.length);
        }
    }

    void run() {
        writer = Thread.ofVirtual().name("eden-redis-" + interlayId + "-" + name + "-out").start(this::writeReplies);
        try {
            if (route.current().source().isEmpty()) {
                metrics.noEndpointErrors.increment();
                refuse("Eden: interlay '" + interlayId + "' has no endpoint yet; create one with POST /api/v1/endpoints");
            } else {
                readRequests();
            }
            awaitWriter(FINAL_REPLIES_NANOS); // the last replies (and the close after them) are the writer's
            close();
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} ended: {}", interlayId, socket.getRemoteSocketAddress(), e.toString());
            close();
        } finally {
            budget.release(this);
        }
    }

    /** Closes the connection now; safe from any thread, more than once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            Sockets.closeQuietly(socket);
            closePinned();
            LockSupport.unpark(writer);
            onClosed.accept(this);
        }
    }

    // ---------------------------------------------------------------- reading and routing

    private void readRequests() throws IOException {
        RespParser requests = RespParser.forRequests(settings.clientLimits());
        RequestTimings timings = new RequestTimings();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[FIRST_CHUNK];
        List<ArrayValue> batch = new ArrayList<>();
        int read;
        while ((read = in.read(chunk)) >= 0) {
            requests.feed(chunk, 0, read);
            if (read == chunk.length && chunk.length < CHUNK) {
                chunk = new byte[chunk.length * 4]; // a busy or pipelining client: read more at once
            }
            RespProtocolException malformed = null;
            try {
                RespValue frame;
                while ((frame = requests.next()) != null) {
                    if (RedisCommand.from(frame).isPresent()) {
                        batch.add((ArrayValue) frame);
                        timings.commandRead(System.nanoTime());
                    }
                }
            } catch (RespProtocolException e) {
                malformed = e;
            }
            boolean stop = false;
            for (int i = 0, n = batch.size(); i < n && !stop; i++) {
                commands.increment();
                timings.record(i, System.nanoTime(), metrics.requestLatency);
                stop = !dispatch(batch.get(i), i == n - 1);
            }
            batch.clear();
            flushDirty();
            timings.reset();
            if (stop) {
                return;
            }
            if (malformed != null) {
                metrics.protocolErrors.increment();
                LOG.debug("Redis interlay '{}': protocol error from {}: {}", interlayId, socket.getRemoteSocketAddress(),
                        malformed.getMessage());
                appendLocal(RespWriter.encodeError("ERR Protocol error: " + malformed.getMessage()), true);
                return;
            }
            if (requests.isMidValue()) {
                budget.hold(this, requests.bufferedBytes()); // a large value arriving: count it, maybe wait
            } else {
                budget.release(this);
            }
        }
        // the client closed its side: it still gets every reply, then the connection ends
        appendLocal(NOTHING, true);
    }

    /** Sends one command on its way; false when the connection is to end (QUIT, an unreachable upstream). */
    private boolean dispatch(ArrayValue command, boolean lastOfBatch) {
        List<RespValue> args = command.elements();
        CommandTable table = lanes.tables.current();
        CommandSpec spec = table.lookup(args);
        String cmd = spec != null ? rootName(spec) : CommandTable.lowerName(bytes(args, 0));
        switch (cmd) {
            case "quit" -> {
                appendLocal(OK, true);
                return false;
            }
            case "reset" -> {
                reset();
                return true;
            }
            case "auth" -> {
                return auth(command, args);
            }
            case "client" -> {
                if (spec != null && clientLocally(spec.name(), args)) {
                    return true;
                }
                if (spec != null && spec.name().equals("client") && !pinnedNow()) {
                    // a subcommand this server does not know (SETINFO before 7.2): its own error, from a lane
                    return sendOnLanes(route.current(), command, args, spec, lastOfBatch);
                }
            }
            default -> {
            }
        }
        if (cmd.startsWith("eval") || cmd.equals("script")) {
            lanes.scripts.learn(cmd, args);
        }
        RouteSnapshot snapshot = route.current();
        BlockingPoll poll = mirroring(snapshot) && spec != null && spec.has(CommandSpec.BLOCKING)
                ? BlockingPoll.of(cmd, args) : null;
        if (poll != null) {
            return pollBlocking(poll);
        }
        if (needsPin(cmd, args, spec)) {
            return sendPinned(snapshot, command, cmd, args, spec);
        }
        return sendOnLanes(snapshot, command, args, spec, lastOfBatch);
    }

    /**
     * CLIENT SETNAME / SETINFO / GETNAME of a client on the lanes: kept by Eden (answered as the
     * server would) and replayed on the client's own connection once it needs one (CLIENT ID,
     * INFO, LIST...), so that the server then knows the client by them. True when answered here.
     */
    private boolean clientLocally(String sub, List<RespValue> args) {
        if (pinnedNow()) {
            return false;
        }
        switch (sub) {
            case "client|setname" -> {
                if (args.size() != 3) {
                    return false;
                }
                byte[] value = bytes(args, 2);
                if (!validName(value)) {
                    appendLocal(RespWriter.encodeError(
                            "ERR Client names cannot contain spaces, newlines or special characters."), false);
                    return true;
                }
                clientName = value.length == 0 ? null : value;
                appendLocal(OK, false);
                return true;
            }
            case "client|getname" -> {
                if (args.size() != 2) {
                    return false;
                }
                appendLocal(clientName == null ? NULL_BULK : RespWriter.encode(new BulkString(clientName)), false);
                return true;
            }
            case "client|setinfo" -> {
                if (args.size() != 4) {
                    return false;
                }
                String attribute = ((BulkString) args.get(2)).text().toLowerCase(java.util.Locale.ROOT);
                if (!attribute.equals("lib-name") && !attribute.equals("lib-ver")) {
                    return false; // the server's own error
                }
                if (!validName(bytes(args, 3))) {
                    return false;
                }
                clientInfo.put(attribute, bytes(args, 3));
                appendLocal(OK, false);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static boolean validName(byte[] value) {
        for (byte b : value) {
            if (b < '!' || b > '~') {
                return false;
            }
        }
        return true;
    }

    /** On a new own connection: what the client told Eden about itself, so the server knows it too. */
    private void replayClientState(UpstreamLink link, Endpoint endpoint) throws UpstreamLink.Unavailable {
        if (resp3) {
            link.sendWords(endpoint, List.of(word("HELLO"), word("3")), IGNORED);
        }
        if (db != 0) {
            link.sendWords(endpoint, List.of(word("SELECT"), word(Integer.toString(db))), IGNORED);
        }
        if (clientName != null) {
            link.sendWords(endpoint, List.of(word("CLIENT"), word("SETNAME"), clientName), IGNORED);
        }
        for (var info : clientInfo.entrySet()) {
            link.sendWords(endpoint, List.of(word("CLIENT"), word("SETINFO"), word(info.getKey()), info.getValue()),
                    IGNORED);
        }
    }

    private static byte[] word(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String rootName(CommandSpec spec) {
        String n = spec.name();
        int bar = n.indexOf('|');
        return bar < 0 ? n : n.substring(0, bar);
    }

    private boolean pinnedNow() {
        return pinnedForGood || inMulti || watching || (pinned != null && pinned.inflight() > 0);
    }

    private boolean needsPin(String cmd, List<RespValue> args, CommandSpec spec) {
        if (pinnedNow()) {
            return true;
        }
        return switch (cmd) {
            case "multi", "watch", "subscribe", "psubscribe", "ssubscribe", "monitor", "hello", "client", "wait",
                 "waitaof" -> true;
            case "select" -> args.size() != 2 || !"0".equals(((BulkString) args.get(1)).text());
            case "xread", "xreadgroup" -> hasWord(args, "BLOCK");
            default -> spec != null && spec.has(CommandSpec.BLOCKING);
        };
    }

    private boolean sendOnLanes(RouteSnapshot snapshot, ArrayValue command, List<RespValue> args, CommandSpec spec,
                                boolean lastOfBatch) {
        int keys = spec == null ? 0 : keyPositions(spec, args);
        boolean write = spec != null && !spec.has(CommandSpec.READONLY);
        if (keys == 0 && spec != null && spec.name().startsWith("script|")) {
            // SCRIPT LOAD / FLUSH: the other side must know the same scripts, so it is mirrored like a write
            return sendOnLane(snapshot, decide(snapshot, 0), homeLane, command, true, lastOfBatch, null);
        }
        if (keys < 0 || (keys == 0 && spec != null && spec.has(CommandSpec.WRITE))) {
            // keys unknown (or a keyless write such as FLUSHALL): ordered against every lane
            boolean[] all = new boolean[lanes.count];
            Arrays.fill(all, true);
            return sendWithBarrier(snapshot, decide(snapshot, 0), all, homeLane, command, write, null);
        }
        if (keys == 0) {
            return sendOnLane(snapshot, decide(snapshot, 0), homeLane, command, false, lastOfBatch, null);
        }
        byte[] firstKey = bytes(args, keyIndexes[0]);
        int firstSlot = HashSlot.of(firstKey);
        int lane = laneOf(firstSlot);
        boolean[] several = null;
        for (int k = 1; k < keys; k++) {
            int other = laneOf(HashSlot.of(bytes(args, keyIndexes[k])));
            if (other != lane) {
                if (several == null) {
                    several = new boolean[lanes.count];
                    several[lane] = true;
                }
                several[other] = true;
            }
        }
        RouteDecision decision = decide(snapshot, firstSlot);
        if (several != null) {
            return sendWithBarrier(snapshot, decision, several, lane, command, write, firstKey);
        }
        return sendOnLane(snapshot, decision, lane, command, write, lastOfBatch, firstKey);
    }

    /** The key positions into {@link #keyIndexes}, grown for commands with many keys; -1 when unknown. */
    private int keyPositions(CommandSpec spec, List<RespValue> args) {
        int keys = CommandTable.keyPositions(spec, args, keyIndexes);
        if (keys < 0 && !spec.keysUnknown() && keyIndexes.length < args.size()) {
            keyIndexes = new int[Math.max(args.size(), 16)];
            keys = CommandTable.keyPositions(spec, args, keyIndexes);
        }
        return keys;
    }

    private static RouteDecision decide(RouteSnapshot snapshot, int slot) {
        return snapshot.state().isEmpty() ? RouteDecision.SOURCE_ONLY : snapshot.decide(slot);
    }

    private int laneOf(int slot) {
        return lanes.laneOf(slot);
    }

    private boolean sendOnLane(RouteSnapshot snapshot, RouteDecision decision, int laneIndex, ArrayValue command,
                               boolean write, boolean lastOfBatch, byte[] key) {
        Lane lane = laneSet[laneIndex];
        Side side = write ? decision.write() : decision.read();
        Reply reply = append();
        MirrorCheck check = write ? mirrorCheck(decision, key, reply) : null;
        boolean canary = !write && side != decision.write();
        lane.lock.lock();
        try {
            UpstreamLink link = lane.link(side);
            Waiter waiter = check != null ? check.authoritativeWaiter()
                    : canary ? new CanaryRead(snapshot, lane, decision.write(), command, reply) : reply;
            try {
                link.send(endpoint(snapshot, side), command, waiter);
            } catch (UpstreamLink.Unavailable e) {
                if (!canary) {
                    throw e;
                }
                side = decision.write(); // the side being migrated to is down: the read is the authoritative side's
                link = lane.link(side);
                link.send(endpoint(snapshot, side), command, reply);
            }
            if (check != null) {
                mirror(snapshot, lane, decision.mirror().get(), command, check);
            }
            if (lastOfBatch && dirty.isEmpty()) {
                link.flush();
                if (write && decision.mirror().isPresent()) {
                    lane.link(decision.mirror().get()).flush();
                }
            } else {
                markDirty(link);
                if (write && decision.mirror().isPresent()) {
                    markDirty(lane.link(decision.mirror().get()));
                }
            }
            return true;
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            return false;
        } finally {
            lane.lock.unlock();
        }
    }

    /**
     * A read sent to the side being migrated to (a canary read): if that side fails to answer,
     * the read is asked again of the authoritative side, so a dying target costs the client nothing.
     */
    private final class CanaryRead extends Waiter {
        private final RouteSnapshot snapshot;
        private final Lane lane;
        private final Side fallback;
        private final ArrayValue command;
        private final Reply reply;

        CanaryRead(RouteSnapshot snapshot, Lane lane, Side fallback, ArrayValue command, Reply reply) {
            this.snapshot = snapshot;
            this.lane = lane;
            this.fallback = fallback;
            this.command = command;
            this.reply = reply;
        }

        @Override
        void complete(byte[] buf, int off, int len) {
            reply.complete(buf, off, len);
        }

        @Override
        void fail(byte[] error) {
            lane.lock.lock();
            try {
                UpstreamLink link = lane.link(fallback);
                link.send(endpoint(snapshot, fallback), command, reply);
                link.flush();
            } catch (UpstreamLink.Unavailable e) {
                reply.fail(error);
            } finally {
                lane.lock.unlock();
            }
        }
    }

    /** The check of a write the decision mirrors (null when it does not): it releases {@code reply} once both sides answered. */
    private MirrorCheck mirrorCheck(RouteDecision decision, byte[] key, Reply reply) {
        if (decision.mirror().isEmpty()) {
            return null;
        }
        return new MirrorCheck(decision.mirror().get(), decision.eitherSuffices(), db, key, lanes.mirrors, metrics,
                reply);
    }

    /** Queues the mirror in the other side's FIFO of the same lane, now, while the lane is held. */
    private void mirror(RouteSnapshot snapshot, Lane lane, Side mirrorSide, ArrayValue command, MirrorCheck check) {
        try {
            lane.link(mirrorSide).send(endpoint(snapshot, mirrorSide), mirrorForm(command), check.mirrorWaiter());
        } catch (UpstreamLink.Unavailable e) {
            check.mirrorWaiter().fail(RespWriter.encodeError("ERR " + e.getMessage()));
        }
    }

    /**
     * A command whose keys span several lanes (or are unknown): holds those lanes, waits until
     * none has a command in flight on either side, runs the command on {@code laneIndex} (with
     * its mirror), waits for its reply, then releases them.
     */
    private boolean sendWithBarrier(RouteSnapshot snapshot, RouteDecision decision, boolean[] held, int laneIndex,
                                    ArrayValue command, boolean write, byte[] key) {
        flushDirty();
        Reply reply = append();
        lockAll(held);
        try {
            lanes.drain(held);
            Lane lane = laneSet[laneIndex];
            Side side = write ? decision.write() : decision.read();
            UpstreamLink link = lane.link(side);
            MirrorCheck check = write ? mirrorCheck(decision, key, reply) : null;
            link.send(endpoint(snapshot, side), command, check != null ? check.authoritativeWaiter() : reply);
            link.flush();
            if (check != null) {
                mirror(snapshot, lane, decision.mirror().get(), command, check);
                lane.link(decision.mirror().get()).flush();
            }
            awaitReply(reply); // with a mirror: both sides answered
            return true;
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            return false;
        } finally {
            unlockAll(held);
        }
    }

    private void lockAll(boolean[] held) {
        for (int i = 0; i < held.length; i++) {
            if (held[i]) {
                lanes.lock(i);
            }
        }
    }

    private void unlockAll(boolean[] held) {
        for (int i = held.length - 1; i >= 0; i--) {
            if (held[i]) {
                lanes.unlock(i);
            }
        }
    }


    /** What the other side gets for a mirrored command: an EVALSHA as EVAL with its body, when Eden knows it. */
    private ArrayValue mirrorForm(ArrayValue command) {
        byte[] name = bytes(command.elements(), 0);
        if (name.length < 7 || (name[0] != 'e' && name[0] != 'E')) {
            return command;
        }
        return lanes.scripts.mirrorForm(CommandTable.lowerName(name), command);
    }

    private static boolean mirroring(RouteSnapshot snapshot) {
        return snapshot.state().isPresent() && snapshot.decide(0).mirror().isPresent();
    }

    /** A blocking pop while writes are mirrored: its non-blocking form, tried until something comes or time is up. */
    private boolean pollBlocking(BlockingPoll poll) {
        long started = System.nanoTime();
        long pause = BlockingPoll.FIRST_PAUSE_MILLIS;
        while (!closed.get()) {
            for (int i = 0; i < poll.attempts().size(); i++) {
                Reply attempt = callDetached(poll.attempts().get(i));
                if (attempt.bytes == null) {
                    return false; // the client went away
                }
                if (attempt.closeAfter) {
                    appendLocal(attempt.bytes, true); // the upstream is unreachable: as for any command
                    return false;
                }
                byte[] answer = attempt.bytes;
                if (MirrorObserver.isError(answer)) {
                    appendLocal(answer, false);
                    return true;
                }
                if (!BlockingPoll.empty(answer)) {
                    appendLocal(poll.reply(i, answer), false);
                    return true;
                }
            }
            if (poll.timeoutMillis() > 0
                    && System.nanoTime() - started >= TimeUnit.MILLISECONDS.toNanos(poll.timeoutMillis())) {
                appendLocal(resp3 ? RESP3_NULL : NULL_ARRAY, false);
                return true;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pause));
            pause = Math.min(BlockingPoll.MAX_PAUSE_MILLIS, pause * 2);
        }
        return false;
    }

    /** Runs a command of Eden's making as if the client had sent it (same routing, same mirror) and waits for its reply. */
    private Reply callDetached(ArrayValue command) {
        Reply reply = new Reply(this, false);
        reply.detached = true;
        detached = reply;
        try {
            dispatch(command, true);
        } finally {
            detached = null;
        }
        flushDirty();
        awaitReply(reply);
        return reply;
    }

    // ---------------------------------------------------------------- pinned connection state

    private boolean sendPinned(RouteSnapshot snapshot, ArrayValue command, String cmd, List<RespValue> args,
                               CommandSpec spec) {
        boolean fromLanes = pinned == null || (!pinnedForGood && !inMulti && !watching && pinned.inflight() == 0);
        if (fromLanes) {
            awaitOwnReplies(); // what this client sent on the lanes runs before what it sends here
        }
        boolean streamingNow = switch (cmd) {
            case "subscribe", "psubscribe", "ssubscribe", "monitor" -> true;
            default -> false;
        };
        boolean[] held = null;
        if (inMulti && spec != null && !"exec".equals(cmd) && !"discard".equals(cmd)) {
            markLanes(spec, args, txLanes); // queued: ordered against the lanes when EXEC runs them
            rememberTransactionKeys(spec, args);
        } else if ("exec".equals(cmd)) {
            held = txLanes.clone();
        } else if (spec != null) {
            boolean[] lanesOfKeys = new boolean[lanes.count];
            if (markLanes(spec, args, lanesOfKeys)) {
                held = lanesOfKeys;
            }
        }
        byte[] key = spec == null ? null : firstKey(spec, args);
        RouteDecision decision = decide(snapshot, key == null ? 0 : HashSlot.of(key));
        boolean streaming = streamingNow || (pinned != null && pinned.streaming);
        boolean readOnly = spec != null && spec.has(CommandSpec.READONLY) && !inMulti;
        UpstreamLink link = pinnedLink(snapshot, decision.write());
        Reply reply = null;
        if (streaming) {
            link.streaming = true; // from here on every frame of this connection goes to the client in order
        } else {
            reply = append();
        }
        // While a migration mirrors writes, a pinned client's writes (and its whole transaction) run
        // on a second pinned connection to the other side too; a key-bearing one holds its lanes
        // until both sides answered, so neither side can order it differently against the lanes.
        // A transaction is mirrored or not as a whole, as its MULTI was: the other side must see
        // MULTI, the queued commands and EXEC on one connection, or none of them.
        Side mirrorSide = inMulti ? txMirror : decision.mirror().orElse(null);
        MirrorCheck check = reply == null || readOnly || mirrorSide == null ? null
                : new MirrorCheck(mirrorSide, decision.eitherSuffices(), db, key, lanes.mirrors, metrics, reply);
        if (held != null) {
            flushDirty();
            lockAll(held);
        }
        try {
            link.lock.lock();
            try {
                if (held != null) {
                    lanes.drain(held);
                }
                Endpoint endpoint = pinnedEndpoint(snapshot, decision.write(), link);
                if (!endpoint.equals(link.connectedEndpoint())) {
                    replayClientState(link, endpoint);
                }
                link.send(endpoint, command, check != null ? check.authoritativeWaiter() : reply);
                link.flush();
            } finally {
                link.lock.unlock();
            }
            if (check != null) {
                mirrorPinned(snapshot, mirrorSide, command, check);
            }
            if (held != null && check != null) {
                awaitReply(reply);
            }
        } catch (UpstreamLink.Unavailable e) {
            if (reply == null) {
                reply = append();
            }
            unreachable(reply, e);
            return false;
        } finally {
            if (held != null) {
                unlockAll(held);
            }
        }
        switch (cmd) {
            case "multi" -> {
                inMulti = true;
                txMirror = decision.mirror().orElse(null);
                txKeys.clear();
            }
            case "exec", "discard" -> {
                if (cmd.equals("exec") && txMirror == null && mirroring(snapshot) && reply != null) {
                    repairUnmirroredTransaction(snapshot, link, reply);
                }
                inMulti = false;
                watching = false;
                txMirror = null;
                txKeys.clear();
                Arrays.fill(txLanes, false);
            }
            case "watch" -> watching = true;
            case "unwatch" -> watching = inMulti && watching;
            case "subscribe", "psubscribe", "ssubscribe", "monitor", "client" -> pinnedForGood = true;
            case "hello" -> {
                pinnedForGood = true;
                rememberProtocol(args, reply);
            }
            case "select" -> {
                pinnedForGood = true;
                rememberDatabase(args, reply);
            }
            default -> {
            }
        }
        return true;
    }

    /** The mirror of a pinned write, on this client's pinned connection to the other side. */
    private void mirrorPinned(RouteSnapshot snapshot, Side side, ArrayValue command, MirrorCheck check) {
        UpstreamLink link = pinnedMirror;
        if (link == null) {
            link = lanes.pinned(name + " mirror", identity, UpstreamLink.DROP);
            pinnedMirror = link;
        }
        link.lock.lock();
        try {
            Endpoint endpoint = endpoint(snapshot, side);
            if (!endpoint.equals(link.connectedEndpoint())) {
                replayClientState(link, endpoint);
            }
            link.send(endpoint, mirrorForm(command), check.mirrorWaiter());
            link.flush();
        } catch (UpstreamLink.Unavailable e) {
            check.mirrorWaiter().fail(RespWriter.encodeError("ERR " + e.getMessage()));
        } finally {
            link.lock.unlock();
        }
    }

    /**
     * Where the pinned connection goes: the authoritative side, except while a transaction, WATCH
     * or subscription lives on the connection it has, which keeps it.
     */
    private Endpoint pinnedEndpoint(RouteSnapshot snapshot, Side side, UpstreamLink link)
            throws UpstreamLink.Unavailable {
        Endpoint current = link.connectedEndpoint();
        if (current != null && (inMulti || watching || link.streaming)) {
            return current;
        }
        return endpoint(snapshot, side);
    }

    private void rememberTransactionKeys(CommandSpec spec, List<RespValue> args) {
        int keys = keyPositions(spec, args);
        for (int k = 0; k < keys && txKeys.size() < MAX_TRANSACTION_KEYS; k++) {
            txKeys.add(bytes(args, keyIndexes[k]));
        }
    }

    /**
     * A transaction begun before the migration began mirroring ran on one side only: its keys are
     * handed to the migration to be copied again from that side, once EXEC has answered.
     */
    private void repairUnmirroredTransaction(RouteSnapshot snapshot, UpstreamLink link, Reply reply) {
        awaitReply(reply);
        Endpoint ran = link.connectedEndpoint();
        Side truth = ran != null && snapshot.target().map(ran::equals).orElse(false) ? Side.TARGET : Side.SOURCE;
        for (byte[] key : txKeys) {
            lanes.mirrors.needsRepair(db, key, truth);
        }
    }

    /** The first key of a command, null when it has none (or they cannot be placed). */
    private byte[] firstKey(CommandSpec spec, List<RespValue> args) {
        return keyPositions(spec, args) > 0 ? bytes(args, keyIndexes[0]) : null;
    }

    private void rememberDatabase(List<RespValue> args, Reply reply) {
        if (inMulti || reply == null || args.size() != 2) {
            return;
        }
        awaitReply(reply);
        if (reply.bytes.length > 0 && reply.bytes[0] == '+') {
            db = Integer.parseInt(((BulkString) args.get(1)).text().strip());
        }
    }

    private void rememberProtocol(List<RespValue> args, Reply reply) {
        if (reply == null || args.size() < 2) {
            return;
        }
        awaitReply(reply);
        if (reply.bytes.length > 0 && reply.bytes[0] != '-' && reply.bytes[0] != '!') {
            resp3 = "3".equals(((BulkString) args.get(1)).text());
        }
    }

    /** Marks the lanes of the command's keys; true if it has any (unknown keys mark every lane). */
    private boolean markLanes(CommandSpec spec, List<RespValue> args, boolean[] into) {
        int keys = keyPositions(spec, args);
        if (keys < 0) {
            Arrays.fill(into, true);
            return true;
        }
        for (int k = 0; k < keys; k++) {
            into[laneOf(HashSlot.of(bytes(args, keyIndexes[k])))] = true;
        }
        return keys > 0;
    }

    /**
     * The client's pinned connection. When the route moves its authoritative side and no
     * transaction, WATCH or subscription lives on it, a new one replaces it (its state, SELECT,
     * HELLO and names, replayed); the old one's end is not the client's end.
     */
    private UpstreamLink pinnedLink(RouteSnapshot snapshot, Side side) {
        UpstreamLink current = pinned;
        if (current != null) {
            Endpoint connected = current.connectedEndpoint();
            Endpoint wanted = snapshot.endpoint(side).orElse(null);
            if (connected == null || wanted == null || connected.equals(wanted) || inMulti || watching
                    || current.streaming || current.inflight() > 0) {
                return current;
            }
            pinned = null;
            current.close();
        }
        UpstreamLink[] self = new UpstreamLink[1];
        self[0] = lanes.pinned(name, identity, new UpstreamLink.Unsolicited() {
            @Override
            public void frame(byte[] buf, int off, int len) {
                appendLocal(Arrays.copyOfRange(buf, off, off + len), false);
            }

            @Override
            public void ended(String reason) {
                if (self[0] == pinned && (pinnedForGood || inMulti || watching)) {
                    // its connection state is gone with it: so is the client's connection, as on a server restart
                    appendLocal(NOTHING, true);
                }
            }
        });
        pinned = self[0];
        return pinned;
    }

    private void reset() {
        awaitOwnReplies();
        closePinned();
        clientName = null;
        clientInfo.clear();
        pinnedForGood = false;
        inMulti = false;
        watching = false;
        db = 0;
        resp3 = false;
        Arrays.fill(txLanes, false);
        setIdentity(Identity.NONE);
        appendLocal(RESET, false);
    }

    private void closePinned() {
        UpstreamLink link = pinned;
        pinned = null;
        if (link != null) {
            link.close();
        }
        UpstreamLink mirror = pinnedMirror;
        pinnedMirror = null;
        if (mirror != null) {
            mirror.close();
        }
    }

    /**
     * AUTH is checked by the upstream on this client's own connection; once it says OK, the
     * client's commands go to the lanes of that identity.
     */
    private boolean auth(ArrayValue command, List<RespValue> args) {
        if (inMulti) {
            return sendPinned(route.current(), command, "auth", args, null);
        }
        awaitOwnReplies();
        RouteSnapshot snapshot = route.current();
        // the source checks passwords as long as a migration runs: the target may have other ones
        UpstreamLink link = pinnedLink(snapshot, Side.SOURCE);
        Reply reply = append();
        link.lock.lock();
        try {
            link.send(endpoint(snapshot, Side.SOURCE), command, reply);
            link.flush();
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            return false;
        } finally {
            link.lock.unlock();
        }
        awaitReply(reply);
        byte[] answer = reply.bytes;
        if (answer.length > 0 && answer[0] == '+' && (args.size() == 2 || args.size() == 3)) {
            byte[] user = args.size() == 3 ? bytes(args, 1) : null;
            setIdentity(new Identity(user, bytes(args, args.size() - 1)));
            link.identity = identity;
        }
        return true;
    }

    private void setIdentity(Identity next) {
        identity = next;
        laneSet = lanes.forIdentity(next);
    }

    // ---------------------------------------------------------------- the reply queue

    private Reply append() {
        Reply reply = detached;
        if (reply != null) {
            detached = null;
            return reply;
        }
        reply = new Reply(this, true);
        outstanding.incrementAndGet();
        link(reply);
        return reply;
    }

    /** A reply Eden gives itself (or a frame no command asked for), in order after what is queued. */
    private void appendLocal(byte[] bytes, boolean closeAfter) {
        Reply reply = new Reply(this, false);
        reply.closeAfter = closeAfter;
        reply.bytes = bytes;
        link(reply);
        completed(reply, bytes.length);
    }

    private void link(Reply reply) {
        appendLock.lock();
        try {
            tail.next = reply;
            tail = reply;
        } finally {
            appendLock.unlock();
        }
    }

    private void completed(Reply reply, int length) {
        if (reply.detached) {
            Thread reader = waitingReader;
            if (reader != null) {
                LockSupport.unpark(reader);
            }
            return;
        }
        if (reply.counted) {
            outstanding.decrementAndGet();
        }
        if (queuedBytes.addAndGet(length) > settings.clientOutputLimit() && !closed.get()) {
            if (slow.compareAndSet(false, true)) {
                metrics.slowClientErrors.increment();
            }
            LOG.info("Redis interlay '{}': client {} disconnected: more than {} bytes of replies unread", interlayId,
                    socket.getRemoteSocketAddress(), settings.clientOutputLimit());
            close();
        }
        if (writerSleeping.get() && writerSleeping.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
        Thread reader = waitingReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    private void unreachable(Reply reply, UpstreamLink.Unavailable e) {
        reply.closeAfter = true;
        reply.fail(RespWriter.encodeError("ERR " + e.getMessage()));
    }

    private void awaitReply(Reply reply) {
        awaitUntil(() -> reply.bytes != null);
    }

    private void awaitOwnReplies() {
        flushDirty();
        awaitUntil(() -> outstanding.get() == 0);
    }

    private void awaitUntil(java.util.function.BooleanSupplier condition) {
        waitingReader = Thread.currentThread();
        try {
            while (!condition.getAsBoolean() && !closed.get()) {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(5));
            }
        } finally {
            waitingReader = null;
        }
    }

    /**
     * Passes completed replies on in order. A lone reply is written as it is (one system call);
     * several ready at once are gathered into a pooled buffer and written together, so an idle
     * client holds no write buffer at all.
     */
    private void writeReplies() {
        Reply head = written;
        written = null; // the local variable moves on: what was written becomes garbage
        try {
            OutputStream out = socket.getOutputStream();
            while (!closed.get()) {
                Reply first = head.next;
                if (first != null && first.bytes != null) {
                    Reply last = first;
                    int total = first.bytes.length;
                    while (!last.closeAfter) {
                        Reply following = last.next;
                        if (following == null || following.bytes == null
                                || total + following.bytes.length > GATHER) {
                            break;
                        }
                        last = following;
                        total += following.bytes.length;
                    }
                    if (last == first) {
                        out.write(first.bytes);
                    } else {
                        byte[] gathered = GATHER_BUFFERS.poll();
                        if (gathered == null) {
                            gathered = new byte[GATHER];
                        }
                        int at = 0;
                        for (Reply r = first; ; r = r.next) {
                            System.arraycopy(r.bytes, 0, gathered, at, r.bytes.length);
                            at += r.bytes.length;
                            if (r == last) {
                                break;
                            }
                        }
                        out.write(gathered, 0, at);
                        GATHER_BUFFERS.offer(gathered);
                    }
                    queuedBytes.addAndGet(-total);
                    head = last;
                    if (last.closeAfter) {
                        Sockets.closeAfterReply(socket);
                        close();
                        return;
                    }
                    continue;
                }
                writerSleeping.set(true);
                first = head.next;
                if (first != null && first.bytes != null) {
                    writerSleeping.set(false);
                    continue;
                }
                LockSupport.park(this);
                writerSleeping.set(false);
            }
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} stopped taking replies: {}", interlayId,
                    socket.getRemoteSocketAddress(), e.toString());
            close();
        }
    }

    // ---------------------------------------------------------------- helpers

    private void markDirty(UpstreamLink link) {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            if (dirty.get(i) == link) {
                return;
            }
        }
        dirty.add(link);
    }

    private void flushDirty() {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            UpstreamLink link = dirty.get(i);
            link.lock.lock();
            try {
                link.flush();
            } finally {
                link.lock.unlock();
            }
        }
        dirty.clear();
    }

    private static Endpoint endpoint(RouteSnapshot snapshot, Side side) throws UpstreamLink.Unavailable {
        return snapshot.endpoint(side).orElseThrow(
                () -> new UpstreamLink.Unavailable("Eden: the route has no " + side.name().toLowerCase() + " endpoint"));
    }

    private static byte[] bytes(List<RespValue> args, int index) {
        return ((BulkString) args.get(index)).bytes();
    }

    private static boolean hasWord(List<RespValue> args, String word) {
        for (int i = 1; i < args.size(); i++) {
            if (((BulkString) args.get(i)).text().equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Answers every command with {@code message} (QUIT with +OK) without any upstream, so a
     * client learns why nothing works instead of seeing a dropped connection.
     */
    private void refuse(String message) throws IOException {
        RespParser requests = RespParser.forRequests(settings.clientLimits());
        byte[] error = RespWriter.encodeError("ERR " + message);
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[CHUNK];
        int read;
        while ((read = in.read(chunk)) >= 0) {
            requests.feed(chunk, 0, read);
            try {
                RespValue frame;
                while ((frame = requests.next()) != null) {
                    var command = RedisCommand.from(frame);
                    if (command.isEmpty()) {
                        continue;
                    }
                    boolean quit = command.get().is("QUIT");
                    appendLocal(quit ? OK : error, quit);
                    if (quit) {
                        return;
                    }
                }
            } catch (RespProtocolException e) {
                metrics.protocolErrors.increment();
                appendLocal(RespWriter.encodeError("ERR Protocol error: " + e.getMessage()), true);
                return;
            }
        }
        appendLocal(NOTHING, true);
    }

    /** Waits for the writer to pass on the last replies (bounded), used when the listener closes. */
    boolean awaitWriter(long nanos) {
        Thread w = writer;
        try {
            return w == null || w.join(java.time.Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static long finalRepliesNanos() {
        return FINAL_REPLIES_NANOS;
    }
}
