package io.eden.adapters.redis.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an inline command ({@code SET "a key" 'x'} typed into telnet) into its arguments the
 * way Redis does, so a line means the same through Eden as without it: words separated by
 * white space; {@code "double quotes"} with {@code \n}, {@code \r}, {@code \t}, {@code \b},
 * {@code \a}, {@code \xHH} and {@code \<any>} escapes; {@code 'single quotes'} where only
 * {@code \'} is an escape. A quote inside a word opens a quoted part ({@code a"b c"} is one
 * word {@code ab c}), and a closing quote must be followed by white space or the end.
 */
final class InlineCommandSplitter {

    private InlineCommandSplitter() {
    }

    static List<byte[]> split(byte[] line, int from, int to) throws RespProtocolException {
        // Redis handles the line as a C string: a NUL byte ends it
        for (int i = from; i < to; i++) {
            if (line[i] == 0) {
                to = i;
                break;
            }
        }
        List<byte[]> words = new ArrayList<>();
        int p = from;
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return words;
            }
            ByteArrayOutputStream word = new ByteArrayOutputStream();
            p = readWord(line, p, to, word);
            words.add(word.toByteArray());
        }
    }

    /** Reads one word starting at {@code p}; returns the position after it. */
    private static int readWord(byte[] line, int p, int to, ByteArrayOutputStream word) throws RespProtocolException {
        Quote quote = Quote.NONE;
        while (true) {
            if (p >= to) {
                if (quote != Quote.NONE) {
                    throw unbalanced();
                }
                return p;
            }
            byte c = line[p];
            switch (quote) {
                case NONE -> {
                    if (isSpace(c)) {
                        return p;
                    }
                    if (c == '"') {
                        quote = Quote.DOUBLE;
                    } else if (c == '\'') {
                        quote = Quote.SINGLE;
                    } else {
                        word.write(c);
                    }
                    p++;
                }
                case DOUBLE -> {
                    if (c == '\\' && p + 3 < to && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        word.write(Character.digit(line[p + 2], 16) * 16 + Character.digit(line[p + 3], 16));
                        p += 4;
                    } else if (c == '\\' && p + 1 < to) {
                        word.write(unescape(line[p + 1]));
                        p += 2;
                    } else if (c == '"') {
                        return closeQuote(line, p + 1, to);
                    } else {
                        word.write(c);
                        p++;
                    }
                }
                case SINGLE -> {
                    if (c == '\\' && p + 1 < to && line[p + 1] == '\'') {
                        word.write('\'');
                        p += 2;
                    } else if (c == '\'') {
                        return closeQuote(line, p + 1, to);
                    } else {
                        word.write(c);
                        p++;
                    }
                }
            }
        }
    }

    private static int closeQuote(byte[] line, int afterQuote, int to) throws RespProtocolException {
        if (afterQuote < to && !isSpace(line[afterQuote])) {
            throw unbalanced();
        }
        return afterQuote;
    }

    private static int unescape(byte c) {
        return switch (c) {
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'b' -> '\b';
            case 'a' -> 7;
            default -> c;
        };
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static RespProtocolException unbalanced() {
        return new RespProtocolException("unbalanced quotes in request");
    }

    private enum Quote { NONE, DOUBLE, SINGLE }
}
