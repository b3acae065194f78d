package io.eden.adapters.redis.command;

import io.eden.adapters.redis.command.CommandSpec.KeySpec;
import io.eden.adapters.redis.resp.RespLimits;
import io.eden.adapters.redis.resp.RespParser;
import io.eden.adapters.redis.resp.RespProtocolException;
import io.eden.adapters.redis.resp.RespRequest;
import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespValue.Entry;
import io.eden.adapters.redis.resp.RespValue.IntegerValue;
import io.eden.adapters.redis.resp.RespValue.MapValue;
import io.eden.adapters.redis.resp.RespValue.SetValue;
import io.eden.adapters.redis.resp.RespValue.SimpleString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The commands a Redis server knows, read from its reply to {@code COMMAND} (or, when the
 * server cannot be asked, from the reply of a real Redis 7.0.15 saved as a resource). Nothing
 * per command is kept by hand: flags and key positions come from the server's own description.
 */
public final class CommandTable {
    static final String FALLBACK_RESOURCE = "redis-7.0.15-command.resp";
    private static volatile CommandTable fallback;

    private final Map<String, CommandSpec> byName;
    private final String origin;
    /** The same commands in an open-addressing table keyed by name bytes, looked up without allocating. */
    private final byte[][] slotNames;
    private final CommandSpec[] slotSpecs;

    private CommandTable(Map<String, CommandSpec> byName, String origin) {
        this.byName = byName;
        this.origin = origin;
        int capacity = Integer.highestOneBit(Math.max(16, byName.size() * 4));
        slotNames = new byte[capacity][];
        slotSpecs = new CommandSpec[capacity];
        for (CommandSpec spec : byName.values()) {
            byte[] name = spec.name().getBytes(StandardCharsets.ISO_8859_1);
            int i = foldedHash(name) & (capacity - 1);
            while (slotNames[i] != null) {
                i = (i + 1) & (capacity - 1);
            }
            slotNames[i] = name;
            slotSpecs[i] = spec;
        }
    }

    private static int foldedHash(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        return h ^ (h >>> 16);
    }

