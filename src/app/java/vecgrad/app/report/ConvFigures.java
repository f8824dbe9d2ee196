package vecgrad.app.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The convnet's figures: the network as a row of layer boxes, the first convolution's learned
 * filters as small grey grids (one square per weight), and its feature maps for a few digits (one
 * embedded PNG per digit and channel, drawn pixelated like {@link DigitGrid}).
 */
final class ConvFigures {

    private static final double CELL = 16;
    private static final double MARGIN = 16;
    private static final int FILTER_COLUMNS = 8;
    private static final double MAP = 64;
    private static final double MAP_GAP = 10;

    private ConvFigures() {
    }

    // ---------------------------------------------------------------- network

    private static final double BOX_W = 134;
    private static final double BOX_H = 104;
    private static final double BOX_GAP = 26;

    /** One box per layer after an input box, left to right, with arrows; the parameter total below. */
    static String network(ModelView model) {
        int boxes = model.layers().size() + 1;
        double width = 2 * MARGIN + boxes * BOX_W + (boxes - 1) * BOX_GAP;
        double height = 2 * MARGIN + BOX_H + 40;
        Svg svg = new Svg(width, height, "Network " + model.layers().size() + " layers");
        double y = MARGIN;
        long params = 0;
        for (int i = 0; i < boxes; i++) {
            double x = MARGIN + i * (BOX_W + BOX_GAP);
            boolean input = i == 0;
            ModelView.LayerView l = input ? null : model.layers().get(i - 1);
            String shape = input ? new ModelView.LayerView("input", "Input", model.input(), "", 0).shapeText() : l.shapeText();
            String kind = input ? "input" : l.type().equals("Conv2D") ? "conv"
                    : l.type().endsWith("Pooling2D") ? "pool" : l.type().equals("Dense") ? "dense" : "other";
            String fill = switch (kind) {
                case "input" -> "#dbeafe";
                case "conv" -> "#d1fae5";
                case "pool" -> "#e0e7ff";
                case "dense" -> "#fde68a";
                default -> "#f3f4f6";
            };
            svg.open("g", "class", "layer " + kind);
            svg.rect(x, y, BOX_W, BOX_H, "fill", fill, "stroke", "#4b5563", "stroke-width", "1.2", "rx", "6");
            double cx = x + BOX_W / 2;
            svg.text(cx, y + 20, input ? "input" : l.name(), "text-anchor", "middle", "font-weight", "bold", "font-size", "12.5");
            svg.text(cx, y + 37, input ? (model.input().size() == 3 ? "image" : "features") : l.type(), "text-anchor", "middle", "font-size", "11",
                    "fill", "#4b5563");
            svg.text(cx, y + 58, shape, "class", "shape", "text-anchor", "middle", "font-size", "13", "font-family", Svg.MONO);
            if (!input && !l.detail().isEmpty()) {
                svg.text(cx, y + 77, l.detail(), "class", "detail", "text-anchor", "middle", "font-size", "10.5",
                        "font-style", "italic");
            }
            if (!input) {
                params += l.parameters();
                svg.text(cx, y + 95, String.format(Locale.ROOT, "%,d params", l.parameters()), "text-anchor", "middle",
                        "font-size", "10", "fill", "#6b7280");
            }
            svg.close("g");
            if (i > 0) {
                double x0 = x - BOX_GAP + 2;
                svg.line(x0, y + BOX_H / 2, x - 4, y + BOX_H / 2, "stroke", "#6b7280", "stroke-width", "1.5");
                svg.element("path", "d", "M" + Svg.num(x - 2) + "," + Svg.num(y + BOX_H / 2) + " l-7,-4 l0,8 z",
                        "fill", "#6b7280");
            }
        }
        svg.text(width / 2, height - MARGIN, String.format(Locale.ROOT, "%,d trainable parameters", params),
                "text-anchor", "middle", "font-size", "13", "font-weight", "bold");
        return svg.done();
    }

    // ---------------------------------------------------------------- filters

    /**
     * Each filter's first input channel as a grid of grey squares on one symmetric scale for all
     * filters (dark negative, mid-grey zero, light positive), so that their strengths compare.
     */
    static String filters(ModelView.FilterBank f) {
        int cols = Math.min(FILTER_COLUMNS, f.count());
        int rows = (f.count() + cols - 1) / cols;
        double tileW = Math.max(f.width() * CELL, 30) + 14;
        double tileH = f.height() * CELL + 26;
        double gridW = cols * tileW;
        double width = 2 * MARGIN + Math.max(gridW, 300);
        double height = 2 * MARGIN + 28 + rows * tileH + 40;
        float scale = 0;
        for (float w : f.kernel()) {
            scale = Math.max(scale, Math.abs(w));
        }
        Svg svg = new Svg(width, height, "Learned filters of " + f.layer());
        svg.text(MARGIN, MARGIN + 12, f.layer() + ": " + f.count() + " filters, " + f.height() + "×" + f.width()
                + (f.inChannels() > 1 ? " (input channel 0 of " + f.inChannels() + ")" : ""), "font-size", "14",
                "font-weight", "bold");
        double top = MARGIN + 28;
        for (int k = 0; k < f.count(); k++) {
            double x = MARGIN + (k % cols) * tileW + (tileW - f.width() * CELL) / 2;
            double y = top + (double) (k / cols) * tileH;
            svg.open("g", "class", "filter");
            svg.textElement("title", "filter " + k);
            for (int r = 0; r < f.height(); r++) {
                for (int c = 0; c < f.width(); c++) {
                    float w = f.weight(r, c, 0, k);
                    svg.rect(x + c * CELL, y + r * CELL, CELL, CELL, "class", "weight", "fill", grey(w, scale));
                }
            }
            svg.rect(x - 0.5, y - 0.5, f.width() * CELL + 1, f.height() * CELL + 1, "fill", "none", "stroke", "#9ca3af");
            svg.text(x + f.width() * CELL / 2, y + f.height() * CELL + 14, "#" + k, "text-anchor", "middle",
                    "font-size", "10", "fill", "#4b5563");
            svg.close("g");
        }
        // The scale: 11 steps from -max to +max.
        double by = height - MARGIN - 22;
        for (int i = 0; i <= 10; i++) {
            float v = scale * (i - 5) / 5f;
            svg.rect(MARGIN + 50 + i * 16, by, 16, 10, "fill", grey(v, scale));
        }
        svg.text(MARGIN + 44, by + 9, String.format(Locale.ROOT, "%.2f", -scale), "text-anchor", "end", "font-size", "10");
        svg.text(MARGIN + 50 + 11 * 16 + 6, by + 9, String.format(Locale.ROOT, "%.2f", scale), "font-size", "10");
        return svg.done();
    }

