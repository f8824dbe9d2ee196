package vecgrad.nn;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Python's {@code str.format} for file-name templates such as Keras' checkpoint paths
 * ({@code "w-{epoch:02d}-{val_loss:.2f}"}, keras/src/callbacks/model_checkpoint.py, _get_file_path,
 * which calls {@code filepath.format(epoch=epoch + 1, **logs)}).
 *
 * <p>The subset that matters for numbers: {@code {name}} and {@code {name:spec}} with spec
 * {@code [[fill]align][sign][#][0][width][.precision][type]}, align one of {@code < > = ^}, sign one of
 * {@code + - space}, type one of {@code d f F e E g G %} or none; {@code {{} and {@code }}} for braces.
 * Rounding is Python's: the exact binary value rounded half to even (Java's {@code String.format}
 * rounds the shortest decimal half up, so {@code 0.125} gives {@code 0.13} there and {@code 0.12} here).
 * A template is parsed once, so a bad one is refused before training.
 */
final class PyFormat {

    /** One literal piece or one replacement field. */
    private record Piece(String literal, String name, Spec spec) {
    }

    private record Spec(char fill, char align, char sign, boolean alternate, boolean zero, int width, int precision,
            char type) {
    }

    private final String template;
    private final List<Piece> pieces;

    private PyFormat(String template, List<Piece> pieces) {
        this.template = template;
        this.pieces = pieces;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException for an unmatched brace, an empty or non-identifier field name,
     *     or a format spec outside the subset
     */
    static PyFormat parse(String template) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '}') {
                throw bad(template, "a single '}' at index " + i + " (write '}}' for a brace)");
            } else if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw bad(template, "a '{' at index " + i + " without its '}'");
                }
                String field = template.substring(i + 1, end);
                int colon = field.indexOf(':');
                String name = colon < 0 ? field : field.substring(0, colon);
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw bad(template, "a field name made of letters, digits and '_', got '{" + field + "}'");
                }
                Spec spec = colon < 0 ? null : spec(template, field.substring(colon + 1));
                if (literal.length() > 0) {
                    pieces.add(new Piece(literal.toString(), null, null));
                    literal.setLength(0);
                }
                pieces.add(new Piece(null, name, spec));
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        if (literal.length() > 0) {
            pieces.add(new Piece(literal.toString(), null, null));
        }
        return new PyFormat(template, Collections.unmodifiableList(pieces));
    }

    private static IllegalArgumentException bad(String template, String what) {
        return new IllegalArgumentException("bad format string \"" + template + "\": expected " + what);
    }

    private static Spec spec(String template, String s) {
        int i = 0;
        char fill = ' ';
        char align = 0;
        if (s.length() >= 2 && "<>=^".indexOf(s.charAt(1)) >= 0) {
            fill = s.charAt(0);
            align = s.charAt(1);
            i = 2;
        } else if (!s.isEmpty() && "<>=^".indexOf(s.charAt(0)) >= 0) {
            align = s.charAt(0);
            i = 1;
        }
        char sign = '-';
        if (i < s.length() && "+- ".indexOf(s.charAt(i)) >= 0) {
            sign = s.charAt(i++);
        }
        boolean alternate = false;
        if (i < s.length() && s.charAt(i) == '#') {
            alternate = true;
            i++;
        }
        boolean zero = false;
        if (i < s.length() && s.charAt(i) == '0') {
            zero = true;
            i++;
        }
        int width = -1;
        int start = i;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i > start) {
            width = parseInt(template, s.substring(start, i));
        }
        int precision = -1;
        if (i < s.length() && s.charAt(i) == '.') {
            start = ++i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (i == start) {
                throw bad(template, "digits after '.' in the format spec '" + s + "'");
            }
            precision = parseInt(template, s.substring(start, i));
        }
        char type = 0;
        if (i < s.length()) {
            type = s.charAt(i++);
            if ("dfFeEgG%".indexOf(type) < 0) {
                throw bad(template, "a format type among d, f, F, e, E, g, G, % in '" + s + "', got '" + type + "'");
            }
        }
        if (i != s.length()) {
            throw bad(template, "[[fill]align][sign][#][0][width][.precision][type] as the format spec, got '" + s + "'");
        }
        if (type == 'd' && precision >= 0) {
            throw bad(template, "no precision with the integer type 'd' in '" + s + "' (Python refuses it)");
        }
        return new Spec(fill, align, sign, alternate, zero, width, precision, type);
    }

    private static int parseInt(String template, String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            throw bad(template, "a width or precision below 2^31, got " + digits);
        }
    }

    /** {@return the field names, in order of first appearance} */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Piece p : pieces) {
            if (p.name != null) {
                names.add(p.name);
            }
        }
        return names;
    }

    /**
     * Checks that a field may hold an integer or a float: the type 'd' takes integers only, as in Python.
     *
     * @throws IllegalArgumentException if a field named in {@code floats} has the type 'd'
     */
    void requireFloatsFormattable(Set<String> floats) {
        for (Piece p : pieces) {
            if (p.name != null && p.spec != null && p.spec.type == 'd' && floats.contains(p.name)) {
                throw bad(template, "'{" + p.name + "}' to be formatted as a float (it is a logged value), but 'd' is"
                        + " for integers (Python: Unknown format code 'd' for object of type 'float'); use e.g. '.4f'");
            }
        }
    }

    /**
     * Formats the template: each value is an {@link Integer}/{@link Long} (Python int) or a
     * {@link Double} (Python float).
     *
     * @throws IllegalArgumentException for a name without a value (Python's KeyError) or 'd' on a float
     */
    String format(Map<String, ? extends Number> values) {
        StringBuilder sb = new StringBuilder();
        for (Piece p : pieces) {
            if (p.literal != null) {
                sb.append(p.literal);
                continue;
            }
            Number v = values.get(p.name);
            if (v == null) {
                throw new IllegalArgumentException("cannot format \"" + template + "\": no value named '" + p.name
                        + "' (there are " + String.join(", ", values.keySet()) + ")");
            }
            sb.append(formatOne(p.spec, v));
        }
        return sb.toString();
    }

    private String formatOne(Spec spec, Number v) {
        boolean integer = v instanceof Integer || v instanceof Long;
        if (spec == null) {
            return integer ? Long.toString(v.longValue()) : repr(v.doubleValue());
        }
        String body;
        boolean negative;
        if (integer && (spec.type == 'd' || spec.type == 0)) {
            long x = v.longValue();
            negative = x < 0;
            body = negative ? Long.toString(x).substring(1) : Long.toString(x);
        } else {
            if (spec.type == 'd') {
                throw bad(template, "an integer for the type 'd', got the float " + repr(v.doubleValue()));
            }
            double x = v.doubleValue();
            negative = x < 0 || (x == 0 && 1 / x < 0);
            body = unsignedFloat(Math.abs(x), spec);
        }
        String sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
        int pad = spec.width - sign.length() - body.length();
        if (pad <= 0) {
            return sign + body;
        }
        char align = spec.align != 0 ? spec.align : spec.zero ? '=' : '>';
        char fill = spec.align == 0 && spec.zero ? '0' : spec.fill;
        String f = String.valueOf(fill).repeat(pad);
        return switch (align) {
            case '<' -> sign + body + f;
            case '^' -> String.valueOf(fill).repeat(pad / 2) + sign + body + String.valueOf(fill).repeat(pad - pad / 2);
            case '=' -> sign + f + body;
            default -> f + sign + body;
        };
    }

    /** |x| formatted by the spec's float type (none, f, F, e, E, g, G, %). */
    private static String unsignedFloat(double x, Spec spec) {
        char type = spec.type;
        boolean upper = type == 'F' || type == 'E' || type == 'G';
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            String s = Double.isNaN(x) ? "nan" : "inf";
            return (upper ? s.toUpperCase(java.util.Locale.ROOT) : s) + (type == '%' ? "%" : "");
        }
        int p = spec.precision;
        switch (type) {
            case 'f', 'F':
                return fixed(x, p < 0 ? 6 : p, spec.alternate);
            case '%':
                return fixed(x * 100, p < 0 ? 6 : p, spec.alternate) + "%";
            case 'e', 'E': {
                String s = scientific(x, p < 0 ? 6 : p, spec.alternate);
                return upper ? s.toUpperCase(java.util.Locale.ROOT) : s;
            }
            case 'g', 'G': {
                String s = general(x, p < 0 ? 6 : Math.max(1, p), spec.alternate, false);
                return upper ? s.toUpperCase(java.util.Locale.ROOT) : s;
            }
            default:
                // No type: repr without a precision, else 'g' that keeps a ".0" on whole numbers.
                return p < 0 ? repr(x) : general(x, Math.max(1, p), spec.alternate, true);
        }
    }

    private static String fixed(double x, int precision, boolean alternate) {
        String s = new BigDecimal(x).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
        return alternate && precision == 0 ? s + "." : s;
    }

    private static String scientific(double x, int precision, boolean alternate) {
        BigDecimal r = new BigDecimal(x).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        String digits;
        int exponent;
        if (r.signum() == 0) {
            digits = "0".repeat(precision + 1);
            exponent = 0;
        } else {
            digits = r.unscaledValue().toString();
            exponent = digits.length() - 1 - r.scale();
            digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        }
        String mantissa = digits.substring(0, 1) + (precision > 0 || alternate ? "." : "") + digits.substring(1);
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }

    /** Python's 'g' (and, with {@code keepPoint}, the no-type format with a precision). */
    private static String general(double x, int precision, boolean alternate, boolean keepPoint) {
        int exponent = 0;
        if (x != 0) {
            BigDecimal r = new BigDecimal(x).round(new MathContext(precision, RoundingMode.HALF_EVEN));
            exponent = r.precision() - 1 - r.scale();
        }
        String s;
        // Python: the no-type format switches to scientific notation at exp >= p - 1, 'g' at exp >= p.
        if (exponent >= -4 && exponent < (keepPoint ? precision - 1 : precision)) {
            s = fixed(x, precision - 1 - exponent, alternate);
        } else {
            s = scientific(x, precision - 1, alternate);
        }
        if (!alternate) {
            s = stripZeros(s);
            if (keepPoint && s.indexOf('.') < 0 && s.indexOf('e') < 0) {
                s += ".0";
            }
        }
        return s;
    }

    private static String stripZeros(String s) {
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        String exp = e < 0 ? "" : s.substring(e);
        if (mantissa.indexOf('.') >= 0) {
            mantissa = mantissa.replaceAll("0+$", "");
            if (mantissa.endsWith(".")) {
                mantissa = mantissa.substring(0, mantissa.length() - 1);
            }
        }
        return mantissa + exp;
    }

    /** Python's {@code repr(float)}: the shortest digits, fixed for exponents in [-4, 16), else {@code d.ddde+XX}. */
    static String repr(double x) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        String sign = x < 0 || (x == 0 && 1 / x < 0) ? "-" : "";
        if (x == 0) {
            return sign + "0.0";
        }
        BigDecimal d = shortest(Math.abs(x));
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale();
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
                + Math.abs(exponent);
    }

    /**
     * The fewest significant digits that read back as {@code x}, nearest to it (JDK 17's
     * {@code Double.toString} is not always shortest: 4.9E-324 where Python prints 5e-324).
     */
    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int digits = 1; digits < 17; digits++) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == x) {
                return r.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    @Override
    public String toString() {
        return template;
    }
}