    private static int foldedHash(byte[] name, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = name[i];
            h = 31 * h + (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        return h ^ (h >>> 16);
    }

    /** The top-level command named by {@code name} in any case, or null; allocates nothing. */
    public CommandSpec command(byte[] name) {
        return command(name, 0, name.length);
    }

    /** The top-level command named by {@code buf[offset, offset+length)} in any case, or null; allocates nothing. */
    public CommandSpec command(byte[] buf, int offset, int length) {
        int mask = slotNames.length - 1;
        int i = foldedHash(buf, offset, length) & mask;
        byte[] candidate;
        while ((candidate = slotNames[i]) != null) {
            if (equalsIgnoreCase(candidate, buf, offset, length)) {
                return slotSpecs[i];
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** The table built into Eden, from a real Redis 7's {@code COMMAND} reply. */
    public static CommandTable builtIn() {
        CommandTable table = fallback;
        if (table == null) {
            try (InputStream in = CommandTable.class.getResourceAsStream(FALLBACK_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + FALLBACK_RESOURCE + " is missing");
                }
                byte[] bytes = in.readAllBytes();
                RespParser parser = RespParser.forReplies(new RespLimits(1 << 24, 100_000, 16, 1 << 16));
                parser.feed(bytes);
                table = fromCommandReply(parser.next(), "built-in (Redis 7.0.15)");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (RespProtocolException e) {
                throw new IllegalStateException("resource " + FALLBACK_RESOURCE + " is not RESP", e);
            }
            fallback = table;
        }
        return table;
    }

    /** A table from a server's reply to {@code COMMAND} (RESP2 or RESP3). */
    public static CommandTable fromCommandReply(RespValue reply, String origin) {
        if (!(reply instanceof ArrayValue array)) {
            throw new IllegalArgumentException("COMMAND did not answer with an array: " + reply);
        }
        Map<String, CommandSpec> byName = new HashMap<>();
        for (RespValue entry : array.elements()) {
            CommandSpec spec = spec(entry);
            if (spec != null) {
                byName.put(spec.name(), spec);
            }
        }
        if (byName.isEmpty()) {
            throw new IllegalArgumentException("COMMAND answered no command");
        }
        return new CommandTable(Map.copyOf(byName), origin);
    }

    public String origin() {
        return origin;
    }

    public int size() {
        return byName.size();
    }

    /** The spec of {@code name} (any case), or empty for a command the server does not know. */
    public Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** The spec of a request, looking into container commands ({@code OBJECT ENCODING}); null if unknown. */
    public CommandSpec lookup(List<RespValue> args) {
        CommandSpec spec = command(((BulkString) args.getFirst()).bytes());
        if (spec != null && !spec.subcommands().isEmpty() && args.size() > 1) {
            CommandSpec sub = spec.subcommands().get(lower(((BulkString) args.get(1)).bytes()));
            if (sub != null) {
                return sub;
            }
        }
        return spec;
    }

    /** {@link #lookup(List)} of a request in its buffer; allocates nothing unless it names a container command. */
    public CommandSpec lookup(RespRequest request) {
        CommandSpec spec = command(request.buffer(), request.argOffset(0), request.argLength(0));
        if (spec != null && !spec.subcommands().isEmpty() && request.argCount() > 1) {
            CommandSpec sub = spec.subcommands().get(lower(request.buffer(), request.argOffset(1), request.argLength(1)));
            if (sub != null) {
                return sub;
            }
        }
        return spec;
    }

    /**
     * Writes the argument indexes of the request's keys into {@code out} and returns how many,
     * or -1 when the positions cannot be known without asking the server.
     */
    public static int keyPositions(CommandSpec spec, List<RespValue> args, int[] out) {
        return keyPositions(spec, args, null, out);
    }

    /** {@link #keyPositions(CommandSpec, List, int[])} of a request in its buffer; allocates nothing. */
    public static int keyPositions(CommandSpec spec, RespRequest request, int[] out) {
        return keyPositions(spec, null, request, out);
    }

    // one of list and request is null: two views of the same arguments, without a wrapper to allocate
    private static int keyPositions(CommandSpec spec, List<RespValue> list, RespRequest request, int[] out) {
        if (spec.keysUnknown()) {
            return -1;
        }
        int argc = list != null ? list.size() : request.argCount();
        int count = 0;
        if (spec.keySpecs().isEmpty()) {
            if (spec.firstKey() <= 0) {
                return 0;
            }
            int last = spec.lastKey() < 0 ? argc + spec.lastKey() : Math.min(spec.lastKey(), argc - 1);
            for (int i = spec.firstKey(); i <= last && i < argc; i += Math.max(1, spec.step())) {
                if (count == out.length) {
                    return -1;
                }
                out[count++] = i;
            }
            return count;
        }
        for (KeySpec key : spec.keySpecs()) {
            int start;
            if (key.beginAtKeyword()) {
                start = findKeyword(key, list, request);
                if (start < 0) {
                    continue;
                }
            } else {
                start = key.index();
                if (start >= argc) {
                    continue;
                }
            }
            int first;
            int last;
            int step = Math.max(1, key.keyStep());
            if (key.keynum()) {
                int numIdx = start + key.keynumIdx();
                if (numIdx >= argc) {
                    return -1;
                }
                long numKeys = list != null ? parseLong(((BulkString) list.get(numIdx)).bytes())
                        : parseLong(request.buffer(), request.argOffset(numIdx), request.argLength(numIdx));
                if (numKeys < 0) {
                    return -1; // the server will refuse it; order it against everything meanwhile
                }
                first = start + key.firstKey();
                last = (int) Math.min(Integer.MAX_VALUE, first + (numKeys - 1) * step);
            } else {
                first = start;
                if (key.lastKey() >= 0) {
                    last = first + key.lastKey();
                } else if (key.limit() <= 1) {
                    last = argc + key.lastKey();
                } else {
                    last = first + ((argc - first) / key.limit() + key.lastKey());
                }
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc) {
                    break; // a wrong arity: the server answers it, the keys we found are enough to order it
                }
                if (count == out.length) {
                    return -1;
                }
                out[count++] = i;
            }
        }
        return count;
    }

    private static int findKeyword(KeySpec key, List<RespValue> list, RespRequest request) {
        int argc = list != null ? list.size() : request.argCount();
        String keyword = key.keyword();
        if (key.startFrom() >= 0) {
            for (int i = key.startFrom(); i < argc; i++) {
                if (isWord(list, request, i, keyword)) {
                    return i + 1;
                }
            }
        } else {
            for (int i = argc + key.startFrom(); i > 0; i--) {
                if (isWord(list, request, i, keyword)) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    private static boolean isWord(List<RespValue> list, RespRequest request, int i, String word) {
        if (request != null) {
            return request.argIs(i, word);
        }
        byte[] arg = ((BulkString) list.get(i)).bytes();
        if (arg.length != word.length()) {
            return false;
        }
        for (int k = 0; k < arg.length; k++) {
            if (upper(arg[k]) != upper((byte) word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean equalsIgnoreCase(byte[] a, byte[] b, int offset, int length) {
        if (a.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (upper(a[i]) != upper(b[offset + i])) {
                return false;
            }
        }
        return true;
    }

    private static int upper(byte b) {
        return b >= 'a' && b <= 'z' ? b - 32 : b;
    }

    private static long parseLong(byte[] digits) {
        return parseLong(digits, 0, digits.length);
    }

    private static long parseLong(byte[] buf, int offset, int length) {
        if (length == 0 || length > 18) {
            return -1;
        }
        long value = 0;
        for (int i = offset; i < offset + length; i++) {
            byte d = buf[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            value = value * 10 + (d - '0');
        }
        return value;
    }

    /** A command name in lower case, as the table keys it. */
    public static String lowerName(byte[] name) {
        return lower(name);
    }

    static String lower(byte[] name) {
        return lower(name, 0, name.length);
    }

    static String lower(byte[] buf, int offset, int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int b = buf[offset + i] & 0xFF;
            chars[i] = (char) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
        return new String(chars);
    }

    private static CommandSpec spec(RespValue entry) {
        if (!(entry instanceof ArrayValue array) || array.elements().size() < 6) {
            return null;
        }
        List<RespValue> e = array.elements();
        String name = text(e.get(0)).toLowerCase(Locale.ROOT);
        int arity = (int) number(e.get(1));
        int flags = 0;
        for (RespValue flag : items(e.get(2))) {
            flags |= CommandSpec.flag(text(flag).toLowerCase(Locale.ROOT));
        }
        int firstKey = (int) number(e.get(3));
        int lastKey = (int) number(e.get(4));
        int step = (int) number(e.get(5));
        List<KeySpec> keySpecs = new ArrayList<>();
        boolean unknown = false;
        if (e.size() > 8) {
            for (RespValue raw : items(e.get(8))) {
                Map<String, RespValue> spec = map(raw);
                KeySpec parsed = keySpec(spec);
                if (parsed == null) {
                    unknown = true;
                } else {
                    keySpecs.add(parsed);
                }
                for (RespValue flag : items(spec.get("flags"))) {
                    if (text(flag).equalsIgnoreCase("incomplete")) {
                        unknown = true;
                    }
                }
            }
        } else if ((flags & CommandSpec.MOVABLEKEYS) != 0) {
            unknown = true; // a pre-7 server: its movable keys have no spec
        }
        Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
        if (e.size() > 9) {
            for (RespValue raw : items(e.get(9))) {
                CommandSpec sub = spec(raw);
                if (sub != null) {
                    String subName = sub.name().substring(sub.name().indexOf('|') + 1);
                    subcommands.put(subName, sub);
                }
            }
        }
        return new CommandSpec(name, arity, flags, firstKey, lastKey, step, List.copyOf(keySpecs), unknown,
                Map.copyOf(subcommands));
    }

    private static KeySpec keySpec(Map<String, RespValue> spec) {
        Map<String, RespValue> begin = map(spec.get("begin_search"));
        Map<String, RespValue> find = map(spec.get("find_keys"));
        String beginType = text(begin.get("type"));
        String findType = text(find.get("type"));
        Map<String, RespValue> bs = map(begin.get("spec"));
        Map<String, RespValue> fs = map(find.get("spec"));
        boolean keyword;
        switch (beginType) {
            case "index" -> keyword = false;
            case "keyword" -> keyword = true;
            default -> {
                return null;
            }
        }
        boolean keynum;
        switch (findType) {
            case "range" -> keynum = false;
            case "keynum" -> keynum = true;
            default -> {
                return null;
            }
        }
        return new KeySpec(keyword, (int) number(bs.get("index")), keyword ? text(bs.get("keyword")) : "",
                (int) number(bs.get("startfrom")), keynum, (int) number(fs.get("lastkey")),
                (int) number(fs.get("keystep")), (int) number(fs.get("limit")), (int) number(fs.get("keynumidx")),
                (int) number(fs.get("firstkey")));
    }

    private static List<RespValue> items(RespValue value) {
        if (value instanceof ArrayValue a) {
            return a.elements();
        }
        if (value instanceof SetValue s) {
            return s.elements();
        }
        return List.of();
    }

    private static Map<String, RespValue> map(RespValue value) {
        Map<String, RespValue> result = new HashMap<>();
        if (value instanceof MapValue m) {
            for (Entry entry : m.entries()) {
                result.put(text(entry.key()), entry.value());
            }
        } else if (value instanceof ArrayValue a) {
            List<RespValue> items = a.elements();
            for (int i = 0; i + 1 < items.size(); i += 2) {
                result.put(text(items.get(i)), items.get(i + 1));
            }
        }
        return result;
    }

    private static String text(RespValue value) {
        if (value instanceof BulkString b) {
            return b.text();
        }
        if (value instanceof SimpleString s) {
            return s.text();
        }
        return "";
    }

    private static long number(RespValue value) {
        return value instanceof IntegerValue i ? i.value() : 0;
    }
}
