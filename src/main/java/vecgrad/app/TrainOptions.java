package vecgrad.app;

import java.util.ArrayList;
import java.util.List;

/**
 * The training command's settings, from the command line; the defaults are the report's experiment.
 *
 * @param help         whether {@code --help} was asked (the other fields are then the defaults)
 * @param data         the {@code --data} folder, or null for {@code $MNIST_DIR} or the default
 * @param epochs       passes over the training set, >= 1
 * @param batchSize    samples per step, >= 1
 * @param hidden       hidden-layer widths, at least one
 * @param learningRate Adam's learning rate, > 0
 * @param seed         the first seed (weights and batch order)
 * @param seeds        how many seeds, from {@code seed} up, >= 1
 * @param methods      the methods to run, in order, at least one, distinct
 * @param threads      kernel threads, or 0 for the default
 * @param trainLimit   use the first N training samples (before the validation split), or 0 for all
 * @param testLimit    use the first N test samples, or 0 for all
 * @param out          the report folder
 * @param save         where to save the trained weights, or null
 * @param quiet        print only the results
 */
record TrainOptions(boolean help, String data, int epochs, int batchSize, List<Integer> hidden, float learningRate,
                    long seed, int seeds, List<Method> methods, int threads, int trainLimit, int testLimit,
                    String out, String save, boolean quiet) {

    /** Training samples at least, so that the 10% validation split leaves both parts non-empty. */
    static final int MIN_TRAIN = 10;
    /** More kernel threads than this is a typo, not a machine. */
    static final int MAX_THREADS = 1024;

    static final TrainOptions DEFAULTS = new TrainOptions(false, null, 5, 128, List.of(256, 128, 64), 1e-3f, 42, 1,
            List.of(Method.TAPE, Method.FIT, Method.MANUAL), 0, 0, 0, "out", null, false);

    TrainOptions {
        hidden = List.copyOf(hidden);
        methods = List.copyOf(methods);
    }

    /** Parses the training command's arguments. */
    static TrainOptions parse(List<String> argList) throws CommandException {
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
        CommandLine args = new CommandLine(argList);
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
                case "--epochs" -> epochs = args.intAtLeast(1);
                case "--batch-size" -> batchSize = args.intAtLeast(1);
                case "--hidden" -> hidden = args.positiveInts();
                case "--lr" -> learningRate = args.positiveFloat();
                case "--seed" -> seed = args.anyLong();
                case "--seeds" -> seeds = args.intAtLeast(1);
                case "--methods" -> {
                    List<Method> chosen = new ArrayList<>();
                    for (String id : args.choices(Method.ids())) {
                        chosen.add(Method.of(id));
                    }
                    methods = chosen;
                }
                case "--threads" -> {
                    threads = args.intAtLeast(1);
                    if (threads > MAX_THREADS) {
                        throw CommandException.usage("--threads expects at most " + MAX_THREADS + ", got " + threads);
                    }
                }
                case "--train-limit" -> trainLimit = args.intAtLeast(MIN_TRAIN);
                case "--test-limit" -> testLimit = args.intAtLeast(1);
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
        return new TrainOptions(false, data, epochs, batchSize, hidden, learningRate, seed, seeds, methods, threads,
                trainLimit, testLimit, out, save, quiet);
    }

    private TrainOptions withHelp() {
        return new TrainOptions(true, data, epochs, batchSize, hidden, learningRate, seed, seeds, methods, threads,
                trainLimit, testLimit, out, save, quiet);
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
