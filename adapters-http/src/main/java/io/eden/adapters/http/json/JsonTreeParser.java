package io.eden.adapters.http.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;
import com.dslplatform.json.NumberConverter;
import com.dslplatform.json.ParsingException;
import io.eden.domain.error.InvalidValueException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a body into plain values: {@code Map} (keys in document order), {@code List}, {@code String},
 * {@code Long} or {@code BigDecimal}, {@code Boolean} and {@code null}. Request bodies go through this
 * tree rather than straight into records so that {@link JsonFields} can name the exact path of an
 * unknown field or a value of the wrong type, which a binding library reports only vaguely.
 */
final class JsonTreeParser {
    /** Our documents nest three levels; a deep body is an attack on the stack, not a request. */
    static final int MAX_DEPTH = 32;

    private final DslJson<Object> dsl;

    JsonTreeParser(DslJson<Object> dsl) {
        this.dsl = dsl;
    }

    Object parse(byte[] body) {
        if (isBlank(body, 0)) {
            throw new MalformedJsonException("the request body is empty; a JSON object is expected");
        }
        JsonReader<Object> reader = dsl.newReader(body, body.length);
        try {
            reader.getNextToken();
            Object value = value(reader, "", 0);
            if (!isBlank(body, reader.getCurrentIndex())) {
                throw new MalformedJsonException("unexpected content after the JSON value at position "
                        + reader.getCurrentIndex());
            }
            return value;
        } catch (ParsingException e) {
            throw new MalformedJsonException("malformed JSON: " + withoutExcerpt(e.getMessage()));
        } catch (IOException e) {
            throw new MalformedJsonException("malformed JSON: " + withoutExcerpt(e.getMessage()));
        }
    }

    private Object value(JsonReader<Object> reader, String path, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new MalformedJsonException("malformed JSON: nested deeper than " + MAX_DEPTH + " levels");
        }
        return switch (reader.last()) {
            case '"' -> reader.readString();
            case '{' -> object(reader, path, depth);
            case '[' -> array(reader, path, depth);
            case 't' -> literal(reader.wasTrue(), reader, "true", Boolean.TRUE);
            case 'f' -> literal(reader.wasFalse(), reader, "false", Boolean.FALSE);
            case 'n' -> literal(reader.wasNull(), reader, "null", null);
            default -> NumberConverter.deserializeNumber(reader);
        };
    }

    private static Object literal(boolean matched, JsonReader<Object> reader, String name, Object value)
            throws ParsingException {
        if (!matched) {
            throw reader.newParseErrorAt("Expecting '" + name + "'", 0);
        }
        return value;
    }

    private Map<String, Object> object(JsonReader<Object> reader, String path, int depth) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        if (reader.getNextToken() == '}') {
            return map;
        }
        while (true) {
            if (reader.last() != '"') {
                throw reader.newParseError("Expecting '\"' to start a field name");
            }
            String key = reader.readKey();
            String at = path.isEmpty() ? key : path + "." + key;
            if (map.containsKey(key)) {
                // Two values for one field: whichever we kept, the sender may have meant the other.
                throw new InvalidValueException(at, at + " appears more than once");
            }
            map.put(key, value(reader, at, depth + 1));
            byte next = reader.getNextToken();
            if (next == '}') {
                return map;
            }
            if (next != ',') {
                throw reader.newParseError("Expecting '}' or ','");
            }
            reader.getNextToken();
        }
    }

    private List<Object> array(JsonReader<Object> reader, String path, int depth) throws IOException {
        List<Object> list = new ArrayList<>();
        if (reader.getNextToken() == ']') {
            return list;
        }
        while (true) {
            list.add(value(reader, path + "[" + list.size() + "]", depth + 1));
            byte next = reader.getNextToken();
            if (next == ']') {
                return list;
            }
            if (next != ',') {
                throw reader.newParseError("Expecting ']' or ','");
            }
            reader.getNextToken();
        }
    }

    private static boolean isBlank(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** dsl-json may append an excerpt of the input; the body can hold a password, so it never goes back out. */
    private static String withoutExcerpt(String message) {
        if (message == null) {
            return "unreadable input";
        }
        int cut = message.indexOf(", following:");
        return cut < 0 ? message : message.substring(0, cut);
    }
}
