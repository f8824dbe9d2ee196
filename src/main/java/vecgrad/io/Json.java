package vecgrad.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON (RFC 8259) reader and writer: the safetensors header's parser, and the reader and
 * writer of a saved model's architecture ({@link #read}, {@link #write}).
 *
 * <p>Parsed values are {@code Map<String, Object>} (insertion-ordered, unmodifiable) for objects,
 * {@code List<Object>} (unmodifiable) for arrays, {@link String}, {@link Long} for integers in
 * {@code [0, 2^63)} written without fraction or exponent, {@link OtherNumber} for every other number
 * (kept as its text so the caller can say what it found), {@link Boolean}, and {@link #NULL}.
 */
public final class Json {

    /*
     * The package-private methods serve the safetensors reader, which wants the raw tree (OtherNumber
     * kept as text so it can say what it found). read() and write() are the public face: plain Java
     * values, the same strictness and limits, so a hostile config costs bounded memory.
     */

    /** Nesting of objects and arrays {@link #read} accepts; a model's config needs four or five. */
    public static final int MAX_READ_DEPTH = 32;
    /** Values and keys {@link #read} accepts in all. */
    public static final int MAX_READ_VALUES = 1 << 16;

    /** The JSON {@code null}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    /** A number that is not a non-negative integer below 2^63: negative, fractional, exponent or too large. */
    record OtherNumber(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** A syntax error: the message says what was expected, what came, and where. */
    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message);
        }
    }

    private final String text;
    private final int maxDepth;
    private final int maxValues;
    private int values;
    private int pos;

    private Json(String text, int maxDepth, int maxValues) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.maxValues = maxValues;
    }

    /**
     * Parses one JSON value that makes up all of {@code text} (whitespace around it is allowed).
     * Objects with a repeated key (compared after unescaping) and nesting deeper than {@code maxDepth}
     * objects and arrays are rejected.
     */
    static Object parse(String text, int maxDepth) throws SyntaxException {
        return parse(text, maxDepth, Integer.MAX_VALUE);
    }

    /**
     * As {@link #parse(String, int)}, and rejects text with more than {@code maxValues} values and
     * object keys in all, counted as they are parsed: the parsed tree costs at most about 100 bytes
     * per value on top of the text, so this bounds its memory whatever the text holds (a header of
     * {@code [{},{},...]} would otherwise cost some 30 bytes of heap per byte of text).
     */
    static Object parse(String text, int maxDepth, int maxValues) throws SyntaxException {
        Json p = new Json(text, maxDepth, maxValues);
        p.skipWhitespace();
        Object value = p.value(0);
        p.skipWhitespace();
        if (p.pos < text.length()) {
            throw p.error("expected the end of the text after the value, found " + p.found());
        }
        return value;
    }

    /** What a parsed value is, for messages: {@code "string \"F32\""}, {@code "array"}, {@code "number -1"}. */
    static String describe(Object value) {
        if (value instanceof String s) {
            StringBuilder sb = new StringBuilder("string ");
            appendString(sb, s.length() > 40 ? s.substring(0, 40) + "..." : s);
            return sb.toString();
        }
        if (value instanceof Long || value instanceof OtherNumber) return "number " + value;
        if (value instanceof Map) return "object";
        if (value instanceof List) return "array";
        return String.valueOf(value);
    }

    /**
     * Parses {@code text}, one JSON value, into plain Java values: {@code Map<String, Object>}
     * (insertion-ordered, unmodifiable), {@code List<Object>} (unmodifiable), {@link String},
     * {@link Long} for integers that fit, {@link Double} for other numbers, {@link Boolean} and
     * {@code null}.
     *
     * @param text the JSON document, exactly one value with optional surrounding whitespace
     * @return the value: a map, list, string, {@code Long}, {@code Double}, {@code Boolean} or {@code null}
     * @throws IllegalArgumentException naming what was expected, what came and where, if the text is
     *     not strict JSON (repeated keys included), nests deeper than {@value #MAX_READ_DEPTH} or holds
     *     more than {@value #MAX_READ_VALUES} values, or a number overflows a double
     */
    public static Object read(String text) {
        java.util.Objects.requireNonNull(text, "text");
        Object raw;
        try {
            raw = parse(text, MAX_READ_DEPTH, MAX_READ_VALUES);
        } catch (SyntaxException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getMessage(), e);
        }
        return plain(raw);
    }

    private static Object plain(Object raw) {
        if (raw == NULL) {
            return null;
        }
        if (raw instanceof OtherNumber n) {
            String t = n.text();
            if (t.indexOf('.') < 0 && t.indexOf('e') < 0 && t.indexOf('E') < 0) {
                try {
                    return Long.parseLong(t); // a negative integer
                } catch (NumberFormatException tooLarge) {
                    // falls through to a double
                }
            }
            double d = Double.parseDouble(t);
            if (Double.isInfinite(d)) {
                throw new IllegalArgumentException("malformed JSON: the number " + (t.length() > 40 ? t.substring(0, 40)
                        + "..." : t) + " overflows a double");
            }
            return d;
        }
        if (raw instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), plain(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        if (raw instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(plain(o));
            }
            return Collections.unmodifiableList(out);
        }
        return raw;
    }

    /**
     * Writes a value as compact JSON: maps with string keys (in their iteration order), lists, arrays
     * of primitives, strings, numbers, booleans and {@code null}. Floats and doubles are written in
     * their shortest round-tripping form ({@link Float#toString}, {@link Double#toString}), so a float
     * read back as a double and narrowed is the same float.
     *
     * @param value the value to write, possibly {@code null}
     * @return the JSON text, without whitespace between tokens
     * @throws IllegalArgumentException naming the path to the value ({@code $.layers[2].rate}) if it is
     *     not one of these, a number is NaN or infinite, or a string holds an unpaired surrogate
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "$");
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object value, String path) {
        if (value == null) {
            sb.append("null");
        } else if (value instanceof String s) {
            int bad = findUnpairedSurrogate(s);
            if (bad >= 0) {
                throw new IllegalArgumentException("Json.write: " + path + " holds an unpaired surrogate at index " + bad);
            }
            appendString(sb, s);
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            sb.append(value);
        } else if (value instanceof Float f) {
            if (!Float.isFinite(f)) {
                throw new IllegalArgumentException("Json.write: " + path + " is " + f + "; JSON has finite numbers only");
            }
            sb.append(Float.toString(f));
        } else if (value instanceof Double d) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("Json.write: " + path + " is " + d + "; JSON has finite numbers only");
            }
            sb.append(Double.toString(d));
        } else if (value instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("Json.write: " + path + " has a key " + e.getKey()
                            + " that is not a string");
                }
                sb.append(first ? "" : ",");
                first = false;
                write(sb, key, path);
                sb.append(':');
                write(sb, e.getValue(), path + "." + key);
            }
            sb.append('}');
        } else if (value instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                sb.append(i == 0 ? "" : ",");
                write(sb, l.get(i), path + "[" + i + "]");
            }
            sb.append(']');
        } else if (value.getClass().isArray() && value.getClass().getComponentType().isPrimitive()
                && value.getClass() != char[].class) {
            int n = java.lang.reflect.Array.getLength(value);
            List<Object> boxed = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                boxed.add(java.lang.reflect.Array.get(value, i));
            }
            write(sb, boxed, path);
        } else {
            throw new IllegalArgumentException("Json.write: " + path + " is a " + value.getClass().getName()
                    + "; expected a map, list, primitive array, string, number, boolean or null");
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Appends {@code s} as a JSON string: quote, backslash and control characters escaped, everything
     * else (including non-ASCII) written as is, as serde_json does. {@code s} must be valid UTF-16
     * (no unpaired surrogate); callers check that with {@link #findUnpairedSurrogate}.
     */
    static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** The index of the first unpaired surrogate in {@code s} (which UTF-8 cannot encode), or -1. */
    static int findUnpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- parsing

    private Object value(int depth) throws SyntaxException {
        count();
        if (pos >= text.length()) {
            throw error("expected a value, found the end of the text");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw error("expected a value, found " + found());
            }
        };
    }

    private Map<String, Object> object(int depth) throws SyntaxException {
        checkDepth(depth);
        pos++; // '{'
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhitespace();
        if (peek('}')) {
            pos++;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhitespace();
            if (!peek('"')) {
                throw error("expected a string key, found " + found());
            }
            int keyAt = pos;
            count();
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            Object value = value(depth);
            if (members.containsKey(key)) {
                pos = keyAt;
                StringBuilder k = new StringBuilder();
                appendString(k, key.length() > 60 ? key.substring(0, 60) + "\u2026" : key);
                throw error("duplicate key " + k + " (keys must be unique)");
            }
            members.put(key, value);
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else if (peek('}')) {
                pos++;
                return Collections.unmodifiableMap(members);
            } else {
                throw error("expected ',' or '}' in an object, found " + found());
            }
        }
    }

    private List<Object> array(int depth) throws SyntaxException {
        checkDepth(depth);
        pos++; // '['
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek(']')) {
            pos++;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhitespace();
            elements.add(value(depth));
            skipWhitespace();
            if (peek(',')) {
                pos++;
            } else if (peek(']')) {
                pos++;
                return Collections.unmodifiableList(elements);
            } else {
                throw error("expected ',' or ']' in an array, found " + found());
            }
        }
    }

    private String string() throws SyntaxException {
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("expected a closing '\"', found the end of the text");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("expected an escaped control character in a string, found raw U+" + hex4(c));
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (pos + 1 >= text.length()) {
                throw error("expected an escape after '\\', found the end of the text");
            }
            char e = text.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> sb.append(unicodeEscape());
                default -> {
                    pos -= 2;
                    throw error("expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found '\\" + e + "'");
                }
            }
        }
    }

    /** After a backslash-u: four hex digits; a high surrogate must be followed by an escaped low surrogate. */
    private String unicodeEscape() throws SyntaxException {
        int start = pos - 2;
        char c = hexChar();
        if (Character.isLowSurrogate(c)) {
            pos = start;
            throw error("expected a character, found an unpaired low surrogate \\u" + hex4(c));
        }
        if (!Character.isHighSurrogate(c)) {
            return String.valueOf(c);
        }
        if (!text.startsWith("\\u", pos)) {
            pos = start;
            throw error("expected \\uDC00-\\uDFFF after the high surrogate \\u" + hex4(c) + ", found an unpaired surrogate");
        }
        pos += 2;
        char low = hexChar();
        if (!Character.isLowSurrogate(low)) {
            pos = start;
            throw error("expected \\uDC00-\\uDFFF after the high surrogate \\u" + hex4(c) + ", found \\u" + hex4(low));
        }
        return new String(new char[] {c, low});
    }

    private char hexChar() throws SyntaxException {
        if (pos + 4 > text.length()) {
            throw error("expected four hex digits after \\u, found the end of the text");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = hexDigit(text.charAt(pos + i));
            if (d < 0) {
                throw error("expected four hex digits after \\u, found '" + text.substring(pos, pos + 4) + "'");
            }
            v = v * 16 + d;
        }
        pos += 4;
        return (char) v;
    }

    /** RFC 8259 number grammar: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
    private Object number() throws SyntaxException {
        int start = pos;
        boolean integer = true;
        if (peek('-')) {
            pos++;
            integer = false;
        }
        if (peek('0')) {
            pos++;
            if (pos < text.length() && isDigit(text.charAt(pos))) {
                throw error("expected no leading zero in a number, found " + found());
            }
        } else {
            digits("a digit");
        }
        if (peek('.')) {
            pos++;
            integer = false;
            digits("a digit after '.'");
        }
        if (peek('e') || peek('E')) {
            pos++;
            integer = false;
            if (peek('+') || peek('-')) {
                pos++;
            }
            digits("a digit in the exponent");
        }
        String literal = text.substring(start, pos);
        if (integer && (literal.length() < 19 || (literal.length() == 19 && literal.compareTo("9223372036854775807") <= 0))) {
            return Long.parseLong(literal);
        }
        return new OtherNumber(literal);
    }

    private void digits(String what) throws SyntaxException {
        if (pos >= text.length() || !isDigit(text.charAt(pos))) {
            throw error("expected " + what + ", found " + found());
        }
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
    }

    private Object literal(String word, Object value) throws SyntaxException {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value, found " + found());
        }
        pos += word.length();
        return value;
    }

    private void count() throws SyntaxException {
        if (++values > maxValues) {
            throw error("expected at most " + maxValues + " values and keys in all, found more");
        }
    }

    private void checkDepth(int depth) throws SyntaxException {
        if (depth > maxDepth) {
            throw error("expected at most " + maxDepth + " levels of nested objects and arrays, found more");
        }
    }

    private void expect(char c) throws SyntaxException {
        if (!peek(c)) {
            throw error("expected '" + c + "', found " + found());
        }
        pos++;
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    /** The value of an ASCII hex digit, or -1 ({@code Character.digit} also accepts non-ASCII digits). */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The text at the current position, for messages. */
    private String found() {
        if (pos >= text.length()) {
            return "the end of the text";
        }
        int end = Math.min(text.length(), pos + 20);
        StringBuilder sb = new StringBuilder("'");
        for (int i = pos; i < end; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append("\\u").append(hex4(c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(end < text.length() ? "...'" : "'").toString();
    }

    private SyntaxException error(String message) {
        return new SyntaxException(message + " at character " + pos);
    }

    private static String hex4(char c) {
        return String.format("%04X", (int) c);
    }
}
