package vecgrad.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.nn.Activation;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.EpochLogs;
import vecgrad.nn.Evaluation;
import vecgrad.nn.FitOptions;
import vecgrad.nn.Flatten;
import vecgrad.nn.Loss;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Metric;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.tensor.Backend;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * vecgrad's side of {@code bench/compare.sh}: trains the comparison's MLP or convnet on MNIST in a
 * fresh JVM with {@code fit} or the custom {@code GradientTape} loop and prints one line
 * {@code COMPARE {json}} (the same fields as the TensorFlow Java and PyTorch peers).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.bench.CompareRun \
 *     --model mlp|cnn --method fit|tape --epochs 5 [--data test-data/mnist] [--train-limit N]
 *     [--test-limit N] [--seed 42]
 * </pre>
 */
public final class CompareRun {

    /*
     * The workload is mnist.jar's (src/app/java/vecgrad/app/Trainer.java), which the runner cannot
     * call (the program's classes are not exported): Sequential(784, seed, Dense 256/128/64 relu,
     * Dense 10 softmax) or Keras' Simple MNIST convnet; Adam(1e-3) with Keras' defaults 0.9, 0.999,
     * 1e-7; categorical cross-entropy; batch 128; the last 10% of the training set validates after
     * each epoch. The tape loop is README's section "Train it with a custom GradientTape loop", with
     * the validation mnist.jar's tape method adds: no BufferPool scope, as a user writes it.
     *
     * Times: startup = the launch time bench/compare.sh passes in COMPARE_T0_MS to main (the JVM's
     * start); load = reading MNIST; train = the epochs, validation included, what the issue compares;
     * the test evaluation comes after and is not timed.
     */

    private static final int BATCH = 128;
    private static final double VALIDATION_SPLIT = 0.1;

    private CompareRun() {
    }

    /**
     * Trains once and prints the {@code COMPARE} line.
     *
     * @param args {@code --model mlp|cnn}, {@code --method fit|tape} (tape: MLP only), {@code --epochs N},
     *     {@code --data DIR}, {@code --train-limit N}, {@code --test-limit N}, {@code --seed S}
     * @throws IOException if the MNIST files cannot be read
     * @throws IllegalArgumentException if an option is unknown, lacks its value or has a bad one
     */
    public static void main(String[] args) throws IOException {
        long mainStart = System.nanoTime();
        String model = "mlp";
        String method = "fit";
        int epochs = 5;
        int trainLimit = Integer.MAX_VALUE;
        int testLimit = Integer.MAX_VALUE;
        long seed = 42;
        Path data = Path.of("test-data", "mnist");
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("CompareRun: expected a value after " + args[i] + ", got none");
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--model" -> model = value;
                case "--method" -> method = value;
                case "--epochs" -> epochs = positive(args[i], value);
                case "--train-limit" -> trainLimit = positive(args[i], value);
                case "--test-limit" -> testLimit = positive(args[i], value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--data" -> data = Path.of(value);
                default -> throw new IllegalArgumentException(
                        "CompareRun: expected --model, --method, --epochs, --data, --train-limit, --test-limit or --seed, got "
                                + args[i]);
            }
        }
        if (!model.equals("mlp") && !model.equals("cnn")) {
            throw new IllegalArgumentException("CompareRun: --model must be mlp or cnn, got " + model);
        }
        if (!method.equals("fit") && !(method.equals("tape") && model.equals("mlp"))) {
            throw new IllegalArgumentException("CompareRun: --method must be fit, or tape for the mlp, got " + method
                    + " for " + model);
        }
        boolean cnn = model.equals("cnn");
        double startup = startupSeconds();

        Mnist mnist = Mnist.load(data);
        Dataset all = mnist.train().first(Math.min(trainLimit, mnist.train().size()));
        Dataset test = mnist.test().first(Math.min(testLimit, mnist.test().size()));
        if (cnn) {
            all = all.withSampleShape(Mnist.imageShape());
            test = test.withSampleShape(Mnist.imageShape());
        }
        Dataset train = all.trainingPart(VALIDATION_SPLIT);
        Dataset validation = all.validationPart(VALIDATION_SPLIT);
        String kernels = Backend.kernels();
        double load = (System.nanoTime() - mainStart) / 1e9;

