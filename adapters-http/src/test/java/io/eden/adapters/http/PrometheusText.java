package io.eden.adapters.http;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A checker of Prometheus text format 0.0.4, strict enough to catch what a scraper would reject. */
final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|summary|histogram|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\",?");

    private PrometheusText() {
    }

    /** Fails on the first invalid line; returns each family's type. */
    static Map<String, String> validate(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Set<String> closed = new HashSet<>();
        String current = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) {
                check(lineNo == text.split("\n", -1).length, lineNo, "empty line inside the exposition", line);
                continue;
            }
            Matcher m;
            if ((m = HELP.matcher(line)).matches()) {
                check(helped.add(m.group(1)), lineNo, "second HELP for " + m.group(1), line);
            } else if ((m = TYPE.matcher(line)).matches()) {
                check(!types.containsKey(m.group(1)), lineNo, "duplicate family " + m.group(1), line);
                if (current != null) {
                    closed.add(current);
                }
                types.put(m.group(1), m.group(2));
                current = m.group(1);
            } else if (line.startsWith("#")) {
                check(false, lineNo, "unknown comment form", line);
            } else if ((m = SAMPLE.matcher(line)).matches()) {
                String name = m.group(1);
                check(current != null && belongs(name, current, types.get(current)), lineNo,
                        "sample outside its family (" + current + ")", line);
                check(!closed.contains(name), lineNo, "family appears twice", line);
                if (m.group(3) != null) {
                    check(LABEL.matcher(m.group(3)).replaceAll("").isEmpty(), lineNo, "bad labels", line);
                }
                String value = m.group(4);
                check(value.matches("NaN|[+-]Inf") || isDouble(value), lineNo, "bad value", line);
            } else {
                check(false, lineNo, "not a sample", line);
            }
        }
        return types;
    }

    private static boolean belongs(String sample, String family, String type) {
        return switch (type) {
            case "summary" -> sample.equals(family) || sample.equals(family + "_count") || sample.equals(family + "_sum");
            case "histogram" -> sample.equals(family + "_bucket") || sample.equals(family + "_count")
                    || sample.equals(family + "_sum");
            default -> sample.equals(family);
        };
    }

    private static boolean isDouble(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void check(boolean ok, int lineNo, String problem, String line) {
        if (!ok) {
            throw new AssertionError("line " + lineNo + ": " + problem + ": " + line);
        }
    }
}
