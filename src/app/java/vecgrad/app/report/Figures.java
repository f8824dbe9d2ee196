package vecgrad.app.report;

import java.util.List;
import java.util.Objects;
import vecgrad.autodiff.ComputationGraph;

/**
 * The report's figures one at a time, each a standalone SVG 1.1 document (or DOT text), the same
 * bytes for the same data. {@link Report#writeAll} writes them all; use these for a single figure.
 */
public final class Figures {

    private Figures() {
    }

    /**
     * Loss and accuracy per epoch, training and validation, one line per method (the first run of
     * each method name, so one seed per method).
     *
     * @throws IllegalArgumentException if {@code runs} is empty
     */
    public static String curves(List<MethodResult> runs) {
        Objects.requireNonNull(runs, "runs");
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("expected at least one run to plot, got none");
        }
        runs.forEach(r -> Objects.requireNonNull(r, "run"));
        return CurvesChart.svg(runs);
    }

    /** The confusion matrix as a 10 x 10 heat map with counts, recall per digit and a colour bar. */
    public static String confusion(ConfusionMatrix matrix) {
        return ConfusionChart.svg(Objects.requireNonNull(matrix, "matrix"));
    }

    /** A grid of misclassified digits with "true 7 / pred 2" captions; a short note if the list is empty. */
    public static String misclassified(List<Misclassified> digits) {
        Objects.requireNonNull(digits, "digits");
        digits.forEach(d -> Objects.requireNonNull(d, "digit"));
        return DigitGrid.svg(digits);
    }

    /**
     * The network diagram (the report's Figure 1).
     *
     * @param layerSizes every layer's width from input to output, e.g. {@code [784, 256, 128, 64, 10]}
     * @throws IllegalArgumentException if there are fewer than two layers or a width is not positive
     */
    public static String network(List<Integer> layerSizes) {
        Objects.requireNonNull(layerSizes, "layerSizes");
        if (layerSizes.size() < 2) {
            throw new IllegalArgumentException("expected at least an input and an output layer, got " + layerSizes);
        }
        for (Integer s : layerSizes) {
            if (s == null || s <= 0) {
                throw new IllegalArgumentException("expected positive layer widths, got " + layerSizes);
            }
        }
        return NetworkDiagram.svg(List.copyOf(layerSizes));
    }

    /**
     * A computation graph drawn top to bottom by a layered layout.
     *
     * @param title    the heading drawn above the graph
     * @param idPrefix prefix for the document's element ids (letters, digits, '-', '_'), so that two
     *                 graphs can share an HTML page; e.g. {@code "forward-"}
     * @throws IllegalArgumentException if the id prefix has other characters or the graph has a cycle
     */
    public static String graph(ComputationGraph graph, String title, String idPrefix) {
        Objects.requireNonNull(graph, "graph");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(idPrefix, "idPrefix");
        if (!idPrefix.matches("[A-Za-z][A-Za-z0-9_-]*|")) {
            throw new IllegalArgumentException("expected an id prefix of letters, digits, '-' or '_' starting with a letter, got '"
                    + idPrefix + "'");
        }
        return GraphSvg.svg(graph, title, idPrefix);
    }


    /**
     * The network diagram of any model: one box per layer with its output shape (e.g. {@code 26×26×32}),
     * kernel or pool size, activation and parameter count.
     *
     * @param model the model's view, from {@link ModelView#of}
     * @return the SVG document
     */
    public static String network(ModelView model) {
        return ConvFigures.network(Objects.requireNonNull(model, "model"));
    }

    /**
     * A convolution's learned filters, each kernel a small grey grid (one square per weight).
     *
     * @param filters the kernels
     * @return the SVG document
     */
    public static String filters(ModelView.FilterBank filters) {
        return ConvFigures.filters(Objects.requireNonNull(filters, "filters"));
    }

    /**
     * A convolution's feature maps: one row per digit, the digit then one image per channel.
     *
     * @param maps the digits and their feature maps
     * @return the SVG document
     */
    public static String featureMaps(ModelView.FeatureMaps maps) {
        return ConvFigures.featureMaps(Objects.requireNonNull(maps, "maps"));
    }
}
