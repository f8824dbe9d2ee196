package vecgrad.app.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Loss and accuracy per epoch: two panels, one colour per method, training solid and validation
 * dashed. Lines of identical runs would hide each other, so each method also gets its own marker
 * shape and a thinner line than the one before it: coinciding curves show as nested bands.
 */
final class CurvesChart {

    private static final double W = 960;
    private static final double H = 400;
    private static final double TOP = 70;
    private static final double BOTTOM = 340;
    private static final double[][] PANELS_X = {{80, 450}, {570, 940}};

    private record Series(String title, ToDoubleFunction<EpochStats> value, boolean validation) {
    }

    private CurvesChart() {
    }

    static String svg(List<MethodResult> runs) {
        List<MethodResult> shown = firstPerName(runs);
        Svg svg = new Svg(W, H, "Loss and accuracy per epoch");
        legend(svg, shown);
        panel(svg, shown, 0, "loss", List.of(
                new Series("train loss", EpochStats::loss, false),
                new Series("validation loss", EpochStats::valLoss, true)));
        panel(svg, shown, 1, "accuracy", List.of(
                new Series("train accuracy", EpochStats::accuracy, false),
                new Series("validation accuracy", EpochStats::valAccuracy, true)));
        return svg.done();
    }

    /** The first run of each method name, in order: the curves of the main seed. */
    static List<MethodResult> firstPerName(List<MethodResult> runs) {
        var names = new LinkedHashSet<String>();
        List<MethodResult> out = new ArrayList<>();
        for (MethodResult r : runs) {
            if (names.add(r.name())) {
                out.add(r);
            }
        }
        return out;
    }

    private static double strokeWidth(int method) {
        return Math.max(1.25, 4.5 - 1.5 * method);
    }

    private static void legend(Svg svg, List<MethodResult> shown) {
        double x = 80;
        double y = 24;
        for (int m = 0; m < shown.size(); m++) {
            String c = Palette.series(m);
            svg.line(x, y, x + 28, y, "stroke", c, "stroke-width", Svg.num(strokeWidth(m)));
            marker(svg, m, x + 14, y, c, false);
            String name = shown.get(m).name();
            svg.text(x + 34, y + 4, name, "font-size", "13");
            x += 34 + 8.5 * name.length() + 26;
        }
        x += 10;
        svg.line(x, y, x + 28, y, "stroke", "#4b5563", "stroke-width", "2");
        svg.text(x + 34, y + 4, "training", "font-size", "13");
        x += 34 + 8.5 * 8 + 20;
        svg.line(x, y, x + 28, y, "stroke", "#4b5563", "stroke-width", "2", "stroke-dasharray", "6 4");
        svg.text(x + 34, y + 4, "validation (hollow markers)", "font-size", "13");
    }

