package vecgrad.app.report;

import java.util.List;
import java.util.Map;

/**
 * A small JSON writer for trees of {@link Map} (keys in iteration order), {@link List}, {@link String},
 * {@link Number}, {@link Boolean} and {@code null}.
 *
 * <p>Numbers: integers as they are; a non-finite double or float (NaN, infinity), which JSON cannot
 * hold, is written as {@code null}; a double that is exactly a float (the training code measures in
 * float32) is written with the float's shortest digits, so 0.98f appears as {@code 0.98} rather than
 * {@code 0.9800000190734863}. Strings are escaped per RFC 8259: quote, backslash and control
 * characters; everything else is written as UTF-8 text.
 *
 * <p>Layout: two-space indentation; an array of scalars, and an object of scalars inside an array,
 * are kept on one line, so a history entry or a confusion-matrix row reads as a line.
 */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, 0, false);
        return sb.append('\n').toString();
    }

    private static void write(StringBuilder sb, Object value, int indent, boolean inArray) {
        if (value instanceof Map<?, ?> map) {
            writeContainer(sb, '{', '}', map.entrySet().stream().map(e -> (Object) e).toList(), indent, inArray);
        } else if (value instanceof List<?> list) {
            writeContainer(sb, '[', ']', list, indent, true);
        } else {
            scalar(sb, value);
        }
    }

    private static void writeContainer(StringBuilder sb, char open, char close, List<?> items, int indent, boolean oneLine) {
        if (items.isEmpty()) {
            sb.append(open).append(close);
            return;
        }
        String inline = oneLine ? inline(open, close, items) : null;
        if (inline != null) {
            sb.append(inline);
            return;
        }
        sb.append(open).append('\n');
        for (int i = 0; i < items.size(); i++) {
            sb.append("  ".repeat(indent + 1));
            Object item = items.get(i);
            if (item instanceof Map.Entry<?, ?> e) {
                string(sb, key(e.getKey()));
                sb.append(": ");
                write(sb, e.getValue(), indent + 1, false);
            } else {
                write(sb, item, indent + 1, true);
            }
            sb.append(i + 1 < items.size() ? ",\n" : "\n");
        }
        sb.append("  ".repeat(indent)).append(close);
    }

    /** The container on one line, or null if it holds a container. */
    private static String inline(char open, char close, List<?> items) {
        StringBuilder sb = new StringBuilder().append(open);
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            if (item instanceof Map.Entry<?, ?> e) {
                string(sb, key(e.getKey()));
                sb.append(": ");
                item = e.getValue();
            }
            if (item instanceof Map<?, ?> || item instanceof List<?>) {
                return null;
            }
            scalar(sb, item);
            if (i + 1 < items.size()) {
                sb.append(", ");
            }
        }
        return sb.append(close).toString();
    }

    private static String key(Object key) {
        if (!(key instanceof String s)) {
            throw new IllegalArgumentException("expected string keys, got " + key);
        }
        return s;
    }

    private static void scalar(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            string(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            sb.append(value);
        } else if (value instanceof Double || value instanceof Float) {
            sb.append(number(((Number) value).doubleValue()));
        } else {
            throw new IllegalArgumentException("expected a JSON value, got " + value.getClass().getName());
        }
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        float f = (float) v;
        return f == v ? Float.toString(f) : Double.toString(v);
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    // U+2028/2029 are legal JSON but break JavaScript string literals; escape them too.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
