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
 * @param dropout      the rate of the Dropout layer after each hidden layer, or 0 for none
 * @param batchNorm    whether each hidden layer normalises its batch before the ReLU
 * @param model        {@code "mlp"}, the network of {@code hidden} Dense layers, or {@code "cnn"}, Keras' Simple
 *                     MNIST convnet (then {@code hidden} is empty)
 */
public record RunConfig(
        List<Integer> hidden,
        int epochs,
        int batchSize,
        double learningRate,
        long seed,
        int threads,
        String jdk,
        String kernels,
        double dropout,
        boolean batchNorm,
        String model) {

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
        if (!"mlp".equals(model) && !"cnn".equals(model)) {
            throw new IllegalArgumentException("expected the model mlp or cnn, got " + model);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("expected a dropout rate in [0, 1), got " + dropout);
        }
    }

    /** The report's network: no dropout, no batch normalization. */
    public RunConfig(List<Integer> hidden, int epochs, int batchSize, double learningRate, long seed, int threads,
                     String jdk, String kernels) {
        this(hidden, epochs, batchSize, learningRate, seed, threads, jdk, kernels, 0, false);
    }

    /**
     * An mlp run with the regularisers of {@code mnist --dropout} and {@code --batch-norm}.
     *
     * @param hidden       hidden-layer widths, input to output
     * @param epochs       passes over the training set
     * @param batchSize    examples per gradient step
     * @param learningRate the optimizer's step size
     * @param seed         the main seed
     * @param threads      worker threads of the kernels
     * @param jdk          the Java runtime
     * @param kernels      the kernel implementation's name
     * @param dropout      the rate of the Dropout layer after each hidden layer, or 0 for none
     * @param batchNorm    whether each hidden layer normalises its batch before the ReLU
     * @throws IllegalArgumentException as the canonical constructor
     */
    public RunConfig(List<Integer> hidden, int epochs, int batchSize, double learningRate, long seed, int threads,
                     String jdk, String kernels, double dropout, boolean batchNorm) {
        this(hidden, epochs, batchSize, learningRate, seed, threads, jdk, kernels, dropout, batchNorm, "mlp");
    }

    /**
     * What each hidden layer holds besides its ReLU, for labels: {@code ""}, {@code "batch norm"},
     * {@code "dropout 0.2"} or {@code "batch norm, dropout 0.2"}.
     */
    public String regularisers() {
        return regularisers(dropout, batchNorm);
    }

    /** {@link #regularisers()} of these settings, for text written before a RunConfig exists. */
    public static String regularisers(double dropout, boolean batchNorm) {
        String bn = batchNorm ? "batch norm" : "";
        String d = dropout > 0 ? "dropout " + Json.number(dropout) : "";
        return bn.isEmpty() ? d : d.isEmpty() ? bn : bn + ", " + d;
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
