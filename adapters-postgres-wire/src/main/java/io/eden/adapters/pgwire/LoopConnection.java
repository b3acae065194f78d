package io.eden.adapters.pgwire;

import java.io.IOException;
import java.nio.channels.SelectionKey;

/**
 * A client or server connection on an event loop: bytes read are framed in {@link #in},
 * bytes to send gather in {@link #out} and go out once per loop round. When the peer this
 * connection feeds has more than {@link #HIGH_WATER} bytes unsent, this one holds its input
 * (flow control: a slow reader is not buffered without bound).
 */
abstract class LoopConnection {
    static final int HIGH_WATER = 256 * 1024;

    EventLoop loop;
    LoopChannel io;
    Buf in;
    Buf out;
    private boolean queued;
    /** Input is held: the connection waits for a server connection or for its peer to drain. */
    boolean held;
    boolean closed;

    /** Handles whatever complete input {@link #in} holds; returns with the rest left there. */
    abstract void process() throws IOException, ProtocolViolation;

    /** The peer closed, or reading or writing failed. */
    abstract void failed(IOException e);

    /** This connection's output went below the high-water mark: its feeder may go on. */
    void drained() {
    }

    final void ready(SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isWritable()) {
                flush();
            }
            if (key.isValid() && key.isReadable() && !closed) {
                readAndProcess();
            }
        } catch (IOException e) {
            failed(e);
        } catch (ProtocolViolation e) {
            violation(e);
        }
    }

    /** A client's protocol violation (servers never raise one). */
    void violation(ProtocolViolation e) {
        failed(new IOException(e.getMessage(), e));
    }

    /**
     * Reads into the loop's scratch buffer unless this connection already holds part of a
     * message; what is left after processing (a query waiting for a server connection, a
     * message cut by the read) moves to a buffer of its own, sized to it. A thousand clients
     * waiting with one query each then hold a few hundred bytes apiece, not 16 KiB.
     */
    private void readAndProcess() throws IOException, ProtocolViolation {
        while (true) {
            Buf shared = null;
            if (in == null) {
                shared = loop.scratch();
                in = shared;
            } else if (held && in.full()) {
                // holding and nothing more fits: let TCP push back until the hold ends
                io.reading(false);
                return;
            }
            int n;
            boolean filled;
            try {
                n = in.readFrom(io.reader());
                if (n < 0) {
                    if (shared != null) {
                        in = null;
                    }
                    releaseIn();
                    failed(new java.io.EOFException("connection closed"));
                    return;
                }
                filled = in.w == in.capacity();
                if (!held) {
                    process();
                }
            } finally {
                if (shared != null) {
                    keepRest(shared);
                }
            }
            if (closed) {
                return;
            }
            releaseIn();
            if (!filled || n == 0) {
                return;
            }
        }
    }

    /** Moves what processing left in the scratch buffer into this connection's own, and frees the scratch. */
    private void keepRest(Buf shared) {
        if (in == shared) {
            int rest = shared.readable();
            if (rest == 0 || closed) {
                in = null;
            } else {
                in = new Buf(Math.max(Buf.SMALL, rest));
                in.move(shared, rest);
            }
        }
        loop.scratchDone(shared);
    }

    /** Ends a hold: reads again and handles what arrived meanwhile (loop thread). */
    void resume() {
        if (closed) {
            return;
        }
        held = false;
        io.reading(true);
        if (in != null && in.readable() > 0) {
            try {
                process();
            } catch (IOException e) {
                failed(e);
            } catch (ProtocolViolation e) {
                violation(e);
            }
            releaseIn();
        }
    }

    final void releaseIn() {
        if (in != null && in.readable() == 0 && !loop.isScratch(in)) {
            loop.giveBack(in);
            in = null;
        }
    }

    /** The output buffer, taken from the loop's pool on first use, queued for this round's write. */
    final Buf out() {
        if (out == null) {
            out = loop.takeBuffer();
        }
        if (!queued) {
            queued = true;
            loop.dirty(this);
        }
        return out;
    }

    final boolean backedUp() {
        return out != null && out.readable() > HIGH_WATER;
    }

    /** Writes what {@link #out} holds; whatever the socket does not take waits for OP_WRITE. */
    final void flush() {
        queued = false;
        if (out == null || closed) {
            return;
        }
        boolean wasBackedUp = backedUp();
        try {
            while (out.readable() > 0) {
                if (out.writeTo(io.writer()) == 0) {
                    break;
                }
            }
        } catch (IOException e) {
            failed(e);
            return;
        }
        if (out.readable() == 0) {
            loop.giveBack(out);
            out = null;
            io.writing(false);
        } else {
            io.writing(true);
        }
        if (wasBackedUp && !backedUp()) {
            drained();
        }
    }

    /** Closes the socket (or bridge) and returns the buffers; idempotent. */
    void closeChannel() {
        closed = true;
        if (io != null) {
            io.close();
        }
        if (in != null && !loop.isScratch(in)) {
            loop.giveBack(in);
        }
        in = null;
        if (out != null) {
            loop.giveBack(out);
            out = null;
        }
    }
}
