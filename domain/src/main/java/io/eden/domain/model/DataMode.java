package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.util.Locale;

/** How existing data moves to the target, and what happens to keys the target already has. */
public record DataMode(Type type, Replace replace) {
    public static final DataMode DEFAULT = new DataMode(Type.SCAN, Replace.REPLACE);

    public DataMode {
        Check.required("type", type);
        Check.required("replace", replace);
    }

    public enum Type {
        NONE, SCAN, SNAPSHOT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Type fromWireName(String field, String name) {
            for (Type t : values()) {
                if (t.wireName().equals(name)) {
                    return t;
                }
            }
            throw new InvalidValueException(field, field + " must be one of none, scan, snapshot");
        }
    }

    public enum Replace {
        NONE, REPLACE, MERGE;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Replace fromWireName(String field, String name) {
            for (Replace r : values()) {
                if (r.wireName().equals(name)) {
                    return r;
                }
            }
            throw new InvalidValueException(field, field + " must be one of none, replace, merge");
        }
    }
}