    /** Weight {@code w} on {@code [-scale, scale]} as a grey: black at -scale, white at +scale. */
    static String grey(float w, float scale) {
        double t = scale == 0 ? 0.5 : 0.5 + 0.5 * w / scale;
        int g = (int) Math.round(255 * Math.max(0, Math.min(1, t)));
        return String.format(Locale.ROOT, "#%02x%02x%02x", g, g, g);
    }

    // ---------------------------------------------------------------- feature maps

    /**
     * One row per digit: the digit, then its feature map in each kept channel, ink dark for strong
     * activation. Each channel is scaled by its own range over the digits shown, so a channel compares
     * across digits and a weak channel still shows its pattern.
     */
    static String featureMaps(ModelView.FeatureMaps m) {
        int n = m.digits().size();
        double labelW = 20;
        double width = 2 * MARGIN + labelW + (m.channels() + 1) * (MAP + MAP_GAP) + MAP_GAP;
        double height = 2 * MARGIN + 40 + n * (MAP + MAP_GAP);
        Svg svg = new Svg(width, height, "Feature maps of " + m.layer());
        double x0 = MARGIN + labelW;
        double top = MARGIN + 36;
        svg.text(x0 + MAP / 2, top - 8, "digit", "text-anchor", "middle", "font-size", "11", "font-weight", "bold");
        for (int c = 0; c < m.channels(); c++) {
            svg.text(x0 + (c + 1) * (MAP + MAP_GAP) + MAP_GAP + MAP / 2, top - 8, "ch " + c, "text-anchor", "middle",
                    "font-size", "11");
        }
        svg.text(MARGIN, MARGIN + 10, m.layer() + " output, " + m.height() + "×" + m.width() + " per channel", "font-size",
                "13", "font-weight", "bold");
        float[] lo = new float[m.channels()];
        float[] hi = new float[m.channels()];
        java.util.Arrays.fill(lo, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Float.NEGATIVE_INFINITY);
        for (float[] map : m.maps()) {
            for (int p = 0; p < map.length; p++) {
                int c = p % m.channels();
                lo[c] = Math.min(lo[c], map[p]);
                hi[c] = Math.max(hi[c], map[p]);
            }
        }
        for (int d = 0; d < n; d++) {
            double y = top + d * (MAP + MAP_GAP);
            svg.text(MARGIN + labelW - 4, y + MAP / 2 + 4, String.valueOf(d + 1), "text-anchor", "end", "font-size", "11",
                    "fill", "#6b7280");
            image(svg, "digit", x0, y, png(m.digits().get(d), m.imageSize(), m.imageSize(), 1, 0, 0f, 1f));
            for (int c = 0; c < m.channels(); c++) {
                double x = x0 + (c + 1) * (MAP + MAP_GAP) + MAP_GAP;
                image(svg, "map", x, y, png(m.maps().get(d), m.height(), m.width(), m.channels(), c, lo[c], hi[c]));
            }
        }
        return svg.done();
    }

    private static void image(Svg svg, String cls, double x, double y, String png) {
        svg.element("image", "class", cls, "x", Svg.num(x), "y", Svg.num(y), "width", Svg.num(MAP), "height", Svg.num(MAP),
                "preserveAspectRatio", "none", "image-rendering", "optimizeSpeed", "style", "image-rendering:pixelated",
                "xlink:href", "data:image/png;base64," + png);
        svg.rect(x - 0.5, y - 0.5, MAP + 1, MAP + 1, "fill", "none", "stroke", "#9ca3af");
    }

    /**
     * Channel {@code c} of an {@code (h, w, channels)} array as a grey PNG, base64-encoded: {@code lo}
     * white, {@code hi} black (all white when the range is empty).
     */
    static String png(float[] values, int h, int w, int channels, int c, float lo, float hi) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        float range = hi - lo;
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                float v = values[(r * w + col) * channels + c];
                double t = range > 0 ? (v - lo) / range : 0;
                raster.setSample(col, r, 0, (int) Math.round(255 * (1 - Math.max(0, Math.min(1, t)))));
            }
        }
        var bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: not expected
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
