package vecgrad.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongFunction;
import vecgrad.app.report.ConfusionMatrix;
import vecgrad.app.report.EpochStats;
import vecgrad.app.report.ExperimentReport;
import vecgrad.app.report.MethodResult;
import vecgrad.app.report.MethodSummary;
import vecgrad.app.report.Misclassified;
import vecgrad.app.report.ModelView;
import vecgrad.app.report.Report;
import vecgrad.app.report.RunConfig;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.nn.EpochLogs;
import vecgrad.nn.Evaluation;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The default command: trains the network with each method and seed, prints the results table and
 * writes the report.
 */
final class TrainCommand {

    /** Keras' {@code validation_split}: the last 10% of the training set. */
    static final double VALIDATION_SPLIT = 0.1;
    /** How many misclassified test digits the report shows, in test-set order. */
    static final int MISCLASSIFIED_SHOWN = 40;

    private final TrainOptions options;
    private final PrintStream out;

    TrainCommand(TrainOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run(DataFolder data, String kernels, int threads, Thread warmUp) throws CommandException {
        Path outDir = OutputPaths.prepareFolder("--out", options.out());
        Path saveFile = options.save() == null ? null : OutputPaths.prepareFile("--save", options.save());

        Sets sets = load(data);
        // Training waits for the rest of the kernels' warm-up rather than sharing the cores with it.
        try {
            warmUp.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Dataset train = sets.train();
        Dataset validation = sets.validation();
        Dataset test = sets.test();
        Trainer.Data split = new Trainer.Data(train, validation);

        PrintStream progress = options.quiet() ? null : out;
        if (progress != null) {
            progress.println("vecgrad mnist: " + architecture() + regularisers() + ", " + options.epochs()
                    + (options.epochs() == 1 ? " epoch" : " epochs") + ", batch "
                    + options.batchSize() + ", Adam " + options.learningRate());
            progress.println("data:    " + data + ": " + train.size() + " training, " + validation.size() + " validation ("
                    + "the last 10%), " + test.size() + " test samples");
            progress.println("kernels: " + kernels + ", " + threads + " thread" + (threads == 1 ? "" : "s"));
        }

        LongFunction<Sequential> networks = options.cnn() ? Trainer::convnet
                : seed -> Trainer.network(options.hidden(), options.dropout(), options.batchNorm(), seed);
        Dataset first = train.first(Math.min(options.batchSize(), train.size()));
        StepGraphs graphs = StepGraphs.record(networks.apply(options.seed()), first.images(first.sampleShape()),
                first.oneHot(10));

        Trainer trainer = new Trainer(split, networks, options.epochs(), options.batchSize(), options.learningRate(),
                progress);
        Method evaluated = options.methods().contains(Method.FIT) ? Method.FIT : options.methods().get(0);
        List<MethodResult> results = new ArrayList<>();
        Map<String, Double> differences = new LinkedHashMap<>();
        Sequential evaluatedModel = null;
        for (long seed : options.seedList()) {
            List<Trainer.Run> runs = new ArrayList<>();
            for (Method method : options.methods()) {
                if (progress != null) {
                    progress.println();
                    progress.println("== " + method.id() + " (seed " + seed + "): " + method.description());
                }
                Trainer.Run run = trainer.train(method, seed);
                runs.add(run);
                Evaluation score = run.model().evaluate(test);
                results.add(result(run, score, train.size()));
                if (progress != null) {
                    progress.printf(Locale.ROOT, "test: accuracy %.4f, loss %.4f (%.1f s training)%n", score.accuracy(),
                            score.loss(), run.seconds());
                }
                if (evaluatedModel == null && method == evaluated) {
                    evaluatedModel = run.model();
                }
            }
            for (int i = 1; i < runs.size(); i++) {
                String key = runs.get(0).method().id() + "-" + runs.get(i).method().id();
                double d = maxDifference(runs.get(0).model(), runs.get(i).model());
                differences.merge(key, d, Math::max);
            }
        }

        Tensor testX = test.images(test.sampleShape());
        float[] probabilities = evaluatedModel.predict(testX).data();
        int[] labels = test.labels();
        int[] predicted = argmaxRows(probabilities, labels.length, 10);
        ExperimentReport report = new ExperimentReport(
                new RunConfig(options.hidden(), options.epochs(), options.batchSize(), options.learningRate(),
                        options.seed(), threads, Runtime.version().toString(), kernels, options.dropout(),
                        options.batchNorm(), options.model()),
                results, differences, MethodSummary.of(results), evaluated.id(),
                ConfusionMatrix.fromLabels(labels, predicted),
                misclassified(testX.data(), labels, predicted, probabilities),
                graphs.forward(), graphs.backward());
        // A convnet's report adds its layer boxes, filters and feature maps; an MLP's is unchanged.
        report = report.withModel(ModelView.of(evaluatedModel, testX, 4, 8));

        List<Path> written;
        try {
            written = Report.writeAll(report, outDir);
            if (saveFile != null) {
                // the architecture and weights, as --save documents: predict needs no optimizer state
                evaluatedModel.save(saveFile, false);
            }
        } catch (IOException e) {
            throw CommandException.failure("cannot write the results: " + OutputPaths.reason(e));
        }

        out.println();
        out.print(ResultsTable.format(report));
        out.println();
        List<String> names = new ArrayList<>();
        for (Path p : written) {
            names.add(p.getFileName().toString());
        }
        out.println("report:  " + outDir.resolve("report.html") + " (with " + String.join(", ", names) + ")");
        if (saveFile != null) {
            out.println("weights: " + saveFile + " (" + evaluated.id() + ", seed " + options.seed() + ")");
        }
        return 0;
    }

    /** The training, validation and test sets. */
    private record Sets(Dataset train, Dataset validation, Dataset test) {
    }

    /** Loads, limits and splits the data; the full MNIST training set is garbage once this returns. */
    private Sets load(DataFolder data) throws CommandException {
        Mnist mnist = data.load();
        Dataset all = limit(mnist.train(), options.trainLimit());
        if (all.size() < TrainOptions.MIN_TRAIN) {
            throw CommandException.failure("expected at least " + TrainOptions.MIN_TRAIN + " training samples in " + data
                    + " for a 10% validation split, got " + all.size());
        }
        if (mnist.test().size() == 0) {
            throw CommandException.failure("expected test samples in " + data + ", got none");
        }
        Dataset test = limit(mnist.test(), options.testLimit());
        if (options.cnn()) {
            // The convnet reads each sample as an image (28, 28, 1), batch by batch from the same pixels.
            all = all.withSampleShape(Mnist.imageShape());
            test = test.withSampleShape(Mnist.imageShape());
        }
        return new Sets(all.trainingPart(VALIDATION_SPLIT), all.validationPart(VALIDATION_SPLIT), test);
    }

    /** {@code " with batch norm and dropout 0.2"} and the like, or nothing for the report's network. */
    private String regularisers() {
        String r = RunConfig.regularisers(options.dropout(), options.batchNorm());
        return r.isEmpty() ? "" : " with " + r;
    }

    private String architecture() {
        if (options.cnn()) {
            return "Keras' Simple MNIST convnet, 28x28x1-conv32-pool-conv64-pool-dropout 0.5-10";
        }
        StringBuilder sb = new StringBuilder("784");
        for (int h : options.hidden()) {
            sb.append('-').append(h);
        }
        return sb.append("-10").toString();
    }

    private static Dataset limit(Dataset set, int limit) {
        return limit > 0 && limit < set.size() ? set.first(limit) : set;
    }

    private MethodResult result(Trainer.Run run, Evaluation test, int trainSamples) {
        List<EpochStats> history = new ArrayList<>();
        double bestVal = Double.NaN;
        for (EpochLogs e : run.history()) {
            history.add(new EpochStats(e.epoch(), e.loss(), e.accuracy(), e.valLoss(), e.valAccuracy(), e.seconds()));
            bestVal = Double.isNaN(bestVal) ? e.valAccuracy() : Math.max(bestVal, e.valAccuracy());
        }
        double samples = (double) trainSamples * run.history().size();
        return new MethodResult(run.method().id(), run.seed(), test.accuracy(), test.loss(), bestVal, run.seconds(),
                samples / run.seconds(), history);
    }

    /** The largest |a - b| over all weights of two models of the same architecture. */
    static double maxDifference(Sequential a, Sequential b) {
        double max = 0;
        List<Variable> va = a.trainableVariables();
        List<Variable> vb = b.trainableVariables();
        for (int i = 0; i < va.size(); i++) {
            float[] x = va.get(i).data();
            float[] y = vb.get(i).data();
            for (int j = 0; j < x.length; j++) {
                max = Math.max(max, Math.abs((double) x[j] - y[j]));
            }
        }
        return max;
    }

    /** The index of each row's largest value (the first on ties). */
    static int[] argmaxRows(float[] values, int rows, int cols) {
        int[] out = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (values[r * cols + c] > values[r * cols + best]) {
                    best = c;
                }
            }
            out[r] = best;
        }
        return out;
    }

    private static List<Misclassified> misclassified(float[] pixels, int[] labels, int[] predicted, float[] probabilities) {
        List<Misclassified> wrong = new ArrayList<>();
        for (int i = 0; i < labels.length && wrong.size() < MISCLASSIFIED_SHOWN; i++) {
            if (predicted[i] != labels[i]) {
                float[] image = Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784);
                wrong.add(new Misclassified(i, image, labels[i], predicted[i], probabilities[i * 10 + predicted[i]]));
            }
        }
        return wrong;
    }
}
