package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.command.CommandSpec;
import io.eden.adapters.redis.command.CommandTable;
import io.eden.adapters.redis.proxy.Lanes.Lane;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespRequest;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of an interlay. Its requests are cut into commands where they lie in the read
 * buffer ({@link RespRequest}: bounds only) and each is sent, as the bytes the client sent, to
 * the lane of its key (or to the client's pinned connection while connection state lives); a
 * {@link Reply} per command (per {@link LaneBatch} of pipelined ones) keeps the client's order,
 * whichever upstream connection answers fills it in, and the replies are passed on in that order.
 *
 * <p>Two ways to run. A plain-text client belongs to a {@link ClientLoop}: the loop reads it and
 * sends what can go without waiting; anything that may wait runs on a virtual thread of its own
 * while the loop stops reading this client; the thread that completes the reply at the head of
 * the queue writes it to the non-blocking socket itself, straight from its read buffer (a lane
 * reader, usually), and what the socket cannot take waits for the loop's "writable". A TLS
 * client has a reader and a writer virtual thread of its own with blocking streams, as
 * {@code SSLSocket} needs. Both run the same command logic.
 */
final class ClientSession implements ClientLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final int CHUNK = 16 * 1024;
    /** The read buffer an idle TLS client holds (10,000 idle clients must stay small); it grows when reads fill it. */
    private static final int FIRST_CHUNK = 1024;
    /** A partial request buffer beyond this is dropped once the request is through, not kept for the next. */
    private static final int KEPT_INPUT = 64 * 1024;
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET = "+RESET\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOTHING = new byte[0];
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
    private static final AtomicReferenceArray<byte[]> GATHER_BUFFERS = new AtomicReferenceArray<>(64);
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(ClientSession.class, "tail", Reply.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long FINAL_REPLIES_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final int MAX_DISCARDED_BYTES = 1024 * 1024;

    /** What {@link #dispatch} did with a command. */
    private static final int DONE = 0;
    /** The connection is to end (QUIT, an unreachable upstream). */
    private static final int STOP = 1;
    /** Nothing: the command may have to wait, and this is the loop; it runs again on a thread that may. */
    private static final int BLOCKS = 2;

    /** The TLS client's socket; null on a loop. */
    private final Socket socket;
    /** The plain-text client's non-blocking channel; null for a TLS client. */
    private final SocketChannel channel;
    private final ClientLoop loop;
    private volatile SelectionKey key;
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

    // the input: whoever processes it (the loop, the session's worker, or its TLS reader) is its only user
    private final RespRequest request = new RespRequest();
    /** A request not yet whole, or input left for the worker (null when there is none). */
    private byte[] in;
    private int inStart;
    private int inEnd;
    /** Non-null while input goes through the full parser: inline commands, frames that are not plain. */
    private RespParser parser;
    /** No more input is looked at: QUIT, a protocol error, the client's end of input, an unreachable upstream. */
    private boolean ending;
    /** The loop met a command that may wait: the input from it on is the worker's. */
    private boolean handoff;
    /** The input is being processed on the loop thread: nothing may wait. */
    private boolean inLoop;
    private boolean holdingBudget;
    /** When the input being processed was read, for the latency metric. */
    private long readAt;
    /** Commands dispatched since the last {@link #recordBatch}. */
    private int batchCommands;
    /** The answer to every command of an interlay that had no endpoint when the client came. */
    private byte[] refusal;

    // the command state, kept by whoever processes the input
    private Identity identity = Identity.NONE;
    private Lane[] laneSet;
    private volatile UpstreamLink pinned;
    private boolean pinnedForGood;
    private boolean inMulti;
    private boolean watching;
    private final boolean[] txLanes;
    private final ClientNames names = new ClientNames();
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

    // the reply queue: appended by whoever processes the input (and a pinned link's unsolicited frames)
    /**
     * The last reply passed on. The TLS writer's alone; on a loop, whoever holds {@link #draining}.
     * Nothing else keeps written replies reachable.
     */
    private volatile Reply written = new Reply(this, false);
    @SuppressWarnings("FieldMayBeFinal") // swapped through TAIL
    private volatile Reply tail = written;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicBoolean writerSleeping = new AtomicBoolean();
    private volatile Thread writer;
    private volatile Thread waitingReader;
    /** On a loop: who passes replies on now; any thread may, one at a time. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** On a loop: bytes the socket did not take yet; guarded by {@link #draining}. */
    private volatile ByteBuffer pendingOut;
    private boolean closeAfterPending;
    /** On a loop: the socket is full; the loop says when it is writable again. */
    private volatile boolean writeBlocked;

    // on a loop, the loop thread's alone
    private boolean lingering;
    private int discarded;
    private long deadline;

    /** A TLS client, served by virtual threads of its own ({@link #run}). */
    ClientSession(Socket socket, String interlayId, String name, RouteView route, ProxySettings settings,
                  ProxyMetrics metrics, Counter commands, Lanes lanes, InflightBudget budget, int homeLane,
                  Consumer<ClientSession> onClosed) {
        this(socket, null, null, interlayId, name, route, settings, metrics, commands, lanes, budget, homeLane,
                onClosed);
    }

    /** A plain-text client of {@code loop} ({@link #register}). */
    ClientSession(SocketChannel channel, ClientLoop loop, String interlayId, String name, RouteView route,
                  ProxySettings settings, ProxyMetrics metrics, Counter commands, Lanes lanes, InflightBudget budget,
                  int homeLane, Consumer<ClientSession> onClosed) {
        this(null, channel, loop, interlayId, name, route, settings, metrics, commands, lanes, budget, homeLane,
                onClosed);
    }

    private ClientSession(Socket socket, SocketChannel channel, ClientLoop loop, String interlayId, String name,
                          RouteView route, ProxySettings settings, ProxyMetrics metrics, Counter commands, Lanes lanes,
                          InflightBudget budget, int homeLane, Consumer<ClientSession> onClosed) {
        this.socket = socket;
        this.channel = channel;
        this.loop = loop;
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
        /** The session reads the reply (AUTH, SELECT, HELLO): it must be kept, not written straight through. */
        boolean kept;

        Reply(ClientSession owner, boolean counted) {
            this.owner = owner;
            this.counted = counted;
        }

        /** Where the rest of a batch's replies go once some were passed on ahead ({@link #spill}); the reader's. */
        private Reply rest;

        /**
         * A batch's first replies, {@code buf[off, off+len)}: too many bytes to keep gathering. They
         * complete this slot (or the last one spilled to), and a new slot right behind it takes the
         * rest, so a batch holds at most a few hundred kilobytes however large its replies are.
         */
        @Override
        void spill(byte[] buf, int off, int len) {
            Reply current = rest != null ? rest : this;
            rest = owner.insertAfter(current);
            current.completeOwn(buf, off, len);
        }

        @Override
        void complete(byte[] buf, int off, int len) {
            if (rest != null) {
                rest.complete(buf, off, len);
                return;
            }
            completeOwn(buf, off, len);
        }

        private void completeOwn(byte[] buf, int off, int len) {
            if (owner.closed.get()) {
                bytes = NOTHING; // nobody will read it: keep no copy
                owner.completed(this, 0);
                return;
            }
            // on a loop a reply waits for the round's end, to go out with the replies behind it; one
            // with nothing behind it (a client that waits for each reply) goes at once, uncopied
            if (owner.channel != null && !kept && !detached && (next == null || ClientLoop.current() == null)
                    && owner.passOnAtOnce(this, buf, off, len)) {
                return;
            }
            bytes = Arrays.copyOfRange(buf, off, off + len);
            owner.completed(this, len);
        }

        @Override
        void fail(byte[] error) {
            if (rest != null) {
                rest.fail(error);
                return;
            }
            bytes = error;
            owner.completed(this, error.length);
        }
    }

    // ---------------------------------------------------------------- a TLS client: threads of its own

    void run() {
        writer = Thread.ofVirtual().name("eden-redis-" + interlayId + "-" + name + "-out").start(this::writeReplies);
        try {
            if (route.current().source().isEmpty()) {
                refuseEverything();
            }
            readRequests();
            awaitWriter(FINAL_REPLIES_NANOS); // the last replies (and the close after them) are the writer's
            close();
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} ended: {}", interlayId, remote(), e.toString());
            close();
        } finally {
            budget.release(this);
        }
    }

    private void readRequests() throws IOException {
        InputStream input = socket.getInputStream();
        in = new byte[FIRST_CHUNK];
        while (!ending) {
            makeRoom();
            int read = input.read(in, inEnd, in.length - inEnd);
            if (read < 0) {
                // the client closed its side: it still gets every reply, then the connection ends
                appendLocal(NOTHING, true);
                return;
            }
            readAt = System.nanoTime();
            inEnd += read;
            if (inEnd == in.length && in.length < CHUNK && inStart == 0) {
                in = Arrays.copyOf(in, in.length * 4); // a busy or pipelining client: read more at once
            }
            processInput();
            flushDirty();
            if (!ending) {
                holdBudget();
            }
        }
    }

    /** Room to read into after {@link #inEnd}: the unprocessed bytes moved to the front, the buffer grown when full. */
    private void makeRoom() {
        if (in == null) {
            in = new byte[FIRST_CHUNK];
        }
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
            if (in.length > KEPT_INPUT) {
                in = new byte[FIRST_CHUNK]; // a burst or a big value is over: give its memory back
            }
        }
        if (inEnd < in.length) {
            return;
        }
        if (inStart > 0) {
            System.arraycopy(in, inStart, in, 0, inEnd - inStart);
            inEnd -= inStart;
            inStart = 0;
        } else {
            // a request larger than the buffer: it grows only as its bytes arrive
            in = Arrays.copyOf(in, (int) Math.min(Integer.MAX_VALUE - 8, 2L * in.length));
        }
    }

    // ---------------------------------------------------------------- a plain-text client: its loop

    /** Joins the loop: on the loop's thread, before anything is read. */
    void register() {
        loop.execute(() -> {
            if (closed.get()) {
                return;
            }
            try {
                key = channel.register(loop.selector, 0, this);
            } catch (IOException e) {
                close();
                return;
            }
            if (route.current().source().isEmpty()) {
                refuseEverything();
            }
            key.interestOps(SelectionKey.OP_READ);
        });
    }

    @Override
    public void ready(int readyOps, ClientLoop loop) {
        if ((readyOps & SelectionKey.OP_WRITE) != 0) {
            onWritable();
        }
        if ((readyOps & SelectionKey.OP_READ) != 0) {
            onReadable(loop);
        }
    }

    @Override
    public void abandon() {
        close();
    }

    /** The loop saw input (or the end of it). */
    private void onReadable(ClientLoop loop) {
        if (lingering) {
            discard(loop);
            return;
        }
        if (ending || handoff || closed.get()) {
            return;
        }
        ByteBuffer buffer = loop.readBuffer;
        buffer.clear();
        int read;
        try {
            read = channel.read(buffer);
        } catch (IOException e) {
            LOG.debug("Redis interlay '{}': client {} ended: {}", interlayId, remote(), e.toString());
            close();
            return;
        }
        if (read <= 0) {
            if (read < 0) {
                // the client closed its side: it still gets every reply, then the connection ends
                appendLocal(NOTHING, true);
                endInput();
            }
            return;
        }
        readAt = System.nanoTime();
        inLoop = true;
        try {
            if (parser != null || inEnd > inStart) {
                append(loop.readArray, 0, read);
                processInput();
            } else {
                int pos = runCommands(loop.readArray, 0, read);
                if (pos < read) {
                    append(loop.readArray, pos, read - pos);
                }
            }
        } finally {
            inLoop = false;
            loop.batch.discard(); // open only if that failed: its locks must not outlive it
        }
        if (ending) {
            endInput();
        } else if (handoff) {
            toWorker();
        } else {
            long partial = partialBytes();
            if (partial > 0) {
                holdingBudget = true;
                if (!budget.tryHold(this, partial)) {
                    holdingBudget = false;
                    handoff = true;
                    toWorker(); // it waits for the budget where waiting is allowed
                }
            } else if (holdingBudget) {
                holdingBudget = false;
                budget.release(this);
            }
        }
    }

    /** Keeps input for later (a partial request, or what the worker is to run) in the client's own buffer. */
    private void append(byte[] bytes, int from, int length) {
        if (in == null) {
            in = new byte[Math.max(FIRST_CHUNK, length)];
        }
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
        }
        if (in.length - inEnd < length) {
            int unread = inEnd - inStart;
            long needed = (long) unread + length;
            byte[] target = in;
            if (needed > in.length) {
                target = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * in.length))];
            }
            System.arraycopy(in, inStart, target, 0, unread);
            in = target;
            inStart = 0;
            inEnd = unread;
        }
        System.arraycopy(bytes, from, in, inEnd, length);
        inEnd += length;
    }

    /** Request bytes held for a command not yet whole. */
    private long partialBytes() {
        return parser != null ? (parser.isMidValue() ? parser.bufferedBytes() : 0) : inEnd - inStart;
    }

    /** No more reading: the connection ends once its replies are out, or after a while when they do not come. */
    private void endInput() {
        ending = true;
        SelectionKey k = key;
        if (k != null && k.isValid() && !lingering) {
            k.interestOpsAnd(~SelectionKey.OP_READ);
        }
        if (holdingBudget) {
            holdingBudget = false;
            budget.release(this);
        }
        if (!lingering) {
            deadline = System.nanoTime() + FINAL_REPLIES_NANOS;
            loop.addTimed(this);
        }
    }

    /** Runs what the loop could not on a virtual thread; the loop stops reading this client meanwhile. */
    private void toWorker() {
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOpsAnd(~SelectionKey.OP_READ);
        }
        Thread.ofVirtual().name("eden-redis-" + interlayId + "-" + name).start(this::work);
    }

    private void work() {
        try {
            handoff = false;
            processInput();
            flushDirty();
            if (!ending) {
                holdBudget();
            }
        } catch (RuntimeException e) {
            LOG.warn("Redis interlay '{}': client {} failed", interlayId, remote(), e);
            close();
        } finally {
            loop.execute(this::fromWorker);
        }
    }

    /** Back on the loop thread after the worker. */
    private void fromWorker() {
        if (closed.get()) {
            budget.release(this);
            return;
        }
        if (ending) {
            endInput();
            return;
        }
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOpsOr(SelectionKey.OP_READ);
        }
    }

    /** The socket can take more: on the loop thread. */
    private void onWritable() {
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOpsAnd(~SelectionKey.OP_WRITE);
        }
        writeBlocked = false;
        drain();
    }

    /** After the last reply (and FIN): what the client still sends is read and dropped for a moment, so no RST can destroy that reply. */
    private void discard(ClientLoop loop) {
        ByteBuffer buffer = loop.readBuffer;
        buffer.clear();
        try {
            int read = channel.read(buffer);
            if (read < 0 || (discarded += Math.max(0, read)) >= MAX_DISCARDED_BYTES) {
                close();
            }
        } catch (IOException e) {
            close();
        }
    }

    /** Called by the loop with the time; true once the session needs no more calls. */
    boolean expire(long now) {
        if (closed.get()) {
            return true;
        }
        if (now - deadline >= 0) {
            close();
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- input to commands

    /** Runs the whole commands of {@link #in} (or of the parser). */
    private void processInput() {
        if (parser != null) {
            if (inLoop) {
                handoff = true;
                return;
            }
            if (inEnd > inStart) {
                parser.feed(in, inStart, inEnd - inStart);
                inStart = inEnd;
            }
            runParsed();
        } else if (inEnd > inStart) {
            inStart = runCommands(in, inStart, inEnd);
        }
        if (inStart == inEnd) {
            inStart = 0;
            inEnd = 0;
            // a loop client is read into the loop's buffer: an idle one holds none of its own
            if (in != null && (channel != null || in.length > KEPT_INPUT)) {
                in = null;
            }
        }
    }

    /** Runs the whole plain commands of {@code buf[pos, lim)}; returns where the rest starts. */
    private int runCommands(byte[] buf, int pos, int lim) {
        while (!ending && pos < lim) {
            int frameEnd = request.scan(buf, pos, lim, settings.clientLimits());
            if (frameEnd == RespRequest.INCOMPLETE) {
                break;
            }
            if (frameEnd == RespRequest.NOT_PLAIN) {
                request.reset();
                if (inLoop) {
                    handoff = true;
                    break;
                }
                // an inline command, or something the parser must judge (and word the error of)
                parser = RespParser.forRequests(settings.clientLimits());
                parser.feed(buf, pos, lim - pos);
                pos = lim;
                runParsed();
                break;
            }
            if (inLoop) {
                if (joinBatch(buf, pos, frameEnd)) {
                    counted();
                    pos = frameEnd;
                    continue;
                }
                closeBatch();
                if (ending) {
                    break;
                }
            }
            int outcome = dispatch(request, frameEnd == lim);
            if (outcome == BLOCKS) {
                handoff = true;
                break;
            }
            counted();
            pos = frameEnd;
            if (outcome == STOP) {
                ending = true;
            }
        }
        if (inLoop) {
            closeBatch();
        }
        recordBatch();
        return pos;
    }

    /**
     * Adds the command just scanned, {@code buf[from, to)}, to the loop's {@link LaneBatch} if it
     * is a plain one for a single lane while no migration runs; false when it must go the usual way.
     */
    private boolean joinBatch(byte[] buf, int from, int to) {
        if (refusal != null || pinnedNow()) {
            return false;
        }
        RouteSnapshot snapshot = route.current();
        if (snapshot.state().isPresent()) {
            return false;
        }
        CommandSpec spec = lanes.tables.current().lookup(request);
        if (spec == null || !loop.batch.plain(spec)) {
            return false;
        }
        int keys = keyPositions(spec, request);
        int lane = soleLane(spec, request, keys, keys > 0 ? slotOf(request, keyIndexes[0]) : 0);
        if (lane == SEVERAL_LANES) {
            return false;
        }
        Endpoint endpoint = snapshot.endpoint(Side.SOURCE).orElse(null);
        if (endpoint == null || !loop.batch.add(this, laneSet[lane], endpoint, buf, from, to)) {
            return false;
        }
        if (routeWhileHeld() != snapshot) {
            loop.batch.dropLast(from); // the route changed (a migration may have begun): routed the usual way
            return false;
        }
        return true;
    }

    /** Sends the loop's open batch of this client's commands, if there is one; on the loop thread. */
    void closeBatch() {
        LaneBatch batch = loop.batch;
        if (!batch.isOpen()) {
            return;
        }
        UpstreamLink link = batch.link();
        Reply reply = append(false);
        try {
            batch.send(reply, readAt);
            loop.markDirty(link);
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            ending = true;
        }
    }

    /** Runs what the parser has whole; back to plain scanning once it holds nothing. */
    private void runParsed() {
        while (!ending) {
            RespValue frame;
            try {
                frame = parser.next();
                if (frame == null) {
                    break;
                }
                if (RedisCommand.from(frame).isEmpty()) {
                    continue;
                }
            } catch (RespProtocolException e) {
                metrics.protocolErrors.increment();
                LOG.debug("Redis interlay '{}': protocol error from {}: {}", interlayId, remote(), e.getMessage());
                appendLocal(RespWriter.encodeError("ERR Protocol error: " + e.getMessage()), true);
                ending = true;
                recordBatch();
                return;
            }
            int outcome = dispatch(RespRequest.of((ArrayValue) frame), !parser.isMidValue());
            counted();
            if (outcome == STOP) {
                ending = true;
            }
        }
        recordBatch();
        if (!parser.isMidValue()) {
            parser = null;
        }
    }

    private void counted() {
        if (refusal == null) {
            batchCommands++;
        }
    }

    /**
     * Counts the commands dispatched since the read, and records the time Eden took from the read
     * to the last of them on its way: one clock read and one histogram sample per read, not per
     * command, which for a pipelining client was over a tenth of the loop's work.
     */
    private void recordBatch() {
        int n = batchCommands;
        if (n > 0) {
            batchCommands = 0;
            commands.add(n);
            lanes.clientCommands.add(n);
            metrics.requestLatency.recordNanos(System.nanoTime() - readAt);
        }
    }

    /** Counts a partial request against the inflight budget, waiting while it is exhausted. */
    private void holdBudget() {
        long partial = partialBytes();
        if (partial > 0) {
            holdingBudget = true;
            budget.hold(this, partial); // a large value arriving: count it, maybe wait
        } else if (holdingBudget) {
            holdingBudget = false;
            budget.release(this);
        }
    }

    /** Every command gets {@code message} (QUIT its +OK) without any upstream: the client learns why nothing works. */
    private void refuseEverything() {
        metrics.noEndpointErrors.increment();
        refusal = RespWriter.encodeError("ERR Eden: interlay '" + interlayId
                + "' has no endpoint yet; create one with POST /api/v1/endpoints");
    }

    // ---------------------------------------------------------------- routing

    /** Sends one command on its way: {@link #DONE}, {@link #STOP}, or (on the loop) {@link #BLOCKS}. */
    private int dispatch(RespRequest command, boolean lastOfBatch) {
        if (refusal != null) {
            boolean quit = command.argIs(0, "quit");
            appendLocal(quit ? OK : refusal, quit);
            return quit ? STOP : DONE;
        }
        CommandTable table = lanes.tables.current();
        CommandSpec spec = table.lookup(command);
        String cmd = spec != null ? rootName(spec) : CommandTable.lowerName(command.arg(0));
        switch (cmd) {
            case "quit" -> {
                appendLocal(OK, true);
                return STOP;
            }
            case "reset" -> {
                if (inLoop) {
                    return BLOCKS;
                }
                reset();
                return DONE;
            }
            case "auth" -> {
                return inLoop ? BLOCKS : auth(command) ? DONE : STOP;
            }
            case "client" -> {
                if (inLoop) {
                    return BLOCKS;
                }
                byte[] answer = spec != null && !pinnedNow() ? names.answer(spec.name(), command.args()) : null;
                if (answer != null) {
                    appendLocal(answer, false);
                    return DONE;
                }
                if (spec != null && spec.name().equals("client") && !pinnedNow()) {
                    // a subcommand this server does not know (SETINFO before 7.2): its own error, from a lane
                    return sendOnLanes(command, spec, lastOfBatch);
                }
            }
            default -> {
            }
        }
        if (cmd.startsWith("eval") || cmd.equals("script")) {
            lanes.scripts.learn(cmd, command);
        }
        RouteSnapshot snapshot = route.current();
        if (mirroring(snapshot) && spec != null && spec.has(CommandSpec.BLOCKING)) {
            if (inLoop) {
                return BLOCKS;
            }
            BlockingPoll poll = BlockingPoll.of(cmd, command.args());
            if (poll != null) {
                return pollBlocking(poll) ? DONE : STOP;
            }
        }
        if (needsPin(cmd, command, spec)) {
            return inLoop ? BLOCKS : sendPinned(snapshot, command, cmd, spec) ? DONE : STOP;
        }
        return sendOnLanes(command, spec, lastOfBatch);
    }

    /** On a new own connection: what the client told Eden about itself, so the server knows it too. */
    private void replayClientState(UpstreamLink link, Endpoint endpoint) throws UpstreamLink.Unavailable {
        if (resp3) {
            link.sendWords(endpoint, List.of(ClientNames.word("HELLO"), ClientNames.word("3")), IGNORED);
        }
        if (db != 0) {
            link.sendWords(endpoint, List.of(ClientNames.word("SELECT"), ClientNames.word(Integer.toString(db))),
                    IGNORED);
        }
        names.replayOn(link, endpoint, IGNORED);
    }

    /** The command's name without its subcommand: {@code client} for {@code client|setname}. */
    private static String rootName(CommandSpec spec) {
        String n = spec.name();
        int bar = n.indexOf('|');
        return bar < 0 ? n : n.substring(0, bar);
    }

    private boolean pinnedNow() {
        return pinnedForGood || inMulti || watching || (pinned != null && pinned.inflight() > 0);
    }

    /** Commands that always take the client's own connection: the state they create lives there. */
    private static final Set<String> PINNING_COMMANDS = Set.of("multi", "watch", "subscribe", "psubscribe",
            "ssubscribe", "monitor", "hello", "client", "wait", "waitaof");

    private boolean needsPin(String cmd, RespRequest command, CommandSpec spec) {
        if (pinnedNow()) {
            return true;
        }
        if (PINNING_COMMANDS.contains(cmd)) {
            return true;
        }
        return switch (cmd) {
            case "select" -> command.argCount() != 2 || !command.argIs(1, "0");
            case "xread", "xreadgroup" -> command.hasWord("BLOCK");
            default -> spec != null && spec.has(CommandSpec.BLOCKING);
        };
    }

    /**
     * Whether commands of {@code spec} may join a {@link LaneBatch}, which skips {@link #dispatch}:
     * nothing about them needs its handling (connection state, scripts to learn, blocking, keys the
     * server must find), whatever their arguments. Kept next to dispatch and {@link #needsPin} so
     * that a command they learn to handle is taken out of batches in the same change.
     */
    static boolean batchable(CommandSpec spec) {
        if (spec.keysUnknown() || spec.has(CommandSpec.BLOCKING) || spec.has(CommandSpec.MOVABLEKEYS)) {
            return false;
        }
        String root = rootName(spec);
        if (PINNING_COMMANDS.contains(root)) {
            return false;
        }
        return switch (root) {
            // handled on their way (dispatch), or pinned depending on their arguments or the client's state
            case "quit", "reset", "auth", "select", "xread", "xreadgroup", "script", "function", "exec", "discard",
                 "unwatch", "unsubscribe", "punsubscribe", "sunsubscribe" -> false;
            default -> !root.startsWith("eval") && !root.startsWith("fcall");
        };
    }

    private int sendOnLanes(RespRequest command, CommandSpec spec, boolean lastOfBatch) {
        int keys = spec == null ? 0 : keyPositions(spec, command);
        boolean write = spec != null && !spec.has(CommandSpec.READONLY);
        if (keys == 0 && spec != null && spec.name().startsWith("script|")) {
            // SCRIPT LOAD / FLUSH: the other side must know the same scripts, so it is mirrored like a write
            return sendOnLane(0, homeLane, command, true, lastOfBatch, -1);
        }
        int slot = keys > 0 ? slotOf(command, keyIndexes[0]) : 0;
        int lane = soleLane(spec, command, keys, slot);
        if (lane != SEVERAL_LANES) {
            return keys == 0 ? sendOnLane(0, lane, command, false, lastOfBatch, -1)
                    : sendOnLane(slot, lane, command, write, lastOfBatch, keyIndexes[0]);
        }
        if (inLoop) {
            return BLOCKS;
        }
        boolean[] held = new boolean[lanes.count];
        if (keys <= 0) {
            Arrays.fill(held, true); // keys unknown, or a keyless write such as FLUSHALL: ordered against every lane
            return sendWithBarrier(0, held, homeLane, command, write, null) ? DONE : STOP;
        }
        for (int k = 0; k < keys; k++) {
            held[laneOf(slotOf(command, keyIndexes[k]))] = true;
        }
        return sendWithBarrier(slot, held, laneOf(slot), command, write, command.arg(keyIndexes[0])) ? DONE : STOP;
    }

    /** What {@link #soleLane} answers for a command that must be ordered against more than one lane. */
    private static final int SEVERAL_LANES = -1;

    /**
     * The one lane a command with {@code keys} keys (-1: unknown) goes to: its keys' lane, the
     * client's home lane without keys; {@link #SEVERAL_LANES} when its keys span lanes, are
     * unknown, or it is a keyless write (FLUSHALL).
     *
     * @param firstSlot the slot of its first key, when it has one
     */
    private int soleLane(CommandSpec spec, RespRequest command, int keys, int firstSlot) {
        if (keys < 0 || (keys == 0 && spec != null && spec.has(CommandSpec.WRITE))) {
            return SEVERAL_LANES;
        }
        if (keys == 0) {
            return homeLane;
        }
        int lane = laneOf(firstSlot);
        for (int k = 1; k < keys; k++) {
            if (laneOf(slotOf(command, keyIndexes[k])) != lane) {
                return SEVERAL_LANES;
            }
        }
        return lane;
    }

    private static int slotOf(RespRequest command, int argument) {
        return HashSlot.of(command.buffer(), command.argOffset(argument), command.argLength(argument));
    }

    /** The key positions into {@link #keyIndexes}, grown for commands with many keys; -1 when unknown. */
    private int keyPositions(CommandSpec spec, RespRequest command) {
        int keys = CommandTable.keyPositions(spec, command, keyIndexes);
        if (keys < 0 && !spec.keysUnknown() && keyIndexes.length < command.argCount()) {
            keyIndexes = new int[Math.max(command.argCount(), 16)];
            keys = CommandTable.keyPositions(spec, command, keyIndexes);
        }
        return keys;
    }

    private static RouteDecision decide(RouteSnapshot snapshot, int slot) {
        return snapshot.state().isEmpty() ? RouteDecision.SOURCE_ONLY : snapshot.decide(slot);
    }

    private int laneOf(int slot) {
        return lanes.laneOf(slot);
    }

    /** Whether the lane's connection to {@code side} can take a command now, without connecting. */
    private static boolean ready(Lane lane, RouteSnapshot snapshot, Side side) {
        Endpoint endpoint = snapshot.endpoint(side).orElse(null);
        return endpoint != null && lane.link(side).readyFor(endpoint);
    }

    /**
     * The route of a command, read once its lanes are held. A migration's copier holds a lane
     * while it copies the lane's keys, after the route has changed; so a command routed by an
     * older route is sent before that copy (and is in it), never after it (it would miss the side
     * being migrated to).
     */
    private RouteSnapshot routeWhileHeld() {
        return route.current();
    }

    /**
     * @param slot        the slot the command is routed by (of its first key; 0 without keys)
     * @param keyArgument the argument holding the key a mirror failure is repaired by, -1 for none
     */
    private int sendOnLane(int slot, int laneIndex, RespRequest command, boolean write, boolean lastOfBatch,
                           int keyArgument) {
        Lane lane = laneSet[laneIndex];
        if (inLoop) {
            if (!ClientLoop.tryLock(lane.lock)) {
                return BLOCKS;
            }
        } else {
            lane.lock.lock();
        }
        RouteSnapshot snapshot = routeWhileHeld();
        RouteDecision decision = decide(snapshot, slot);
        Side side = write ? decision.write() : decision.read();
        Side mirrorSide = write ? decision.mirror().orElse(null) : null;
        boolean canary = !write && side != decision.write();
        // on the loop, the connections' locks too, until it is sent: another sender may break a
        // connection off between a look at it and a send, and a send would then connect, and wait
        ReentrantLock first = null;
        ReentrantLock second = null;
        if (inLoop) {
            Side otherSide = mirrorSide != null ? mirrorSide : canary ? decision.write() : null;
            first = ClientLoop.tryLock(lane.link(side).lock) ? lane.link(side).lock : null;
            second = first == null || otherSide == null ? null
                    : ClientLoop.tryLock(lane.link(otherSide).lock) ? lane.link(otherSide).lock : null;
            if (first == null || (otherSide != null && second == null) || !ready(lane, snapshot, side)
                    || (otherSide != null && !ready(lane, snapshot, otherSide))) {
                unlock(second, first, lane.lock);
                return BLOCKS; // a connection to open first: that may take a while
            }
        }
        Reply reply = null;
        try {
            reply = append(false);
            MirrorCheck check = mirrorSide == null ? null : new MirrorCheck(mirrorSide, decision.eitherSuffices(), db,
                    keyArgument < 0 ? null : command.arg(keyArgument), lanes.mirrors, metrics, reply);
            UpstreamLink link = lane.link(side);
            Waiter waiter = check != null ? check.authoritativeWaiter()
                    : canary ? new CanaryRead(snapshot, lane, decision.write(), command.copy(), reply) : reply;
            try {
                link.send(endpoint(snapshot, side), command.buffer(), command.start(), command.length(), waiter,
                        lane.index, readAt);
            } catch (UpstreamLink.Unavailable e) {
                if (!canary) {
                    throw e;
                }
                side = decision.write(); // the side being migrated to is down: the read is the authoritative side's
                link = lane.link(side);
                link.send(endpoint(snapshot, side), command.buffer(), command.start(), command.length(), reply,
                        lane.index, readAt);
            }
            if (check != null) {
                mirror(snapshot, lane, mirrorSide, command, check);
            }
            if (inLoop) {
                loop.markDirty(link);
                if (mirrorSide != null) {
                    loop.markDirty(lane.link(mirrorSide));
                }
            } else if (lastOfBatch && dirty.isEmpty()) {
                link.flush();
                if (mirrorSide != null) {
                    lane.link(mirrorSide).flush();
                }
            } else {
                markDirty(link);
                if (mirrorSide != null) {
                    markDirty(lane.link(mirrorSide));
                }
            }
            return DONE;
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            return STOP;
        } finally {
            unlock(second, first, lane.lock);
        }
    }

    private static void unlock(ReentrantLock second, ReentrantLock first, ReentrantLock lane) {
        if (second != null) {
            second.unlock();
        }
        if (first != null) {
            first.unlock();
        }
        lane.unlock();
    }

    /**
     * A read sent to the side being migrated to (a canary read): if that side fails to answer,
     * the read is asked again of the authoritative side, so a dying target costs the client nothing.
     */
    private final class CanaryRead extends Waiter {
        private final RouteSnapshot snapshot;
        private final Lane lane;
        private final Side fallback;
        private final RespRequest command;
        private final Reply reply;

        CanaryRead(RouteSnapshot snapshot, Lane lane, Side fallback, RespRequest command, Reply reply) {
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
                link.send(endpoint(snapshot, fallback), command.buffer(), command.start(), command.length(), reply,
                        lane.index, readAt);
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
    private void mirror(RouteSnapshot snapshot, Lane lane, Side mirrorSide, RespRequest command, MirrorCheck check) {
        try {
            sendMirrorForm(lane.link(mirrorSide), endpoint(snapshot, mirrorSide), command, check.mirrorWaiter(),
                    lane.index);
        } catch (UpstreamLink.Unavailable e) {
            check.mirrorWaiter().fail(RespWriter.encodeError("ERR " + e.getMessage()));
        }
    }

    /** The mirror carries the client's bytes, except an EVALSHA Eden knows the script of: EVAL with the body. */
    private void sendMirrorForm(UpstreamLink link, Endpoint endpoint, RespRequest command, Waiter waiter, int lane)
            throws UpstreamLink.Unavailable {
        byte[] rewritten = lanes.scripts.mirrorForm(command);
        if (rewritten != null) {
            link.send(endpoint, rewritten, 0, rewritten.length, waiter, lane, readAt);
        } else {
            link.send(endpoint, command.buffer(), command.start(), command.length(), waiter, lane, readAt);
        }
    }

    /**
     * A command whose keys span several lanes (or are unknown): holds those lanes, waits until
     * none has a command in flight on either side, runs the command on {@code laneIndex} (with
     * its mirror), waits for its reply, then releases them.
     */
    private boolean sendWithBarrier(int slot, boolean[] held, int laneIndex, RespRequest command, boolean write,
                                    byte[] key) {
        flushDirty();
        Reply reply = append(false);
        lockAll(held);
        try {
            lanes.drain(held);
            RouteSnapshot snapshot = routeWhileHeld();
            RouteDecision decision = decide(snapshot, slot);
            Lane lane = laneSet[laneIndex];
            Side side = write ? decision.write() : decision.read();
            UpstreamLink link = lane.link(side);
            MirrorCheck check = write ? mirrorCheck(decision, key, reply) : null;
            link.send(endpoint(snapshot, side), command.buffer(), command.start(), command.length(),
                    check != null ? check.authoritativeWaiter() : reply, lane.index, readAt);
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

    private static boolean mirroring(RouteSnapshot snapshot) {
        return snapshot.state().isPresent() && snapshot.decide(0).mirror().isPresent();
    }

    /** A blocking pop while writes are mirrored: its non-blocking form, tried until something comes or time is up. */
    private boolean pollBlocking(BlockingPoll poll) {
        long started = System.nanoTime();
        long pause = BlockingPoll.FIRST_PAUSE_MILLIS;
        while (!closed.get()) {
            for (int i = 0; i < poll.attempts().size(); i++) {
                Reply attempt = callDetached(RespRequest.of(poll.attempts().get(i)));
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
    private Reply callDetached(RespRequest command) {
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

    private boolean sendPinned(RouteSnapshot snapshot, RespRequest command, String cmd, CommandSpec spec) {
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
            markLanes(spec, command, txLanes); // queued: ordered against the lanes when EXEC runs them
            rememberTransactionKeys(spec, command);
        } else if ("exec".equals(cmd)) {
            held = txLanes.clone();
        } else if (spec != null) {
            boolean[] lanesOfKeys = new boolean[lanes.count];
            if (markLanes(spec, command, lanesOfKeys)) {
                held = lanesOfKeys;
            }
        }
        byte[] key = spec == null ? null : firstKey(spec, command);
        if (held != null) {
            flushDirty();
            lockAll(held);
        }
        RouteDecision decision;
        UpstreamLink link;
        Reply reply = null;
        Side mirrorSide;
        MirrorCheck check;
        try {
            if (held != null) {
                snapshot = routeWhileHeld();
            }
            decision = decide(snapshot, key == null ? 0 : HashSlot.of(key));
            boolean streaming = streamingNow || (pinned != null && pinned.streaming);
            boolean readOnly = spec != null && spec.has(CommandSpec.READONLY) && !inMulti;
            link = pinnedLink(snapshot, decision.write());
            if (streaming) {
                link.streaming = true; // from here on every frame of this connection goes to the client in order
            } else {
                reply = append(cmd.equals("select") || cmd.equals("hello"));
            }
            // While a migration mirrors writes, a pinned client's writes (and its whole transaction) run
            // on a second pinned connection to the other side too; a key-bearing one holds its lanes
            // until both sides answered, so neither side can order it differently against the lanes.
            // A transaction is mirrored or not as a whole, as its MULTI was: the other side must see
            // MULTI, the queued commands and EXEC on one connection, or none of them.
            mirrorSide = inMulti ? txMirror : decision.mirror().orElse(null);
            check = reply == null || readOnly || mirrorSide == null ? null
                    : new MirrorCheck(mirrorSide, decision.eitherSuffices(), db, key, lanes.mirrors, metrics, reply);
            link.lock.lock();
            try {
                if (held != null) {
                    lanes.drain(held);
                }
                Endpoint endpoint = pinnedEndpoint(snapshot, decision.write(), link);
                if (!endpoint.equals(link.connectedEndpoint())) {
                    replayClientState(link, endpoint);
                }
                link.send(endpoint, command.buffer(), command.start(), command.length(),
                        check != null ? check.authoritativeWaiter() : reply);
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
                reply = append(false);
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
                rememberProtocol(command, reply);
            }
            case "select" -> {
                pinnedForGood = true;
                rememberDatabase(command, reply);
            }
            default -> {
            }
        }
        return true;
    }

    /** The mirror of a pinned write, on this client's pinned connection to the other side. */
    private void mirrorPinned(RouteSnapshot snapshot, Side side, RespRequest command, MirrorCheck check) {
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
            sendMirrorForm(link, endpoint, command, check.mirrorWaiter(), 0);
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

    private void rememberTransactionKeys(CommandSpec spec, RespRequest command) {
        int keys = keyPositions(spec, command);
        for (int k = 0; k < keys && txKeys.size() < MAX_TRANSACTION_KEYS; k++) {
            txKeys.add(command.arg(keyIndexes[k]));
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
    private byte[] firstKey(CommandSpec spec, RespRequest command) {
        return keyPositions(spec, command) > 0 ? command.arg(keyIndexes[0]) : null;
    }

    private void rememberDatabase(RespRequest command, Reply reply) {
        if (inMulti || reply == null || command.argCount() != 2) {
            return;
        }
        awaitReply(reply);
        if (reply.bytes.length > 0 && reply.bytes[0] == '+') {
            db = Integer.parseInt(command.argText(1).strip());
        }
    }

    private void rememberProtocol(RespRequest command, Reply reply) {
        if (reply == null || command.argCount() < 2) {
            return;
        }
        awaitReply(reply);
        if (reply.bytes.length > 0 && reply.bytes[0] != '-' && reply.bytes[0] != '!') {
            resp3 = "3".equals(command.argText(1));
        }
    }

    /** Marks the lanes of the command's keys; true if it has any (unknown keys mark every lane). */
    private boolean markLanes(CommandSpec spec, RespRequest command, boolean[] into) {
        int keys = keyPositions(spec, command);
        if (keys < 0) {
            Arrays.fill(into, true);
            return true;
        }
        for (int k = 0; k < keys; k++) {
            into[laneOf(slotOf(command, keyIndexes[k]))] = true;
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
        names.clear();
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
    private boolean auth(RespRequest command) {
        if (inMulti) {
            return sendPinned(route.current(), command, "auth", null);
        }
        awaitOwnReplies();
        RouteSnapshot snapshot = route.current();
        // the source checks passwords as long as a migration runs: the target may have other ones
        UpstreamLink link = pinnedLink(snapshot, Side.SOURCE);
        Reply reply = append(true);
        link.lock.lock();
        try {
            link.send(endpoint(snapshot, Side.SOURCE), command.buffer(), command.start(), command.length(), reply);
            link.flush();
        } catch (UpstreamLink.Unavailable e) {
            unreachable(reply, e);
            return false;
        } finally {
            link.lock.unlock();
        }
        awaitReply(reply);
        byte[] answer = reply.bytes;
        int argc = command.argCount();
        if (answer.length > 0 && answer[0] == '+' && (argc == 2 || argc == 3)) {
            byte[] user = argc == 3 ? command.arg(1) : null;
            setIdentity(new Identity(user, command.arg(argc - 1)));
            link.identity = identity;
        }
        return true;
    }

    private void setIdentity(Identity next) {
        identity = next;
        laneSet = lanes.forIdentity(next);
    }

    // ---------------------------------------------------------------- the reply queue

    /** @param kept whether this session reads the reply itself (it must then be kept, not written straight through) */
    private Reply append(boolean kept) {
        Reply reply = detached;
        if (reply != null) {
            detached = null;
            return reply;
        }
        reply = new Reply(this, true);
        reply.kept = kept;
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
        // one swap instead of a lock: until the old tail's next is set, readers of the queue see it
        // end there, and the reply behind cannot be complete yet (it is sent after this returns)
        Reply before = (Reply) TAIL.getAndSet(this, reply);
        before.next = reply;
    }

    /**
     * A new reply slot right behind {@code reply}, which is not complete yet: only the one who will
     * complete it inserts here, and appenders only ever set the next of the tail they replaced.
     */
    private Reply insertAfter(Reply reply) {
        Reply inserted = new Reply(this, true);
        outstanding.incrementAndGet();
        while (true) {
            Reply behind = reply.next;
            if (behind != null) {
                inserted.next = behind;
                reply.next = inserted;
                return inserted;
            }
            if (TAIL.compareAndSet(this, reply, inserted)) {
                reply.next = inserted;
                return inserted;
            }
            Thread.onSpinWait(); // an appender replaced it as the tail and is about to link behind it
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
        queued(length);
        if (channel != null) {
            ClientLoop current = ClientLoop.current();
            if (current != null) {
                current.markReady(this); // more of its replies may complete in this round: one write for all
            } else {
                drain();
            }
        } else if (writerSleeping.get() && writerSleeping.compareAndSet(true, false)) {
            LockSupport.unpark(writer);
        }
        Thread reader = waitingReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
    }

    /** Counts reply bytes waiting for the client; a client that lets too many pile up is dropped. */
    private void queued(long length) {
        if (queuedBytes.addAndGet(length) > settings.clientOutputLimit() && !closed.get()) {
            if (slow.compareAndSet(false, true)) {
                metrics.slowClientErrors.increment();
            }
            LOG.info("Redis interlay '{}': client {} disconnected: more than {} bytes of replies unread", interlayId,
                    remote(), settings.clientOutputLimit());
            close();
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

    // ---------------------------------------------------------------- passing replies on, on a loop

    /**
     * The lane reader's shortcut: the reply is next in the client's order and nobody is writing to
     * the client, so it goes from the reader's buffer to the socket at once, without a copy and
     * without waking anyone. False when it has to be queued instead.
     */
    private boolean passOnAtOnce(Reply reply, byte[] buf, int off, int len) {
        if (writeBlocked || !draining.compareAndSet(false, true)) {
            return false;
        }
        long left = 0;
        IOException failure = null;
        try {
            if (written.next != reply || pendingOut != null || writeBlocked || closed.get()) {
                return false;
            }
            ByteBuffer out = ByteBuffer.wrap(buf, off, len);
            try {
                channel.write(out);
            } catch (IOException e) {
                failure = e;
            }
            if (failure == null && out.hasRemaining()) {
                left = out.remaining();
                pendingOut = ByteBuffer.wrap(Arrays.copyOfRange(buf, out.position(), off + len));
                closeAfterPending = false;
                awaitWritable();
            }
            reply.bytes = NOTHING;
            written = reply;
        } finally {
            draining.set(false);
        }
        if (reply.counted) {
            outstanding.decrementAndGet();
        }
        if (failure != null) {
            LOG.debug("Redis interlay '{}': client {} stopped taking replies: {}", interlayId, remote(),
                    failure.toString());
            close();
        } else if (left > 0) {
            queued(left);
        } else if (readyToDrain()) {
            drain(); // replies that were waiting behind this one
        }
        Thread reader = waitingReader;
        if (reader != null) {
            LockSupport.unpark(reader);
        }
        return true;
    }

    private boolean readyToDrain() {
        if (writeBlocked || closed.get()) {
            return false;
        }
        Reply next = written.next;
        return next != null && next.bytes != null;
    }

    /**
     * Whether a loop will {@link #drainNow} this session at the end of its round. Cleared before
     * that drain, so a reply completed after it either sees the mark gone and marks again, or
     * was completed before the drain looked.
     */
    final AtomicBoolean markedReady = new AtomicBoolean();

    /** The loop's end of round. */
    void drainNow() {
        drain();
    }

    /** Passes on what is ready, in order; any thread, one at a time, never waiting for the socket. */
    private void drain() {
        do {
            if (!draining.compareAndSet(false, true)) {
                return; // the one draining sees what was completed before it lets go (it checks again)
            }
            try {
                drainReady();
            } catch (IOException e) {
                LOG.debug("Redis interlay '{}': client {} stopped taking replies: {}", interlayId, remote(),
                        e.toString());
                close();
            } finally {
                draining.set(false);
            }
        } while (readyToDrain() || (pendingOut != null && !writeBlocked && !closed.get()));
    }

    private void drainReady() throws IOException {
        if (closed.get() || writeBlocked) {
            return;
        }
        if (pendingOut != null) {
            int n = channel.write(pendingOut);
            queuedBytes.addAndGet(-n);
            if (pendingOut.hasRemaining()) {
                awaitWritable();
                return;
            }
            pendingOut = null;
            if (closeAfterPending) {
                lingerThenClose();
                return;
            }
        }
        Reply head = written;
        while (true) {
            Reply first = head.next;
            if (first == null || first.bytes == null) {
                break;
            }
            Reply last = first;
            int total = first.bytes.length;
            while (!last.closeAfter) {
                Reply following = last.next;
                if (following == null || following.bytes == null || total + following.bytes.length > GATHER) {
                    break;
                }
                last = following;
                total += following.bytes.length;
            }
            ByteBuffer out;
            byte[] gathered = null;
            if (last == first) {
                out = ByteBuffer.wrap(first.bytes);
            } else {
                gathered = takeGatherBuffer();
                int at = 0;
                for (Reply r = first; ; r = r.next) {
                    System.arraycopy(r.bytes, 0, gathered, at, r.bytes.length);
                    at += r.bytes.length;
                    if (r == last) {
                        break;
                    }
                }
                out = ByteBuffer.wrap(gathered, 0, at);
            }
            head = last;
            written = head;
            int n;
            try {
                n = channel.write(out);
            } finally {
                if (gathered != null && !out.hasRemaining()) {
                    giveGatherBuffer(gathered);
                }
            }
            queuedBytes.addAndGet(-n);
            if (out.hasRemaining()) {
                pendingOut = gathered == null ? out
                        : ByteBuffer.wrap(Arrays.copyOfRange(gathered, out.position(), out.limit()));
                if (gathered != null) {
                    giveGatherBuffer(gathered);
                }
                closeAfterPending = last.closeAfter;
                awaitWritable();
                return;
            }
            if (last.closeAfter) {
                lingerThenClose();
                return;
            }
        }
    }

    /** The socket is full: the loop says when it can take more. */
    private void awaitWritable() {
        writeBlocked = true;
        SelectionKey k = key;
        if (k != null && k.isValid()) {
            k.interestOpsOr(SelectionKey.OP_WRITE);
            loop.wakeup();
        }
    }

    /** The last reply is out: FIN, then the loop reads and drops what still comes for a moment, then closes. */
    private void lingerThenClose() {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close();
            return;
        }
        loop.execute(() -> {
            if (closed.get()) {
                return;
            }
            lingering = true;
            ending = true;
            deadline = System.nanoTime() + LINGER_NANOS;
            loop.addTimed(this);
            SelectionKey k = key;
            if (k != null && k.isValid()) {
                k.interestOps(SelectionKey.OP_READ);
            }
        });
    }

    private static byte[] takeGatherBuffer() {
        for (int i = 0; i < GATHER_BUFFERS.length(); i++) {
            byte[] buffer = GATHER_BUFFERS.get(i);
            if (buffer != null && GATHER_BUFFERS.compareAndSet(i, buffer, null)) {
                return buffer;
            }
        }
        return new byte[GATHER];
    }

    private static void giveGatherBuffer(byte[] buffer) {
        for (int i = 0; i < GATHER_BUFFERS.length(); i++) {
            if (GATHER_BUFFERS.get(i) == null && GATHER_BUFFERS.compareAndSet(i, null, buffer)) {
                return;
            }
        }
    }

    // ---------------------------------------------------------------- passing replies on, for a TLS client

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
                        byte[] gathered = takeGatherBuffer();
                        int at = 0;
                        for (Reply r = first; ; r = r.next) {
                            System.arraycopy(r.bytes, 0, gathered, at, r.bytes.length);
                            at += r.bytes.length;
                            if (r == last) {
                                break;
                            }
                        }
                        out.write(gathered, 0, at);
                        giveGatherBuffer(gathered);
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
            LOG.debug("Redis interlay '{}': client {} stopped taking replies: {}", interlayId, remote(), e.toString());
            close();
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Closes the connection now; safe from any thread, more than once. */
    void close() {
        if (closed.compareAndSet(false, true)) {
            if (channel != null) {
                Sockets.closeQuietly(channel);
                loop.wakeup(); // a registered channel is let go by its selector, on the loop's next round
                budget.release(this);
            } else {
                Sockets.closeQuietly(socket);
            }
            if (ClientLoop.current() != null && (pinned != null || pinnedMirror != null)) {
                // closing a link takes its lock, which the client's worker may hold while it connects
                Thread.ofVirtual().start(this::closePinned);
            } else {
                closePinned();
            }
            LockSupport.unpark(writer);
            onClosed.accept(this);
        }
    }

    private SocketAddress remote() {
        if (socket != null) {
            return socket.getRemoteSocketAddress();
        }
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

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
