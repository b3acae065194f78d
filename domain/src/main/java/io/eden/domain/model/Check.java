package io.eden.domain.model;

import io.eden.domain.error.InvalidValueException;
import java.util.regex.Pattern;

/** Argument checks shared by the records of the model; each names the field it checks. */
public final class Check {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private Check() {
    }

    public static String id(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new InvalidValueException(field, field + " is required");
        }
        if (!ID.matcher(value).matches()) {
            throw new InvalidValueException(field, field
                    + " must be 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        return value;
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidValueException(field, field + " is required");
        }
        return value;
    }

    public static double fraction(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new InvalidValueException(field, field + " must be between 0 and 1");
        }
        // -0.0 is a legal double but not a distinct percentage; stores would not keep the sign
        return value == 0.0 ? 0.0 : value;
    }
}
