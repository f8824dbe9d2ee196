package vecgrad.app.report;

import java.util.List;
import java.util.Objects;

/**
 * The settings shared by every run of an experiment.
 *
 * @param hidden       hidden-layer widths, input to output (e.g. {@code [256, 128, 64]}); the input
 *                     (784) and output (10) layers are fixed by MNIST
 * @param epochs       passes over the training set
 * @param batchSize    examples per gradient step
 * @param learningRate the optimizer's step size
 * @param seed         the main seed (runs may use others for a multi-seed summary)
 * @param threads      worker threads of the kernels
 * @param jdk          the Java runtime, e.g. {@code "17.0.15+6"}
 * @param kernels      the kernel implementation's name, e.g. {@code "simd-512"}
 */
public record RunConfig(
        List<Integer> hidden,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        int threads,
        String jdk,
        String kernels) {

    /** Pixels of an MNIST image: the input width of the network. */
    public static final int INPUTS = 784;
    /** Digit classes: the output width of the network. */
    public static final int CLASSES = 10;

    /** Checks every field; the list is copied. */
    public RunConfig {
        Objects.requireNonNull(hidden, "hidden");
        hidden = List.copyOf(hidden);
        for (int h : hidden) {
            if (h <= 0) {
                throw new IllegalArgumentException("expected positive hidden-layer widths, got " + hidden);
            }
        }
        Checks.positive("epochs", epochs);
        Checks.positive("batchSize", batchSize);
        Checks.positive("threads", threads);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("expected a finite learningRate > 0, got " + learningRate);
        }
        Objects.requireNonNull(jdk, "jdk");
        Objects.requireNonNull(kernels, "kernels");
    }

    /** All layer widths from input to output: {@code [784, hidden..., 10]}. */
    public List<Integer> layerSizes() {
        var sizes = new java.util.ArrayList<Integer>();
        sizes.add(INPUTS);
        sizes.addAll(hidden);
        sizes.add(CLASSES);
        return List.copyOf(sizes);
    }
}
