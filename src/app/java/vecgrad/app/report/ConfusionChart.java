package vecgrad.app.report;

import java.util.Locale;

/**
 * The confusion matrix as a heat map: rows are true labels, columns predicted labels, each cell
 * shows its count (empty cells are 0). The colour follows log(1 + count) so that errors of a few
 * images stay visible next to a diagonal of about a thousand; a colour bar gives the scale and the
 * right column each digit's recall.
 */
final class ConfusionChart {

    private static final int N = RunConfig.CLASSES;
    private static final double CELL = 44;
    private static final double GX = 100;
    private static final double GY = 80;

    private ConfusionChart() {
    }

    static String svg(ConfusionMatrix cm) {
        double grid = N * CELL;
        double barX = GX + grid + 96;
        double width = barX + 90;
        double height = GY + grid + 60;
        Svg svg = new Svg(width, height, "Confusion matrix of the test set");
        int max = cm.max();
        double logMax = Math.log1p(Math.max(1, max));

        svg.text(GX + grid / 2, 28, "predicted label", "text-anchor", "middle", "font-size", "14", "font-weight", "bold");
        double ly = GY + grid / 2;
        svg.text(34, ly, "true label", "text-anchor", "middle", "font-size", "14", "font-weight", "bold",
                "transform", "rotate(-90 34 " + Svg.num(ly) + ")");
        for (int i = 0; i < N; i++) {
            svg.text(GX + (i + 0.5) * CELL, GY - 10, Integer.toString(i), "text-anchor", "middle", "font-size", "13");
            svg.text(GX - 12, GY + (i + 0.62) * CELL, Integer.toString(i), "text-anchor", "end", "font-size", "13");
        }
        svg.text(GX + grid + 44, GY - 10, "recall", "text-anchor", "middle", "font-size", "12", "fill", "#4b5563");

        svg.open("g", "class", "cells", "font-size", "11", "text-anchor", "middle");
        for (int t = 0; t < N; t++) {
            for (int p = 0; p < N; p++) {
                int c = cm.count(t, p);
                double level = Math.log1p(c) / logMax;
                double x = GX + p * CELL;
                double y = GY + t * CELL;
                svg.open("rect", "class", "cell", "x", Svg.num(x), "y", Svg.num(y), "width", Svg.num(CELL),
                        "height", Svg.num(CELL), "fill", Palette.blues(level), "stroke", "#ffffff", "stroke-width", "1");
                svg.textElement("title", "true " + t + ", predicted " + p + ": " + c);
                svg.close("rect");
                if (c > 0) {
                    svg.text(x + CELL / 2, y + CELL / 2 + 4, Integer.toString(c), "fill", level > 0.6 ? "#ffffff" : "#111827",
                            "font-weight", t == p ? "bold" : "normal");
                }
            }
        }
        svg.close("g");
        svg.rect(GX, GY, grid, grid, "fill", "none", "stroke", "#6b7280");

        int correct = 0;
        for (int t = 0; t < N; t++) {
            int row = cm.rowTotal(t);
            correct += cm.count(t, t);
            String recall = row == 0 ? "–" : String.format(Locale.ROOT, "%.1f%%", 100.0 * cm.count(t, t) / row);
            svg.text(GX + grid + 44, GY + (t + 0.62) * CELL, recall, "text-anchor", "middle", "font-size", "12");
        }
        int total = cm.total();
        String summary = total == 0 ? "no test images counted"
                : String.format(Locale.ROOT, "%,d of %,d test images correct (%.2f%%)", correct, total, 100.0 * correct / total);
        svg.text(GX + grid / 2, GY + grid + 32, summary, "text-anchor", "middle", "font-size", "13");

        colourBar(svg, barX, GY, grid, max, logMax);
        return svg.done();
    }

    private static void colourBar(Svg svg, double x, double y, double h, int max, double logMax) {
        int steps = 48;
        svg.text(x + 8, y - 10, "count", "text-anchor", "middle", "font-size", "12", "fill", "#4b5563");
        svg.open("g", "class", "colour-bar");
        for (int i = 0; i < steps; i++) {
            double t = (i + 0.5) / steps;
            svg.rect(x, y + h - (i + 1) * h / steps, 16, h / steps + 0.5, "fill", Palette.blues(t));
        }
        svg.close("g");
        svg.rect(x, y, 16, h, "fill", "none", "stroke", "#6b7280");
        for (int v = 0; v <= Math.max(1, max); v = v == 0 ? 1 : v * 10) {
            double ty = y + h - Math.log1p(v) / logMax * h;
            svg.line(x + 16, ty, x + 21, ty, "stroke", "#374151");
            svg.text(x + 24, ty + 4, Integer.toString(v), "font-size", "11");
        }
    }
}
