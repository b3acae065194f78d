package io.eden.bootstrap.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.resps.Tuple;

/**
 * Compares two real Redis servers key by key, in every database and in both directions: a key on
 * one side only, another TYPE, another value (strings GET, hashes HGETALL, lists LRANGE, sets
 * SMEMBERS, zsets ZRANGE WITHSCORES, streams XRANGE) or another expiry (PTTL: both without one,
 * or both with one within a tolerance) is a difference.
 *
 * <p>Keys are read in pipelined batches, so a few hundred thousand keys take seconds. A key that
 * differs is read again once after a short pause and reported only if it still differs: a key
 * that expires (or is deleted on both sides) while the comparison runs is not a difference.
 * Values are read as UTF-8 text, which is what the tests write.
 */
public final class KeyspaceChecker {
    private static final int BATCH = 500;
    private static final int SCAN_COUNT = 1000;
    private static final int SHOWN_CHARS = 160;

    private final String nameA;
    private final Supplier<Jedis> sideA;
    private final String nameB;
    private final Supplier<Jedis> sideB;
    private long ttlToleranceMillis = 2_000;
    private Duration recheckPause = Duration.ofMillis(300);
    private int limit = 20;

    /** The outcome: how many keys were looked at, how many differ, and the first few, readable. */
    public record Result(long keysCompared, long differenceCount, List<String> firstDifferences, long rechecked) {
        public Result {
            firstDifferences = List.copyOf(firstDifferences);
        }

        public boolean identical() {
            return differenceCount == 0;
        }

        /** For assertion messages. */
        public String summary() {
            StringBuilder text = new StringBuilder().append(differenceCount).append(" differences in ")
                    .append(keysCompared).append(" keys");
            firstDifferences.forEach(d -> text.append("\n  ").append(d));
            if (differenceCount > firstDifferences.size()) {
                text.append("\n  ... and ").append(differenceCount - firstDifferences.size()).append(" more");
            }
            return text.toString();
        }

        @Override
        public String toString() {
            return summary();
        }
    }

    /** Each supplier opens a new connection to its server (e.g. {@code source::direct}); it is closed after use. */
    public KeyspaceChecker(String nameA, Supplier<Jedis> sideA, String nameB, Supplier<Jedis> sideB) {
        this.nameA = Objects.requireNonNull(nameA);
        this.sideA = Objects.requireNonNull(sideA);
        this.nameB = Objects.requireNonNull(nameB);
        this.sideB = Objects.requireNonNull(sideB);
    }

    public static KeyspaceChecker between(String nameA, RealRedis a, String nameB, RealRedis b) {
        return new KeyspaceChecker(nameA, a::direct, nameB, b::direct);
    }

    public KeyspaceChecker ttlTolerance(Duration tolerance) {
        this.ttlToleranceMillis = tolerance.toMillis();
        return this;
    }

    public KeyspaceChecker recheckAfter(Duration pause) {
        this.recheckPause = pause;
        return this;
    }

    /** How many differences are described; all are counted. */
    public KeyspaceChecker firstDifferences(int count) {
        this.limit = count;
        return this;
    }

    /** Compares every database of both servers. */
    public Result compare() {
        try (Jedis a = sideA.get(); Jedis b = sideB.get()) {
            int databases = Math.max(databases(a), databases(b));
            long compared = 0;
            Map<Integer, List<String>> suspects = new LinkedHashMap<>();
            for (int db = 0; db < databases; db++) {
                a.select(db);
                b.select(db);
                TreeSet<String> keys = new TreeSet<>(scanAll(a));
                keys.addAll(scanAll(b));
                compared += keys.size();
                List<String> all = new ArrayList<>(keys);
                for (int from = 0; from < all.size(); from += BATCH) {
                    List<String> batch = all.subList(from, Math.min(all.size(), from + BATCH));
                    Map<String, KeyState> inA = read(a, batch);
                    Map<String, KeyState> inB = read(b, batch);
                    for (String key : batch) {
                        if (difference(inA.get(key), inB.get(key)) != null) {
                            suspects.computeIfAbsent(db, d -> new ArrayList<>()).add(key);
                        }
                    }
                }
            }
            long rechecked = suspects.values().stream().mapToLong(List::size).sum();
            if (rechecked == 0) {
                return new Result(compared, 0, List.of(), 0);
            }
            pause();
            long count = 0;
            List<String> first = new ArrayList<>();
            for (Map.Entry<Integer, List<String>> entry : suspects.entrySet()) {
                int db = entry.getKey();
                a.select(db);
                b.select(db);
                List<String> keys = entry.getValue();
                for (int from = 0; from < keys.size(); from += BATCH) {
                    List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
                    Map<String, KeyState> inA = read(a, batch);
                    Map<String, KeyState> inB = read(b, batch);
                    for (String key : batch) {
                        String what = difference(inA.get(key), inB.get(key));
                        if (what != null) {
                            count++;
                            if (first.size() < limit) {
                                first.add("db" + db + " '" + key + "': " + what);
                            }
                        }
                    }
                }
            }
            return new Result(compared, count, first, rechecked);
        }
    }

