package vecgrad.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training command's settings, from the command line; the defaults are the report's experiment.
 *
 * @param help         whether {@code --help} was asked (the other fields are then the defaults)
 * @param data         the {@code --data} folder, or null for {@code $MNIST_DIR} or the default
 * @param epochs       passes over the training set, 1 to {@link #MAX_EPOCHS}
 * @param batchSize    samples per step, 1 to {@link #MAX_BATCH}
 * @param hidden       hidden-layer widths, 1 to {@link #MAX_LAYERS} of them, each 1 to {@link #MAX_WIDTH}, at most
 *                     {@link #MAX_PARAMETERS} parameters in the network
 * @param learningRate Adam's learning rate, finite and > 0
 * @param seed         the first seed (weights and batch order)
 * @param seeds        how many seeds, from {@code seed} up, 1 to {@link #MAX_SEEDS}
 * @param methods      the methods to run, in order, at least one, distinct
 * @param threads      kernel threads, 1 to {@link #MAX_THREADS}, or 0 for the default
 * @param trainLimit   use the first N training samples (before the validation split), or 0 for all
 * @param testLimit    use the first N test samples, or 0 for all
 * @param out          the report folder
 * @param save         where to save the trained weights, or null
 * @param quiet        print only the results
 * @param dropout      the rate of a Dropout layer after each hidden layer, or 0 for none
 * @param batchNorm    whether each hidden layer is Dense, BatchNormalization, then ReLU
 * @param model        {@link #MLP}, the report's network of {@code hidden} Dense layers, or {@link #CNN}, Keras'
 *                     Simple MNIST convnet ({@link Trainer#convnet(long)}), which takes no {@code hidden},
 *                     {@code dropout} or {@code batchNorm} and no {@link Method#MANUAL}
 */
record TrainOptions(boolean help, String data, int epochs, int batchSize, List<Integer> hidden, float learningRate,
                    long seed, int seeds, List<Method> methods, int threads, int trainLimit, int testLimit,
                    String out, String save, boolean quiet, double dropout, boolean batchNorm, String model) {

    /*
     * Every number is range-checked here, before anything is allocated or trained: a typo or a hostile
     * value must end in one usage line, not in an int overflow, an OutOfMemoryError minutes later or a
     * run that never ends. The bounds are far beyond any real experiment with this program (the report
     * trains 5 epochs of batch 128 on a 242,762-parameter network), so they only stop mistakes.
     */

    /** {@code --model mlp}: the report's multilayer perceptron. */
    static final String MLP = "mlp";
    /** {@code --model cnn}: Keras' Simple MNIST convnet. */
    static final String CNN = "cnn";
    /**
     * The convnet's largest per-sample array, in floats: the second convolution's patches, 11 x 11 output
     * positions of 3 x 3 x 32 inputs (im2col), above the first one's 26 x 26 x 32 activations.
     */
    static final long CNN_WIDEST = 11 * 11 * 3 * 3 * 32;

    /** Training samples at least, so that the 10% validation split leaves both parts non-empty. */
    static final int MIN_TRAIN = 10;
    /** More kernel threads than this is a typo, not a machine. */
    static final int MAX_THREADS = 1024;
    /** An MNIST epoch takes seconds, so 10,000 of them already take days per method and seed. */
    static final int MAX_EPOCHS = 10_000;
    /** Each seed trains every method afresh; 100 seeds already give a tight mean ± std. */
    static final int MAX_SEEDS = 100;
    /**
     * 2^16: above MNIST's 60,000 training images, so the whole set in one batch stays possible. A batch
     * larger than the training set is one batch per epoch, which the trainer handles.
     */
    static final int MAX_BATCH = 65_536;
    /** 2^16 units in a hidden layer: a 784-65536-10 network still passes {@link #MAX_PARAMETERS}. */
    static final int MAX_WIDTH = 65_536;
    /** A multilayer perceptron on 28 x 28 digits gains nothing from more hidden layers than this. */
    static final int MAX_LAYERS = 16;
    /**
     * The network's weights and biases at most. Each model trained holds a parameter several times as a
     * float (weights, gradient, Adam's two moments), and the models of every method are kept until the
     * seed's weight comparison: measured, a 6.5-million-parameter network trained with all three methods
     * needs 260 to 295 MiB of heap, so about {@link #BYTES_PER_PARAMETER} bytes each, and 100 million
     * parameters about 4.8 GB. A network between what the heap holds and this limit ends in the
     * one-line out-of-memory message, which names -Xmx.
     */
    static final long MAX_PARAMETERS = 100_000_000;
    /** Heap bytes per parameter of a three-method run, as measured for {@link #MAX_PARAMETERS}. */
    static final int BYTES_PER_PARAMETER = 48;
    /**
     * The largest Java array, in floats. One layer's activations for a batch are one array of batch x
     * width floats, so a product above this cannot even be allocated, whatever the heap.
     */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    static final TrainOptions DEFAULTS = new TrainOptions(false, null, 5, 128, List.of(256, 128, 64), 1e-3f, 42, 1,
            List.of(Method.TAPE, Method.FIT, Method.MANUAL), 0, 0, 0, "out", null, false, 0, false, MLP);

    TrainOptions {
        hidden = List.copyOf(hidden);
        methods = List.copyOf(methods);
    }

    /** Parses the training command's arguments from {@code args}, which also records {@code --debug}. */
    static TrainOptions parse(CommandLine args) throws CommandException {
        TrainOptions d = DEFAULTS;
        String data = d.data;
        int epochs = d.epochs;
        int batchSize = d.batchSize;
        List<Integer> hidden = d.hidden;
        float learningRate = d.learningRate;
        long seed = d.seed;
        int seeds = d.seeds;
        List<Method> methods = d.methods;
        int threads = d.threads;
        int trainLimit = d.trainLimit;
        int testLimit = d.testLimit;
        String out = d.out;
        String save = d.save;
        boolean quiet = d.quiet;
        double dropout = d.dropout;
        boolean batchNorm = d.batchNorm;
        String model = d.model;
        List<String> mlpOnly = new ArrayList<>();
        boolean methodsGiven = false;
        while (args.advance()) {
            if (!args.isOption()) {
                throw args.unexpected();
            }
            switch (args.current()) {
                case "-h", "--help" -> {
                    args.noValue();
                    return DEFAULTS.withHelp();
                }
                case "--data" -> data = args.text("a folder");
                case "--epochs" -> epochs = args.intBetween(1, MAX_EPOCHS);
                case "--batch-size" -> batchSize = args.intBetween(1, MAX_BATCH);
                case "--hidden" -> {
                    hidden = args.intsBetween(MAX_LAYERS, 1, MAX_WIDTH);
                    mlpOnly.add("--hidden");
                }
                case "--model" -> {
                    String v = args.text("mlp or cnn");
                    if (!v.equals(MLP) && !v.equals(CNN)) {
                        throw CommandException.usage("--model expects mlp or cnn, got '" + v + "'");
                    }
                    model = v;
                }
                case "--lr" -> learningRate = args.positiveFloat();
                case "--seed" -> seed = args.anyLong();
                case "--seeds" -> seeds = args.intBetween(1, MAX_SEEDS);
                case "--methods" -> {
                    List<Method> chosen = new ArrayList<>();
                    for (String id : args.choices(Method.ids())) {
                        chosen.add(Method.of(id));
                    }
                    methods = chosen;
                    methodsGiven = true;
                }
                case "--dropout" -> {
                    dropout = args.fraction();
                    mlpOnly.add("--dropout");
                }
                case "--batch-norm" -> {
                    args.noValue();
                    batchNorm = true;
                    mlpOnly.add("--batch-norm");
                }
                case "--threads" -> threads = args.intBetween(1, MAX_THREADS);
                case "--train-limit" -> trainLimit = args.intBetween(MIN_TRAIN, Integer.MAX_VALUE);
                case "--test-limit" -> testLimit = args.intBetween(1, Integer.MAX_VALUE);
                case "--out" -> out = args.text("a folder");
                case "--save" -> save = args.text("a file name");
                case "-q", "--quiet" -> {
                    args.noValue();
                    quiet = true;
                }
                default -> throw args.unexpected();
            }
        }
        if (seed > Long.MAX_VALUE - (seeds - 1)) {
            throw CommandException.usage("--seed " + seed + " with --seeds " + seeds + " runs past the largest seed, "
                    + Long.MAX_VALUE);
        }
        if (model.equals(CNN)) {
            // The convnet is Keras' example as it stands: its layers and its Dropout(0.5) are fixed.
            if (!mlpOnly.isEmpty()) {
                throw CommandException.usage(String.join(" and ", mlpOnly) + " shape the mlp's Dense layers: expected"
                        + " none with --model cnn, which is Keras' fixed Simple MNIST convnet");
            }
            if (methods.contains(Method.MANUAL)) {
                if (methodsGiven) {
                    throw CommandException.usage("--methods manual runs the report's equations for Dense layers only:"
                            + " it cannot train --model cnn; use tape,fit");
                }
                methods = List.of(Method.TAPE, Method.FIT);
            }
            checkActivations(batchSize, trainLimit, CNN_WIDEST, "the convnet's %d values per sample (its second convolution's patches)");
            return new TrainOptions(false, data, epochs, batchSize, List.of(), learningRate, seed, seeds, methods,
                    threads, trainLimit, testLimit, out, save, quiet, 0, false, CNN);
        }
        checkNetwork(hidden, batchSize, trainLimit);
        if (dropout > 0 || batchNorm) {
            // The hand-derived equations are the report's Dense layers only.
            if (methods.contains(Method.MANUAL)) {
                if (methodsGiven) {
                    throw CommandException.usage("--methods manual runs the report's equations for Dense layers only:"
                            + " it cannot train with --dropout or --batch-norm; use tape,fit");
                }
                methods = List.of(Method.TAPE, Method.FIT);
            }
        }
        return new TrainOptions(false, data, epochs, batchSize, hidden, learningRate, seed, seeds, methods, threads,
                trainLimit, testLimit, out, save, quiet, dropout, batchNorm, MLP);
    }

    /** Parses the training command's arguments. */
    static TrainOptions parse(List<String> argList) throws CommandException {
        return parse(new CommandLine(argList));
    }

    /** The weights and biases of the 784-h1-...-hk-10 network; in long, so that no widths can overflow it. */
    static long parameters(List<Integer> hidden) {
        long count = 0;
        long in = 784;
        for (int width : hidden) {
            count = Math.addExact(count, Math.addExact(Math.multiplyExact(in, width), width));
            in = width;
        }
        return Math.addExact(count, in * 10 + 10);
    }

    /**
     * Refuses a network too large for {@link #MAX_PARAMETERS}, or whose activations for one batch cannot
     * be one array. The batch is at most the training set, so a {@code --train-limit} below the batch size
     * is the batch that counts.
     */
    private static void checkNetwork(List<Integer> hidden, int batchSize, int trainLimit) throws CommandException {
        long parameters = parameters(hidden);
        if (parameters > MAX_PARAMETERS) {
            throw CommandException.usage(String.format(Locale.ROOT, "--hidden %s makes a network of %,d parameters;"
                    + " expected at most %,d, which need about %.1f GB of heap at %d bytes each", join(hidden), parameters,
                    MAX_PARAMETERS, MAX_PARAMETERS * BYTES_PER_PARAMETER / 1e9, BYTES_PER_PARAMETER));
        }
        int widest = 784;
        for (int width : hidden) {
            widest = Math.max(widest, width);
        }
        checkActivations(batchSize, trainLimit, widest, "a layer of %d units (--hidden)");
    }

    /** Refuses a batch whose widest per-sample array ({@code widest} floats; {@code what} says it, with a %d) overflows an array. */
    private static void checkActivations(int batchSize, int trainLimit, long widest, String what) throws CommandException {
        long batch = trainLimit > 0 ? Math.min(batchSize, trainLimit) : batchSize;
        long activations = batch * widest;
        if (activations > MAX_ARRAY) {
            throw CommandException.usage(String.format(Locale.ROOT, "a batch of %d samples (--batch-size) and "
                    + what + " make %,d activations; expected at most %,d"
                    + " (the largest Java array)", batch, widest, activations, MAX_ARRAY));
        }
    }

    private static String join(List<Integer> values) {
        StringBuilder sb = new StringBuilder();
        for (int v : values) {
            sb.append(sb.length() == 0 ? "" : ",").append(v);
        }
        return sb.toString();
    }

    private TrainOptions withHelp() {
        return new TrainOptions(true, data, epochs, batchSize, hidden, learningRate, seed, seeds, methods, threads,
                trainLimit, testLimit, out, save, quiet, dropout, batchNorm, model);
    }

    /** Whether this is {@code --model cnn}. */
    boolean cnn() {
        return model.equals(CNN);
    }

    /** The seeds to run: {@code seed .. seed + seeds - 1}. */
    long[] seedList() {
        long[] list = new long[seeds];
        for (int i = 0; i < seeds; i++) {
            list[i] = seed + i;
        }
        return list;
    }
}
