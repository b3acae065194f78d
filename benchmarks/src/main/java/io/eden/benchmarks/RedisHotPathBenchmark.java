package io.eden.benchmarks;

import io.eden.adapters.redis.command.CommandSpec;
import io.eden.adapters.redis.command.CommandTable;
import io.eden.adapters.redis.resp.RespFrames;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespRequest;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.application.spi.RouteSnapshot;
import io.eden.domain.model.Endpoint;
import io.eden.domain.model.EndpointUri;
import io.eden.domain.model.Interlay;
import io.eden.domain.model.ListenAddress;
import io.eden.domain.model.ProtocolId;
import io.eden.domain.routing.HashSlot;
import io.eden.domain.routing.RouteDecision;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Redis proxy's per-command work: finding reply boundaries (what a lane reader does with
 * every reply it only passes on), cutting a request into its arguments where it lies in the read
 * buffer (what the proxy does with every command: {@link RespRequest}; the full parser is left for
 * inline commands and malformed input), and the routing decision (command table, key positions,
 * hash slot, route). Run: {@code java -jar benchmarks/target/eden-benchmarks.jar -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RedisHotPathBenchmark {
    @Param({"16", "4096"})
    int valueSize;

    private byte[] bulkReply;
    private byte[] pipelineOfReplies;
    private byte[] setRequest;
    private RespParser requests;
    private CommandTable table;
    private List<RespValue> getArgs;
    private List<RespValue> msetArgs;
    private final int[] keyIndexes = new int[64];
    private RouteSnapshot route;
    private final RespRequest request = new RespRequest();
    private final RespRequest scannedGet = new RespRequest();
    private final RespRequest scannedMset = new RespRequest();
    private byte[] getRequest;
    private byte[] msetRequest;

    @Setup
    public void setUp() {
        String value = "v".repeat(valueSize);
        bulkReply = ("$" + valueSize + "\r\n" + value + "\r\n").getBytes(StandardCharsets.US_ASCII);
        pipelineOfReplies = (("$" + valueSize + "\r\n" + value + "\r\n").repeat(15) + "+OK\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        setRequest = ("*3\r\n$3\r\nSET\r\n$13\r\nkey:000012345\r\n$" + valueSize + "\r\n" + value + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        requests = RespParser.forRequests(RespLimits.DEFAULTS);
        getRequest = "*2\r\n$3\r\nGET\r\n$13\r\nkey:000012345\r\n".getBytes(StandardCharsets.US_ASCII);
        msetRequest = "*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n$4\r\n{a}b\r\n$1\r\n2\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        scannedGet.scan(getRequest, 0, getRequest.length, RespLimits.DEFAULTS);
        scannedMset.scan(msetRequest, 0, msetRequest.length, RespLimits.DEFAULTS);
        table = CommandTable.builtIn();
        getArgs = ((ArrayValue) ArrayValue.of(BulkString.of("GET"), BulkString.of("key:000012345"))).elements();
        msetArgs = ArrayValue.of(BulkString.of("MSET"), BulkString.of("a"), BulkString.of("1"), BulkString.of("{a}b"),
                BulkString.of("2")).elements();
        Endpoint source = new Endpoint("source", EndpointUri.parse("redis://127.0.0.1:6379"), ProtocolId.REDIS);
        Interlay interlay = new Interlay("cache", ProtocolId.REDIS, new ListenAddress("127.0.0.1", 6380), false,
                Optional.empty(), Map.of());
        route = new RouteSnapshot(interlay.boundTo(source.id()), Optional.of(source), Optional.empty(),
                Optional.empty(), Optional.empty(), 1);
    }

    /** A lane reader's work per forwarded bulk reply: find where it ends. Allocates nothing. */
    @Benchmark
    public int replyBoundary() {
        return RespFrames.end(bulkReply, 0, bulkReply.length);
    }

    /** The same over a pipeline of 16 replies read at once. */
    @Benchmark
    public int replyBoundariesOfAPipeline() {
        int pos = 0;
        int frames = 0;
        while (pos < pipelineOfReplies.length) {
            pos = RespFrames.end(pipelineOfReplies, pos, pipelineOfReplies.length);
            frames++;
        }
        return frames;
    }

    /**
     * The full parser on one SET request (values and a list per command): what every command cost
     * before the proxy forwarded request bytes; now only inline commands and malformed input take it.
     */
    @Benchmark
    public RespValue parseRequest() throws RespProtocolException {
        requests.feed(setRequest, 0, setRequest.length);
        return requests.next();
    }

    /** The client side on the hot path: the bounds of one SET request and of its arguments, in the read buffer. */
    @Benchmark
    public int scanRequest() {
        return request.scan(setRequest, 0, setRequest.length, RespLimits.DEFAULTS);
    }

    /** The routing decision of a single-key command in its read buffer: spec, key position, slot, route. */
    @Benchmark
    public RouteDecision routeRequest() {
        CommandSpec spec = table.lookup(scannedGet);
        int keys = CommandTable.keyPositions(spec, scannedGet, keyIndexes);
        int slot = keys > 0 ? HashSlot.of(scannedGet.buffer(), scannedGet.argOffset(keyIndexes[0]),
                scannedGet.argLength(keyIndexes[0])) : 0;
        return route.state().isEmpty() ? RouteDecision.SOURCE_ONLY : route.decide(slot);
    }

    /** The lanes of every key of a multi-key command in its read buffer. */
    @Benchmark
    public int routeMultiKeyRequest() {
        CommandSpec spec = table.lookup(scannedMset);
        int keys = CommandTable.keyPositions(spec, scannedMset, keyIndexes);
        int lanes = 0;
        for (int k = 0; k < keys; k++) {
            lanes |= 1 << (HashSlot.of(scannedMset.buffer(), scannedMset.argOffset(keyIndexes[k]),
                    scannedMset.argLength(keyIndexes[k])) % 16);
        }
        return lanes;
    }

    /** All a forwarded SET costs before its bytes are written to its lane: scan, then route. */
    @Benchmark
    public RouteDecision scanAndRouteRequest() {
        request.scan(setRequest, 0, setRequest.length, RespLimits.DEFAULTS);
        CommandSpec spec = table.lookup(request);
        int keys = CommandTable.keyPositions(spec, request, keyIndexes);
        int slot = keys > 0 ? HashSlot.of(request.buffer(), request.argOffset(keyIndexes[0]),
                request.argLength(keyIndexes[0])) : 0;
        return route.state().isEmpty() ? RouteDecision.SOURCE_ONLY : route.decide(slot);
    }

    /** The routing decision of a single-key command parsed into values: spec, key position, slot, route. */
    @Benchmark
    public RouteDecision routeSingleKey() {
        CommandSpec spec = table.lookup(getArgs);
        int keys = CommandTable.keyPositions(spec, getArgs, keyIndexes);
        int slot = keys > 0 ? HashSlot.of(((BulkString) getArgs.get(keyIndexes[0])).bytes()) : 0;
        return route.state().isEmpty() ? RouteDecision.SOURCE_ONLY : route.decide(slot);
    }

    /** The routing decision of a multi-key command parsed into values (the lanes of every key). */
    @Benchmark
    public int routeMultiKey() {
        CommandSpec spec = table.lookup(msetArgs);
        int keys = CommandTable.keyPositions(spec, msetArgs, keyIndexes);
        int lanes = 0;
        for (int k = 0; k < keys; k++) {
            lanes |= 1 << (HashSlot.of(((BulkString) msetArgs.get(keyIndexes[k])).bytes()) % 16);
        }
        return lanes;
    }
}