    private void pause() {
        try {
            Thread.sleep(recheckPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing", e);
        }
    }

    private static int databases(Jedis jedis) {
        try {
            Map<String, String> config = jedis.configGet("databases");
            String value = config.get("databases");
            return value == null ? 16 : Integer.parseInt(value);
        } catch (RuntimeException e) {
            return 16; // CONFIG may be renamed or refused; 16 is Redis's default
        }
    }

    private static Set<String> scanAll(Jedis jedis) {
        Set<String> keys = new java.util.HashSet<>();
        ScanParams params = new ScanParams().count(SCAN_COUNT);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> page = jedis.scan(cursor, params);
            keys.addAll(page.getResult());
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return keys;
    }

    /** What one side holds for a key: TYPE ("none" when absent), the value in a comparable form, PTTL. */
    private record KeyState(String type, Object value, long pttl) {
        boolean absent() {
            return type.equals("none");
        }

        String ttlText() {
            return pttl == -1 ? "no ttl" : "pttl " + pttl;
        }
    }

    private static Map<String, KeyState> read(Jedis jedis, List<String> keys) {
        Pipeline types = jedis.pipelined();
        List<Response<String>> typeReplies = new ArrayList<>(keys.size());
        keys.forEach(key -> typeReplies.add(types.type(key)));
        types.sync();

        Pipeline values = jedis.pipelined();
        List<Response<?>> valueReplies = new ArrayList<>(keys.size());
        List<Response<Long>> ttlReplies = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            valueReplies.add(switch (typeReplies.get(i).get()) {
                case "string" -> values.get(key);
                case "hash" -> values.hgetAll(key);
                case "list" -> values.lrange(key, 0, -1);
                case "set" -> values.smembers(key);
                case "zset" -> values.zrangeWithScores(key, 0, -1);
                case "stream" -> values.xrange(key, "-", "+");
                default -> null;
            });
            ttlReplies.add(values.pttl(key));
        }
        values.sync();

        Map<String, KeyState> states = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String type = typeReplies.get(i).get();
            Object value;
            try {
                value = comparable(type, valueReplies.get(i) == null ? null : valueReplies.get(i).get());
            } catch (RuntimeException e) {
                // the key changed type between TYPE and the read: a difference now, read again later
                value = "<changed while read: " + e.getMessage() + ">";
            }
            long pttl = ttlReplies.get(i).get();
            states.put(keys.get(i), new KeyState(pttl == -2 ? "none" : type, value, pttl));
        }
        return states;
    }

    private static Object comparable(String type, Object raw) {
        return switch (type) {
            case "hash" -> new TreeMap<>(cast(raw));
            case "set" -> new TreeSet<>(castSet(raw));
            case "zset" -> castList(raw).stream().map(t -> {
                Tuple tuple = (Tuple) t;
                return tuple.getElement() + "=" + tuple.getScore();
            }).toList();
            case "stream" -> castList(raw).stream().map(e -> {
                StreamEntry entry = (StreamEntry) e;
                return entry.getID() + " " + new TreeMap<>(entry.getFields());
            }).toList();
            case "string", "list", "none" -> raw;
            default -> "<" + type + " not compared>";
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> cast(Object raw) {
        return (Map<String, String>) raw;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> castSet(Object raw) {
        return (Set<String>) raw;
    }

    private static List<?> castList(Object raw) {
        return (List<?>) raw;
    }

    /** Null when both sides agree, otherwise what differs. */
    private String difference(KeyState a, KeyState b) {
        if (a.absent() && b.absent()) {
            return null;
        }
        if (a.absent()) {
            return "only on " + nameB + " (" + b.type() + ", " + b.ttlText() + ")";
        }
        if (b.absent()) {
            return "only on " + nameA + " (" + a.type() + ", " + a.ttlText() + ")";
        }
        if (!a.type().equals(b.type())) {
            return "type " + a.type() + " on " + nameA + ", " + b.type() + " on " + nameB;
        }
        if (!Objects.equals(a.value(), b.value())) {
            return a.type() + " value differs: " + nameA + "=" + shown(a.value()) + ", " + nameB + "="
                    + shown(b.value());
        }
        boolean ttlAgrees = (a.pttl() == -1 && b.pttl() == -1)
                || (a.pttl() >= 0 && b.pttl() >= 0 && Math.abs(a.pttl() - b.pttl()) <= ttlToleranceMillis);
        if (!ttlAgrees) {
            return "expiry differs: " + a.ttlText() + " on " + nameA + ", " + b.ttlText() + " on " + nameB;
        }
        return null;
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        String size = value instanceof java.util.Collection<?> c ? "(" + c.size() + ") "
                : value instanceof Map<?, ?> m ? "(" + m.size() + ") " : "";
        return size + (text.length() <= SHOWN_CHARS ? text : text.substring(0, SHOWN_CHARS) + "...");
    }
}
