package vecgrad.app.report;

import java.util.Locale;

/**
 * Colours. Series use the Okabe-Ito palette (distinguishable with colour-vision deficiencies); the
 * heat map uses ColorBrewer's sequential "Blues"; node kinds use light fills with dark outlines.
 */
final class Palette {

    private Palette() {
    }

    private static final String[] SERIES = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};

    private static final int[] BLUES = {
        0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

    static String series(int i) {
        return SERIES[i % SERIES.length];
    }

    /** The Blues ramp at {@code t} in [0, 1], linearly interpolated between its nine anchors. */
    static String blues(double t) {
        double s = Math.max(0, Math.min(1, t)) * (BLUES.length - 1);
        int i = Math.min((int) s, BLUES.length - 2);
        double f = s - i;
        int a = BLUES[i];
        int b = BLUES[i + 1];
        int r = mix(a >> 16, b >> 16, f);
        int g = mix(a >> 8, b >> 8, f);
        int bl = mix(a, b, f);
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, bl);
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }

    /** Fill of a graph node of this role. */
    static String fill(NodeRole kind) {
        return switch (kind) {
            case INPUT -> "#dbeafe";
            case PARAMETER -> "#fef3c7";
            case OP -> "#f3f4f6";
            case LOSS -> "#fee2e2";
            case GRADIENT -> "#ede9fe";
        };
    }

    /** Outline (and text accent) of a graph node of this role. */
    static String stroke(NodeRole kind) {
        return switch (kind) {
            case INPUT -> "#1d4ed8";
            case PARAMETER -> "#b45309";
            case OP -> "#4b5563";
            case LOSS -> "#b91c1c";
            case GRADIENT -> "#6d28d9";
        };
    }
}
