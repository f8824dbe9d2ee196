package vecgrad.app.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The network as in the report's Figure 1: one column of units per layer, input to output. A layer
 * wider than {@value #SHOWN} units is drawn as its first and last units around a "⋮"; every drawn
 * unit is connected to every drawn unit of the next layer. Labels give each layer's width and
 * activation, and each weight matrix its shape and parameter count.
 */
final class NetworkDiagram {

    /** Layers up to this width are drawn whole. */
    static final int SHOWN = 10;
    private static final int HEAD = 6;
    private static final int TAIL = 2;
    private static final double W = 980;
    private static final double H = 490;
    private static final double PITCH = 32;
    private static final double R = 11;
    private static final double MID = 234;

    private NetworkDiagram() {
    }

    /** The rows (slot positions) drawn for a layer of {@code size} units; -1 marks the "⋮" slot. */
    static int[] drawnUnits(int size) {
        if (size <= SHOWN) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] u = new int[HEAD + 1 + TAIL];
        for (int i = 0; i < HEAD; i++) {
            u[i] = i;
        }
        u[HEAD] = -1;
        for (int i = 0; i < TAIL; i++) {
            u[HEAD + 1 + i] = size - TAIL + i;
        }
        return u;
    }

    static String svg(List<Integer> sizes) {
        return svg(sizes, 0, false);
    }

    /**
     * The network with {@code mnist --dropout} and {@code --batch-norm}: a hidden layer's label says
     * "batch norm → ReLU" and, above its name, "then dropout RATE", and batch normalization's scale and offset (2 per unit)
     * count among the trainable parameters (its moving mean and variance do not).
     */
    static String svg(List<Integer> sizes, double dropout, boolean batchNorm) {
        int layers = sizes.size();
        Svg svg = new Svg(W, H, "Network " + join(sizes));
        double x0 = 150;
        double x1 = W - 150;
        double[] xs = new double[layers];
        List<double[]> ys = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            xs[l] = layers == 1 ? (x0 + x1) / 2 : x0 + l * (x1 - x0) / (layers - 1);
            int[] units = drawnUnits(sizes.get(l));
            double[] y = new double[units.length];
            for (int i = 0; i < units.length; i++) {
                y[i] = MID + (i - (units.length - 1) / 2.0) * PITCH;
            }
            ys.add(y);
        }

        svg.open("g", "class", "connections", "stroke", "#94a3b8", "stroke-width", "0.7", "stroke-opacity", "0.55");
        for (int l = 0; l + 1 < layers; l++) {
            int[] a = drawnUnits(sizes.get(l));
            int[] b = drawnUnits(sizes.get(l + 1));
            for (int i = 0; i < a.length; i++) {
                for (int j = 0; j < b.length; j++) {
                    if (a[i] >= 0 && b[j] >= 0) {
                        svg.line(xs[l] + R, ys.get(l)[i], xs[l + 1] - R, ys.get(l + 1)[j]);
                    }
                }
            }
        }
        svg.close("g");

        long params = 0;
        for (int l = 0; l < layers; l++) {
            boolean input = l == 0;
            boolean output = l == layers - 1 && layers > 1;
            String fill = input ? "#dbeafe" : output ? "#fde68a" : "#d1fae5";
            String stroke = input ? "#1d4ed8" : output ? "#b45309" : "#047857";
            String name = input ? "input" : output ? "output" : "hidden " + l;
            int size = sizes.get(l);
            double top = ys.get(l)[0] - R;
            double bottom = ys.get(l)[ys.get(l).length - 1] + R;
            svg.text(xs[l], top - 36, name, "text-anchor", "middle", "font-size", "14", "font-weight", "bold");
            svg.text(xs[l], top - 18, String.format(Locale.ROOT, "%,d units", size), "text-anchor", "middle", "font-size", "13");
            String activation = input ? "28 × 28 pixels" : output ? "softmax" : batchNorm ? "batch norm → ReLU" : "ReLU";
            svg.text(xs[l], bottom + 24, activation, "text-anchor", "middle", "font-size", "13", "font-style", "italic",
                    "fill", stroke);
            if (!input && !output && dropout > 0) {
                // Above the layer's name: the weight labels below leave no room for a second line there.
                svg.text(xs[l], top - 54, "then dropout " + Json.number(dropout), "text-anchor", "middle", "font-size",
                        "12", "font-style", "italic", "fill", "#6b7280");
            }
            if (!input && !output && batchNorm) {
                params += 2L * size;   // gamma and beta
            }

            int[] units = drawnUnits(size);
            svg.open("g", "class", "units layer-" + l);
            for (int i = 0; i < units.length; i++) {
                double y = ys.get(l)[i];
                if (units[i] < 0) {
                    svg.text(xs[l], y + 6, "⋮", "text-anchor", "middle", "font-size", "20", "font-weight", "bold");
                    continue;
                }
                svg.circle(xs[l], y, R, "class", "unit", "fill", fill, "stroke", stroke, "stroke-width", "1.5");
                if (input) {
                    svg.text(xs[l] - R - 6, y + 4, "x" + (units[i] + 1), "text-anchor", "end", "font-size", "11");
                } else if (output) {
                    svg.text(xs[l] + R + 6, y + 4, "P(" + units[i] + ")", "font-size", "11");
                }
            }
            svg.close("g");

            if (l > 0) {
                int in = sizes.get(l - 1);
                long p = (long) in * size + size;
                params += p;
                double mx = (xs[l - 1] + xs[l]) / 2;
                svg.text(mx, H - 66, "W[" + l + "] " + in + "×" + size + ", b[" + l + "] " + size, "text-anchor", "middle",
                        "font-size", "12");
                svg.text(mx, H - 50, String.format(Locale.ROOT, "%,d parameters", p), "text-anchor", "middle",
                        "font-size", "11", "fill", "#4b5563");
            }
        }
        svg.text(W / 2, H - 18, String.format(Locale.ROOT, "%s: %,d trainable parameters", join(sizes), params),
                "text-anchor", "middle", "font-size", "13", "font-weight", "bold");
        return svg.done();
    }

    static String join(List<Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < sizes.size(); i++) {
            sb.append(i == 0 ? "" : "-").append(sizes.get(i));
        }
        return sb.toString();
    }
}