    private static void panel(Svg svg, List<MethodResult> shown, int index, String metric, List<Series> series) {
        double x0 = PANELS_X[index][0];
        double x1 = PANELS_X[index][1];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int firstEpoch = Integer.MAX_VALUE;
        int lastEpoch = Integer.MIN_VALUE;
        for (MethodResult r : shown) {
            for (EpochStats e : r.history()) {
                firstEpoch = Math.min(firstEpoch, e.epoch());
                lastEpoch = Math.max(lastEpoch, e.epoch());
                for (Series s : series) {
                    double v = s.value().applyAsDouble(e);
                    if (Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
            }
        }
        svg.text((x0 + x1) / 2, TOP - 14, metric, "font-size", "14", "font-weight", "bold", "text-anchor", "middle");
        if (min > max) {
            svg.rect(x0, TOP, x1 - x0, BOTTOM - TOP, "fill", "none", "stroke", "#9ca3af");
            svg.text((x0 + x1) / 2, (TOP + BOTTOM) / 2, "no " + metric + " values", "text-anchor", "middle", "fill", "#6b7280");
            return;
        }
        Ticks yt = Ticks.of(min, max, 6);
        double eLo = firstEpoch == lastEpoch ? firstEpoch - 1 : firstEpoch;
        double eHi = firstEpoch == lastEpoch ? lastEpoch + 1 : lastEpoch;
        Ticks xt = Ticks.integers(firstEpoch, lastEpoch, 12);
        double padX = 12;
        Scale sx = new Scale(eLo, eHi, x0 + padX, x1 - padX);
        Scale sy = new Scale(yt.lo(), yt.hi(), BOTTOM, TOP);

        svg.open("g", "class", "axes");
        for (double v : yt.values) {
            double y = sy.at(v);
            svg.line(x0, y, x1, y, "stroke", "#e5e7eb");
            svg.text(x0 - 8, y + 4, yt.label(v), "text-anchor", "end", "font-size", "11");
        }
        for (double v : xt.values) {
            double x = sx.at(v);
            svg.line(x, BOTTOM, x, BOTTOM + 5, "stroke", "#374151");
            svg.text(x, BOTTOM + 19, xt.label(v), "text-anchor", "middle", "font-size", "11");
        }
        svg.line(x0, BOTTOM, x1, BOTTOM, "stroke", "#374151");
        svg.line(x0, TOP, x0, BOTTOM, "stroke", "#374151");
        svg.text((x0 + x1) / 2, BOTTOM + 40, "epoch", "text-anchor", "middle", "font-size", "13");
        double ly = (TOP + BOTTOM) / 2;
        svg.text(x0 - 52, ly, metric, "text-anchor", "middle", "font-size", "13",
                "transform", "rotate(-90 " + Svg.num(x0 - 52) + " " + Svg.num(ly) + ")");
        svg.close("g");

        for (int m = 0; m < shown.size(); m++) {
            MethodResult r = shown.get(m);
            String colour = Palette.series(m);
            for (Series s : series) {
                List<double[]> pts = new ArrayList<>();
                for (EpochStats e : r.history()) {
                    double v = s.value().applyAsDouble(e);
                    if (Double.isFinite(v)) {
                        pts.add(new double[] {sx.at(e.epoch()), sy.at(v)});
                    }
                }
                if (pts.isEmpty()) {
                    continue;
                }
                double[] xs = pts.stream().mapToDouble(p -> p[0]).toArray();
                double[] ys = pts.stream().mapToDouble(p -> p[1]).toArray();
                String cls = "series " + metric + (s.validation() ? " validation" : " training");
                if (s.validation()) {
                    svg.polyline(xs, ys, r.name() + ", " + s.title(), "class", cls, "stroke", colour,
                            "stroke-width", Svg.num(strokeWidth(m)), "stroke-dasharray", "6 4", "stroke-linejoin", "round");
                } else {
                    svg.polyline(xs, ys, r.name() + ", " + s.title(), "class", cls, "stroke", colour,
                            "stroke-width", Svg.num(strokeWidth(m)), "stroke-linejoin", "round");
                }
                for (int i = 0; i < xs.length; i++) {
                    marker(svg, m, xs[i], ys[i], colour, s.validation());
                }
            }
        }
    }

    /** Method {@code m}'s marker: circle, square, triangle, diamond, ...; hollow for validation. */
    private static void marker(Svg svg, int m, double x, double y, String colour, boolean hollow) {
        String fill = hollow ? "#ffffff" : colour;
        double r = 4.5;
        switch (m % 4) {
            case 0 -> svg.circle(x, y, r, "fill", fill, "stroke", colour, "stroke-width", "1.5");
            case 1 -> svg.rect(x - r, y - r, 2 * r, 2 * r, "fill", fill, "stroke", colour, "stroke-width", "1.5");
            case 2 -> svg.element("polygon", "points", pts(x, y - r - 1, x + r + 1, y + r, x - r - 1, y + r),
                    "fill", fill, "stroke", colour, "stroke-width", "1.5");
            default -> svg.element("polygon", "points", pts(x, y - r - 1, x + r + 1, y, x, y + r + 1, x - r - 1, y),
                    "fill", fill, "stroke", colour, "stroke-width", "1.5");
        }
    }

    private static String pts(double... xy) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < xy.length; i += 2) {
            sb.append(i == 0 ? "" : " ").append(Svg.num(xy[i])).append(',').append(Svg.num(xy[i + 1]));
        }
        return sb.toString();
    }

    /** A linear map from data to pixels. */
    private record Scale(double d0, double d1, double p0, double p1) {
        double at(double v) {
            return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
        }
    }
}
