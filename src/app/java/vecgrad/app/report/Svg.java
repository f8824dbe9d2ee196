package vecgrad.app.report;

import java.util.Locale;

/**
 * Writes one standalone SVG 1.1 document: the root element with {@code xmlns}, {@code viewBox} and a
 * {@code <title>}, a white background, then the shapes appended in order.
 *
 * <p>Attributes are passed as name/value pairs and escaped; text is escaped and stripped of
 * characters XML 1.0 forbids, so any label gives a well-formed document. Coordinates are written
 * with at most two decimals (a hundredth of a pixel), so the output is deterministic and small.
 */
final class Svg {

    static final String SANS = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif";
    static final String MONO = "'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace";
    static final String XML_DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    private final StringBuilder sb = new StringBuilder(1 << 14);

    Svg(double width, double height, String title) {
        sb.append(XML_DECLARATION)
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\"")
                .append(attrs("width", num(width), "height", num(height),
                        "viewBox", "0 0 " + num(width) + " " + num(height),
                        "font-family", SANS, "font-size", "12", "fill", "#1f2937"))
                .append(">\n<title>").append(esc(title)).append("</title>\n");
        rect(0, 0, width, height, "fill", "#ffffff");
    }

    /** The document with its closing tag. */
    String done() {
        return sb + "</svg>\n";
    }

    /** The document without its XML declaration, for inlining into HTML. */
    static String inline(String document) {
        return document.startsWith(XML_DECLARATION) ? document.substring(XML_DECLARATION.length()) : document;
    }

    Svg open(String tag, String... attrs) {
        sb.append('<').append(tag).append(attrs(attrs)).append(">\n");
        return this;
    }

    Svg close(String tag) {
        sb.append("</").append(tag).append(">\n");
        return this;
    }

    /** An empty element. */
    Svg element(String tag, String... attrs) {
        sb.append('<').append(tag).append(attrs(attrs)).append("/>\n");
        return this;
    }

    /** An element holding text, e.g. {@code <text>} or {@code <title>}. */
    Svg textElement(String tag, String text, String... attrs) {
        sb.append('<').append(tag).append(attrs(attrs)).append('>').append(esc(text)).append("</").append(tag).append(">\n");
        return this;
    }

    Svg rect(double x, double y, double w, double h, String... attrs) {
        return element("rect", concat(new String[] {"x", num(x), "y", num(y), "width", num(w), "height", num(h)}, attrs));
    }

    Svg line(double x1, double y1, double x2, double y2, String... attrs) {
        return element("line", concat(new String[] {"x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2)}, attrs));
    }

    Svg circle(double cx, double cy, double r, String... attrs) {
        return element("circle", concat(new String[] {"cx", num(cx), "cy", num(cy), "r", num(r)}, attrs));
    }

    Svg text(double x, double y, String text, String... attrs) {
        return textElement("text", text, concat(new String[] {"x", num(x), "y", num(y)}, attrs));
    }

    /** A polyline with a {@code <title>} child, shown as a tooltip. */
    Svg polyline(double[] xs, double[] ys, String title, String... attrs) {
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.length; i++) {
            pts.append(i == 0 ? "" : " ").append(num(xs[i])).append(',').append(num(ys[i]));
        }
        open("polyline", concat(new String[] {"points", pts.toString(), "fill", "none"}, attrs));
        textElement("title", title);
        return close("polyline");
    }

    static String attrs(String... nameValue) {
        if (nameValue.length % 2 != 0) {
            throw new IllegalArgumentException("expected name/value pairs, got " + nameValue.length + " strings");
        }
        StringBuilder a = new StringBuilder();
        for (int i = 0; i < nameValue.length; i += 2) {
            a.append(' ').append(nameValue[i]).append("=\"").append(esc(nameValue[i + 1])).append('"');
        }
        return a.toString();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
    static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> {
                    boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                            || Character.isSurrogate(c) || (c >= 0xE000 && c <= 0xFFFD);
                    out.append(allowed ? c : '\uFFFD');
                }
            }
        }
        return out.toString();
    }

    /** {@code v} rounded to two decimals, without trailing zeros. */
    static String num(double v) {
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("expected a finite coordinate, got " + v);
        }
        long r = Math.round(v * 100);
        if (r == 0) {
            return "0";
        }
        String sign = r < 0 ? "-" : "";
        long a = Math.abs(r);
        long whole = a / 100;
        int frac = (int) (a % 100);
        if (frac == 0) {
            return sign + whole;
        }
        return frac % 10 == 0 ? sign + whole + "." + frac / 10 : sign + whole + "." + String.format(Locale.ROOT, "%02d", frac);
    }
}
