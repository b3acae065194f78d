package io.eden.adapters.redis.proxy;

import io.eden.adapters.redis.resp.RespValue;
import io.eden.adapters.redis.resp.RespValue.ArrayValue;
import io.eden.adapters.redis.resp.RespValue.BulkString;
import io.eden.adapters.redis.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A blocking pop while a migration mirrors writes, run as its non-blocking form, tried again
 * and again until something comes or the timeout passes. The real blocking command cannot be
 * mirrored: each side would block and wake on its own, and the pop could take different
 * elements on the two sides; a non-blocking pop is an ordinary write, mirrored in lane order.
 * The price is a wake-up delay of up to {@link #MAX_PAUSE_MILLIS} while a migration runs.
 */
record BlockingPoll(List<ArrayValue> attempts, long timeoutMillis, Shape shape, byte[][] keys) {
    static final long FIRST_PAUSE_MILLIS = 1;
    static final long MAX_PAUSE_MILLIS = 20;

    /** How an attempt's reply becomes the blocking command's reply. */
    enum Shape {
        /** BLPOP/BRPOP: {@code [key, element]} from LPOP's element. */
        KEY_AND_ELEMENT,
        /** BZPOPMIN/BZPOPMAX: {@code [key, member, score]} from ZPOPMIN's {@code [member, score]}. */
        KEY_MEMBER_SCORE,
        /** Same reply as the blocking form (BLMOVE, BRPOPLPUSH, BLMPOP, BZMPOP, XREADGROUP). */
        AS_IS
    }

    /** The poll for a blocking write command, or null when it is not one or its arguments do not parse (the server then answers). */
    static BlockingPoll of(String command, List<RespValue> args) {
        try {
            return switch (command) {
                case "blpop", "brpop" -> perKey(args, command.equals("blpop") ? "LPOP" : "RPOP", Shape.KEY_AND_ELEMENT);
                case "bzpopmin", "bzpopmax" -> perKey(args, command.equals("bzpopmin") ? "ZPOPMIN" : "ZPOPMAX",
                        Shape.KEY_MEMBER_SCORE);
                case "brpoplpush" -> args.size() != 4 ? null : single(seconds(args.get(3)), "RPOPLPUSH",
                        args.subList(1, 3));
                case "blmove" -> args.size() != 6 ? null : single(seconds(args.get(5)), "LMOVE", args.subList(1, 5));
                case "blmpop", "bzmpop" -> args.size() < 5 ? null : single(seconds(args.get(1)),
                        command.equals("blmpop") ? "LMPOP" : "ZMPOP", args.subList(2, args.size()));
                case "xreadgroup" -> withoutBlock(args);
                default -> null;
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static BlockingPoll perKey(List<RespValue> args, String pop, Shape shape) {
        if (args.size() < 3) {
            return null;
        }
        long timeout = seconds(args.get(args.size() - 1));
        List<ArrayValue> attempts = new ArrayList<>();
        byte[][] keys = new byte[args.size() - 2][];
        for (int i = 1; i < args.size() - 1; i++) {
            keys[i - 1] = ((BulkString) args.get(i)).bytes();
            attempts.add(ArrayValue.of(BulkString.of(pop), args.get(i)));
        }
        return new BlockingPoll(attempts, timeout, shape, keys);
    }

    private static BlockingPoll single(long timeout, String command, List<RespValue> rest) {
        List<RespValue> words = new ArrayList<>();
        words.add(BulkString.of(command));
        words.addAll(rest);
        return new BlockingPoll(List.of(new ArrayValue(words)), timeout, Shape.AS_IS, null);
    }

    private static BlockingPoll withoutBlock(List<RespValue> args) {
        List<RespValue> words = new ArrayList<>();
        long timeout = -1;
        for (int i = 0; i < args.size(); i++) {
            String word = ((BulkString) args.get(i)).text();
            if (word.equalsIgnoreCase("BLOCK") && i + 1 < args.size()) {
                timeout = Long.parseLong(((BulkString) args.get(i + 1)).text());
                i++;
            } else if (word.equalsIgnoreCase("STREAMS")) {
                words.addAll(args.subList(i, args.size()));
                break;
            } else {
                words.add(args.get(i));
            }
        }
        return timeout < 0 ? null : new BlockingPoll(List.of(new ArrayValue(words)), timeout, Shape.AS_IS, null);
    }

    /** Redis timeouts in seconds, fractions allowed; 0 waits forever. */
    private static long seconds(RespValue value) {
        double seconds = Double.parseDouble(((BulkString) value).text());
        if (seconds < 0 || Double.isNaN(seconds)) {
            throw new NumberFormatException("negative timeout");
        }
        return (long) Math.ceil(seconds * 1000);
    }

    /** Whether an attempt found nothing: a null, or an empty array. */
    static boolean empty(byte[] reply) {
        String head = new String(reply, 0, Math.min(reply.length, 5), StandardCharsets.US_ASCII);
        return head.startsWith("$-1") || head.startsWith("*-1") || head.startsWith("*0\r") || head.startsWith("_");
    }

    /** The blocking command's reply from attempt {@code index}'s. */
    byte[] reply(int index, byte[] attempt) {
        return switch (shape) {
            case AS_IS -> attempt;
            case KEY_AND_ELEMENT -> concat(("*2\r\n").getBytes(StandardCharsets.US_ASCII),
                    RespWriter.encode(new BulkString(keys[index])), attempt);
            case KEY_MEMBER_SCORE -> {
                int afterHeader = indexAfterFirstLine(attempt);
                yield concat(("*3\r\n").getBytes(StandardCharsets.US_ASCII),
                        RespWriter.encode(new BulkString(keys[index])),
                        Arrays.copyOfRange(attempt, afterHeader, attempt.length));
            }
        };
    }

    private static int indexAfterFirstLine(byte[] bytes) {
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i + 2;
            }
        }
        return bytes.length;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
