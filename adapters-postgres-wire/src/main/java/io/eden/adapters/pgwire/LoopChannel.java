package io.eden.adapters.pgwire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The non-blocking byte stream of one connection on an event loop: a socket channel, or for
 * TLS the two pipe ends of a {@link TlsBridge}. A connection may move to another loop (pooled
 * server connections do); it keeps its registration with every loop it was on, with no
 * interest where it is not, so moving costs no re-registration.
 */
final class LoopChannel {
    private final SelectableChannel source;
    private final SelectableChannel sink;
    private final AutoCloseable extra;
    private SelectionKey readKey;
    private SelectionKey writeKey;
    private boolean reading;
    private boolean writing;

    private LoopChannel(SelectableChannel source, SelectableChannel sink, AutoCloseable extra) {
        this.source = source;
        this.sink = sink;
        this.extra = extra;
    }

    static LoopChannel of(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new LoopChannel(channel, channel, null);
    }

    /** Separate read and write ends, both non-blocking; {@code extra} is closed with them. */
    static LoopChannel of(SelectableChannel source, SelectableChannel sink, AutoCloseable extra) throws IOException {
        source.configureBlocking(false);
        sink.configureBlocking(false);
        return new LoopChannel(source, sink, extra);
    }

    /** Joins {@code loop} (its thread only), reading; leaves the previous loop's keys idle. */
    void register(EventLoop loop, LoopConnection owner) throws ClosedChannelException {
        if (readKey != null) {
            setInterest(readKey, 0);
            if (writeKey != readKey) {
                setInterest(writeKey, 0);
            }
        }
        readKey = key(source, loop, owner);
        writeKey = sink == source ? readKey : key(sink, loop, owner);
        reading = true;
        writing = false;
        apply();
    }

    private static SelectionKey key(SelectableChannel channel, EventLoop loop, LoopConnection owner)
            throws ClosedChannelException {
        SelectionKey key = channel.keyFor(loop.selector);
        if (key == null || !key.isValid()) {
            return channel.register(loop.selector, 0, owner);
        }
        key.attach(owner);
        return key;
    }

    /** Stops all interest on the current loop, before the connection is handed to another. */
    void leave() {
        reading = false;
        writing = false;
        apply();
    }

    void reading(boolean on) {
        if (reading != on) {
            reading = on;
            apply();
        }
    }

    void writing(boolean on) {
        if (writing != on) {
            writing = on;
            apply();
        }
    }

    private void apply() {
        if (readKey == writeKey) {
            setInterest(readKey, (reading ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0));
        } else {
            setInterest(readKey, reading ? SelectionKey.OP_READ : 0);
            setInterest(writeKey, writing ? SelectionKey.OP_WRITE : 0);
        }
    }

    private static void setInterest(SelectionKey key, int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    int read(ByteBuffer dst) throws IOException {
        return ((ReadableByteChannel) source).read(dst);
    }

    int write(ByteBuffer src) throws IOException {
        return ((WritableByteChannel) sink).write(src);
    }

    ReadableByteChannel reader() {
        return (ReadableByteChannel) source;
    }

    WritableByteChannel writer() {
        return (WritableByteChannel) sink;
    }

    void close() {
        Wire.closeQuietly(source);
        Wire.closeQuietly(sink);
        Wire.closeQuietly(extra);
    }
}
