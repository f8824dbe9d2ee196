package vecgrad.app.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vecgrad.io.AtomicFile;

/**
 * Writes an experiment's report files. {@link #writeAll} is the entry point of {@code mnist.jar}.
 */
public final class Report {

    /** The files {@link #writeAll} writes, in order. */
    public static final List<String> FILES = List.of(
            "results.json", "network.svg", "forward.svg", "backward.svg", "forward.dot", "backward.dot",
            "curves.svg", "confusion.svg", "misclassified.svg", "report.html");

    /** The files {@link #writeAll} adds for a convnet ({@link ModelView#convolutional()}), when the view has them. */
    public static final List<String> CONVNET_FILES = List.of("filters.svg", "feature-maps.svg");

    private Report() {
    }

    /**
     * Writes every file of {@link #FILES} into {@code dir} (created if missing), each atomically:
     * a temporary file in {@code dir}, then a rename over the target.
     *
     * @return the paths written, in the order of {@link #FILES}, then those of {@link #CONVNET_FILES} it has
     * @throws IllegalArgumentException if {@code dir} exists and is not a directory
     * @throws IOException              if a file cannot be written
     */
    public static List<Path> writeAll(ExperimentReport report, Path dir) throws IOException {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(dir, "dir");
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("expected an output directory, got a file: " + dir);
        }
        Files.createDirectories(dir);
        Map<String, String> svgs = figures(report);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("results.json", json(report));
        files.put("network.svg", svgs.get("network"));
        files.put("forward.svg", svgs.get("forward"));
        files.put("backward.svg", svgs.get("backward"));
        files.put("forward.dot", report.forward().toDot());
        files.put("backward.dot", report.backward().toDot());
        files.put("curves.svg", svgs.get("curves"));
        files.put("confusion.svg", svgs.get("confusion"));
        files.put("misclassified.svg", svgs.get("misclassified"));
        files.put("report.html", HtmlPage.of(report, svgs));
        if (svgs.containsKey("filters")) {
            files.put("filters.svg", svgs.get("filters"));
        }
        if (svgs.containsKey("feature-maps")) {
            files.put("feature-maps.svg", svgs.get("feature-maps"));
        }
        List<Path> written = new ArrayList<>();
        for (var f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            AtomicFile.writeString(p, f.getValue());
            written.add(p);
        }
        return List.copyOf(written);
    }

    /**
     * The {@code results.json} text:
     * <pre>{@code
     * {"config": {"hidden": [256, 128, 64], "epochs": 5, "batchSize": 128, "learningRate": 0.001,
     *             "seed": 42, "threads": 2, "jdk": "...", "kernels": "simd-512"},
     *  "methods": [{"name": "tape", "seed": 42, "testAccuracy": 0.98, "testLoss": 0.07,
     *               "bestValAccuracy": 0.98, "trainSeconds": 1.2, "samplesPerSecond": 200000.0,
     *               "history": [{"epoch": 1, "loss": 0.3, "accuracy": 0.91, "valLoss": 0.1,
     *                            "valAccuracy": 0.96, "seconds": 0.3}, ...]}, ...],
     *  "maxWeightDifference": {"tape-fit": 0.0, ...},
     *  "summary": {"tape": {"seeds": 3, "testAccuracy": {"mean": ..., "std": ...},
     *                       "testLoss": {"mean": ..., "std": ...}}, ...},   (only with several seeds)
     *  "evaluatedMethod": "fit",   (the model behind the confusion matrix and the misclassified digits)
     *  "confusionMatrix": [[...10 counts...], ...10 rows, row = true label],
     *  "misclassified": [{"index": 8, "trueLabel": 5, "predictedLabel": 6, "probability": 0.71}, ...]}
     * }</pre>
     * A value that is NaN or infinite (not measured, or diverged) is written as {@code null}, since
     * JSON has no such numbers. A value that is exactly a float32 is written with the float's
     * shortest decimal form.
     */
    public static String json(ExperimentReport report) {
        return ResultsJson.of(Objects.requireNonNull(report, "report"));
    }

    /** Writes {@link #json} to {@code file} atomically. */
    public static void writeJson(ExperimentReport report, Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        AtomicFile.writeString(file, json(report));
    }

    /** The self-contained {@code report.html} page. */
    public static String html(ExperimentReport report) {
        Objects.requireNonNull(report, "report");
        return HtmlPage.of(report, figures(report));
    }

    private static Map<String, String> figures(ExperimentReport r) {
        Map<String, String> svgs = new LinkedHashMap<>();
        svgs.put("curves", CurvesChart.svg(r.methods()));
        svgs.put("confusion", ConfusionChart.svg(r.confusion()));
        svgs.put("misclassified", DigitGrid.svg(r.misclassified()));
        ModelView model = r.model();
        boolean convnet = model != null && model.convolutional();
        svgs.put("network", convnet ? ConvFigures.network(model)
                : NetworkDiagram.svg(r.config().layerSizes(), r.config().dropout(), r.config().batchNorm()));
        if (convnet && model.filters() != null) {
            svgs.put("filters", ConvFigures.filters(model.filters()));
        }
        if (convnet && model.featureMaps() != null) {
            svgs.put("feature-maps", ConvFigures.featureMaps(model.featureMaps()));
        }
        svgs.put("forward", GraphSvg.svg(r.forward(), "Forward pass: one training step", "forward-"));
        svgs.put("backward", GraphSvg.svg(r.backward(), "Backward pass: gradients of the loss", "backward-"));
        return svgs;
    }
}
