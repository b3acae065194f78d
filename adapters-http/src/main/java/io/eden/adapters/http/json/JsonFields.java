package io.eden.adapters.http.json;

import io.eden.domain.error.InvalidValueException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One JSON object of a request body, read field by field. It knows its path ({@code strategy.write_mode}),
 * so every complaint names the full field, and it refuses fields the caller did not list: a typo such as
 * {@code read_percent} must fail loudly, not leave the default in place.
 */
public final class JsonFields {
    private final String path;
    private final Map<String, Object> values;

    private JsonFields(String path, Map<String, Object> values) {
        this.path = path;
        this.values = values;
    }

    /** The body itself, which must be an object. */
    public static JsonFields root(Object tree) {
        if (!(tree instanceof Map<?, ?> map)) {
            throw new InvalidBodyException("the request body must be a JSON object");
        }
        return new JsonFields("", cast(map));
    }

    /** The full path of a field of this object, as error messages name it. */
    public String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Fails on the first field (in document order) that is not one of {@code known}. */
    public JsonFields only(String... known) {
        List<String> allowed = Arrays.asList(known);
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new InvalidValueException(at(key), at(key) + " is not a known field"
                        + (known.length == 0 ? "; this request takes no fields" : "; known fields: "
                        + String.join(", ", known)));
            }
        }
        return this;
    }

    /** Present and not null. */
    public boolean has(String key) {
        return values.get(key) != null;
    }

    public Object raw(String key) {
        return values.get(key);
    }

    public String string(String key) {
        return optionalString(key).orElseThrow(() -> missing(key));
    }

    public Optional<String> optionalString(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw wrongType(key, "a string");
        }
        return Optional.of(text);
    }

    public double number(String key) {
        Object value = values.get(key);
        if (value == null) {
            throw missing(key);
        }
        if (!(value instanceof Number number)) {
            throw wrongType(key, "a number");
        }
        return number.doubleValue();
    }

    /** A whole number; values beyond the int range are reported with {@code rangeMessage}. */
    public int integer(String key, String rangeMessage) {
        Object value = values.get(key);
        if (value == null) {
            throw missing(key);
        }
        if (value instanceof Long whole) {
            if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
                throw new InvalidValueException(at(key), at(key) + " " + rangeMessage);
            }
            return whole.intValue();
        }
        if (value instanceof BigDecimal decimal) {
            try {
                return decimal.intValueExact();
            } catch (ArithmeticException e) {
                throw decimal.stripTrailingZeros().scale() > 0 ? wrongType(key, "a whole number")
                        : new InvalidValueException(at(key), at(key) + " " + rangeMessage);
            }
        }
        throw wrongType(key, "a whole number");
    }

    public boolean bool(String key, boolean absent) {
        Object value = values.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean flag)) {
            throw wrongType(key, "true or false");
        }
        return flag;
    }

    public JsonFields object(String key) {
        return optionalObject(key).orElseThrow(() -> missing(key));
    }

    public Optional<JsonFields> optionalObject(String key) {
        Object value = values.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw wrongType(key, "an object");
        }
        return Optional.of(new JsonFields(at(key), cast(map)));
    }

    /** An object of scalar options; numbers and booleans become their JSON text, nested values are refused. */
    public Map<String, String> scalarMap(String key) {
        Optional<JsonFields> object = optionalObject(key);
        Map<String, String> result = new LinkedHashMap<>();
        object.ifPresent(fields -> fields.values.forEach((name, value) -> {
            switch (value) {
                case String text -> result.put(name, text);
                case BigDecimal decimal -> result.put(name, decimal.toPlainString());
                case Number number -> result.put(name, number.toString());
                case Boolean flag -> result.put(name, flag.toString());
                case null, default -> throw fields.wrongType(name, "a string, number or boolean");
            }
        }));
        return result;
    }

    /**
     * Builds a domain value from this object's fields. The domain names fields relative to its own
     * record ({@code read_percentage}); seen from here they get this object's path in front.
     */
    public <T> T build(Supplier<T> construction) {
        try {
            return construction.get();
        } catch (InvalidValueException e) {
            throw path.isEmpty() ? e : e.under(path);
        }
    }

    public InvalidValueException missing(String key) {
        return new InvalidValueException(at(key), at(key) + " is required");
    }

    public InvalidValueException wrongType(String key, String expected) {
        return new InvalidValueException(at(key), at(key) + " must be " + expected);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