        long setupStart = System.nanoTime();
        Sequential net = cnn ? convnet(seed) : mlp(seed);
        Adam optimizer = new Adam(1e-3f);
        Loss loss = Loss.categoricalCrossentropy();
        net.compile(optimizer, loss, Metric.ACCURACY);
        double setup = (System.nanoTime() - setupStart) / 1e9;

        long trainStart = System.nanoTime();
        List<EpochLogs> history = method.equals("fit")
                ? net.fit(train, FitOptions.defaults().epochs(epochs).batchSize(BATCH).validationData(validation)
                        .seed(seed).verbose(0)).epochs()
                : tapeLoop(net, optimizer, loss, train, validation, epochs, seed);
        double trainSeconds = (System.nanoTime() - trainStart) / 1e9;
        Evaluation scored = net.evaluate(test);

        StringBuilder epochJson = new StringBuilder();
        for (EpochLogs e : history) {
            epochJson.append(epochJson.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", e.seconds()));
        }
        EpochLogs last = history.get(history.size() - 1);
        System.out.println(String.format(Locale.ROOT,
                "COMPARE {\"system\":\"vecgrad\",\"model\":\"%s\",\"config\":\"vecgrad-%s-%s-jdk%d-t%d\",\"threads\":%d,"
                        + "\"method\":\"%s\",\"jdk\":%d,\"kernels\":\"%s\",\"version\":\"vecgrad, %s, JDK %s\",\"epochs\":%d,"
                        + "\"train_samples\":%d,\"startup_s\":%.4f,\"load_s\":%.4f,\"setup_s\":%.4f,\"train_s\":%.4f,"
                        + "\"epoch_s\":[%s],\"train_loss\":%.5f,\"val_loss\":%.5f,\"val_acc\":%.5f,\"test_loss\":%.5f,"
                        + "\"test_acc\":%.5f}",
                model, model, method, Runtime.version().feature(), Backend.threads(), Backend.threads(), method,
                Runtime.version().feature(), kernels, kernels, Runtime.version(), epochs, train.size(), startup, load, setup,
                trainSeconds, epochJson, last.loss(), last.valLoss(), last.valAccuracy(), scored.loss(),
                scored.accuracy()));
    }

    private static int positive(String option, String value) {
        int n = Integer.parseInt(value);
        if (n < 1) {
            throw new IllegalArgumentException("CompareRun: " + option + " must be at least 1, got " + n);
        }
        return n;
    }

    private static double startupSeconds() {
        String t0 = System.getenv("COMPARE_T0_MS");
        return t0 == null || t0.isEmpty() ? -1 : (System.currentTimeMillis() - Long.parseLong(t0)) / 1e3;
    }

    private static Sequential mlp(long seed) {
        return new Sequential(784, seed, new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
    }

    private static Sequential convnet(long seed) {
        return new Sequential(Mnist.imageShape(), seed, new Conv2D(32, 3, Activation.RELU), new MaxPooling2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
                new Dense(10, Activation.SOFTMAX));
    }

    /** README's custom loop, with the epoch's loss and a validation pass after each epoch as fit keeps them. */
    private static List<EpochLogs> tapeLoop(Sequential model, Adam optimizer, Loss lossFn, Dataset train,
            Dataset validation, int epochs, long seed) {
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(train, 10, BATCH, new Random(seed));
        List<EpochLogs> history = new ArrayList<>();
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long start = System.nanoTime();
            double lossSum = 0;
            long seen = 0;
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                    lossSum += (double) loss.item() * b.size();
                    seen += b.size();
                }
            }
            Evaluation val = model.evaluate(validation);
            history.add(new EpochLogs(epoch, lossSum / seen, Double.NaN, val.loss(), val.accuracy(),
                    (System.nanoTime() - start) / 1e9));
        }
        return history;
    }
}
