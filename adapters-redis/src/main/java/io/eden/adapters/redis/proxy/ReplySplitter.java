package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The read buffer of one upstream connection: bytes go in at the end, whole reply frames come
 * out in order, unparsed. Shared by the event loop's reads and a reader thread's.
 */
final class ReplySplitter {
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_KEPT_BUFFER = 1 << 20;

    /** Where the frames go; {@code buf} is reused once this returns. */
    interface Sink {
        void frame(byte[] buf, int off, int len);
    }

    private byte[] buf = new byte[READ_CHUNK];
    private ByteBuffer view = ByteBuffer.wrap(buf);
    private int start;
    private int end;

    /** Compacts or grows so that a read has room, and returns the buffer to read into. */
    private void makeRoom() {
        if (end < buf.length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        } else {
            buf = Arrays.copyOf(buf, buf.length * 2);
            view = ByteBuffer.wrap(buf);
        }
    }

    /** For a channel read: a view of the free space. */
    ByteBuffer space() {
        makeRoom();
        view.limit(buf.length).position(end);
        return view;
    }

    /** For a stream read: the array, with {@link #free()} bytes free from {@link #end()}. */
    byte[] array() {
        makeRoom();
        return buf;
    }

    int end() {
        return end;
    }

    int free() {
        return buf.length - end;
    }

    /** {@code n} bytes were read into the free space: hands every complete frame to {@code sink}. */
    void filled(int n, Sink sink) throws IOException {
        end += n;
        while (start < end) {
            int frameEnd = RespFrames.end(buf, start, end);
            if (frameEnd == RespFrames.INCOMPLETE) {
                break;
            }
            if (frameEnd == RespFrames.MALFORMED) {
                throw new IOException("the server sent a malformed reply");
            }
            sink.frame(buf, start, frameEnd - start);
            start = frameEnd;
        }
        if (start == end) {
            start = 0;
            end = 0;
            if (buf.length > MAX_KEPT_BUFFER) { // a huge reply passed: do not keep its buffer
                buf = new byte[READ_CHUNK];
                view = ByteBuffer.wrap(buf);
            }
        }
    }
}
