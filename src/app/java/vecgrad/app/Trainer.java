package vecgrad.app;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.ManualGradients;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.nn.Activation;
import vecgrad.nn.ActivationLayer;
import vecgrad.nn.BatchNormalization;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Flatten;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Dropout;
import vecgrad.nn.Dense;
import vecgrad.nn.EpochLogs;
import vecgrad.nn.ProgressBar;
import vecgrad.nn.Evaluation;
import vecgrad.nn.FitOptions;
import vecgrad.nn.Layer;
import vecgrad.nn.Loss;
import vecgrad.nn.Metric;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Trains the report's network with one {@link Method} from one seed.
 *
 * <p>The seed draws both the initial weights ({@link Sequential}'s constructor) and the batch order
 * ({@link Batches#shuffled}, which {@code fit} also uses), so every method starts from the same weights
 * and sees the same batches. Whatever differs in their final weights is then the method itself.
 */
final class Trainer {

    /*
     * The three loops keep the same books as Sequential.fit: the epoch's loss is the mean of the step
     * losses weighted by batch size, its accuracy counts the argmax of the step's predictions (taken
     * before the update), and validation runs model.evaluate after the epoch. So all three print and
     * record the same numbers when their weights agree.
     */

    /**
     * The training and validation sets, as pixels: every method reads them batch by batch as floats
     * (x (n, 784), one-hot y (n, 10)), so no whole float copy of the training set is ever made.
     */
    record Data(Dataset train, Dataset validation) {
    }

    /**
     * One trained model.
     *
     * @param seconds wall-clock training time, per-epoch validation included
     */
    record Run(Method method, long seed, Sequential model, List<EpochLogs> history, double seconds) {
    }

    private final Data data;
    private final LongFunction<Sequential> networks;
    private final int epochs;
    private final int batchSize;
    private final float learningRate;
    private final PrintStream progress;

    /** A trainer that prints its progress to {@code progress}, or nothing when it is null. */
    Trainer(Data data, int epochs, int batchSize, List<Integer> hidden, float learningRate, PrintStream progress) {
        this(data, epochs, batchSize, hidden, 0, false, learningRate, progress);
    }

    /** A trainer of the network with {@code --dropout} and {@code --batch-norm} (see {@link #network(List, double, boolean, long)}). */
    Trainer(Data data, int epochs, int batchSize, List<Integer> hidden, double dropout, boolean batchNorm,
            float learningRate, PrintStream progress) {
        this(data, seed -> network(hidden, dropout, batchNorm, seed), epochs, batchSize, learningRate, progress);
    }

    /** A trainer of the networks {@code networks} makes from a seed, such as {@link #convnet(long)}. */
    Trainer(Data data, LongFunction<Sequential> networks, int epochs, int batchSize, float learningRate,
            PrintStream progress) {
        this.data = data;
        this.networks = networks;
        this.epochs = epochs;
        this.batchSize = batchSize;
        this.learningRate = learningRate;
        this.progress = progress;
    }

    /** The report's network: a ReLU layer per hidden width, then softmax over the 10 digits; weights from {@code seed}. */
    static Sequential network(List<Integer> hidden, long seed) {
        return network(hidden, 0, false, seed);
    }

    /**
     * The report's network with the regularisers of {@code --batch-norm} and {@code --dropout}: each
     * hidden layer is {@code Dense(h, relu)}, or {@code Dense(h) → BatchNormalization → relu} (the
     * placement of Ioffe and Szegedy, before the non-linearity), followed by {@code Dropout(rate)}
     * when the rate is above 0; then softmax over the 10 digits. Without either it is exactly
     * {@link #network(List, long)}'s network, with the same weights.
     */
    static Sequential network(List<Integer> hidden, double dropout, boolean batchNorm, long seed) {
        List<Layer> layers = new ArrayList<>();
        for (int width : hidden) {
            if (batchNorm) {
                layers.add(new Dense(width));
                layers.add(new BatchNormalization());
                layers.add(new ActivationLayer(Activation.RELU));
            } else {
                layers.add(new Dense(width, Activation.RELU));
            }
            if (dropout > 0) {
                layers.add(new Dropout(dropout));
            }
        }
        layers.add(new Dense(10, Activation.SOFTMAX));
        return new Sequential(784, seed, layers.toArray(new Layer[0]));
    }

    /**
     * Keras' "Simple MNIST convnet" (keras-io examples/vision/mnist_convnet.py): Conv2D(32, 3×3, relu),
     * MaxPooling2D(2), Conv2D(64, 3×3, relu), MaxPooling2D(2), Flatten, Dropout(0.5), Dense(10, softmax)
     * on images (28, 28, 1); 34,826 weights from {@code seed}.
     */
    static Sequential convnet(long seed) {
        return new Sequential(Mnist.imageShape(), seed, new Conv2D(32, 3, Activation.RELU), new MaxPooling2D(2),
                new Conv2D(64, 3, Activation.RELU), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
                new Dense(10, Activation.SOFTMAX));
    }

    /** A fresh network trained by {@code method} from {@code seed}. */
    Run train(Method method, long seed) {
        Sequential model = networks.apply(seed);
        Adam optimizer = new Adam(learningRate);
        Loss loss = Loss.categoricalCrossentropy();
        // Compiled for evaluate() in every method; only fit() lets the model drive the optimizer.
        model.compile(optimizer, loss, Metric.ACCURACY);
        long start = System.nanoTime();
        List<EpochLogs> history = switch (method) {
            case FIT -> model.fit(data.train(), FitOptions.defaults().epochs(epochs).batchSize(batchSize)
                    .validationData(data.validation()).seed(seed)
                    .verbose(progress == null ? 0 : 1).output(progress == null ? System.out : progress)).epochs();
            case TAPE -> customLoop(model, seed, batch -> tapeStep(model, loss, optimizer, batch));
            case MANUAL -> {
                ManualGradients manual = new ManualGradients(model.trainableVariables());
                yield customLoop(model, seed, batch -> manualStep(model, manual, optimizer, batch));
            }
        };
        return new Run(method, seed, model, history, (System.nanoTime() - start) / 1e9);
    }

    /** The report's section 5, as src/test/java/vecgrad/nn/TapeVersusFitTest.java runs it. */
    private static Step tapeStep(Sequential model, Loss lossFn, Optimizer optimizer, Batches.Batch batch) {
        List<Variable> vars = model.trainableVariables();
        try (GradientTape tape = new GradientTape()) {
            Tensor prediction = model.call(batch.x(), true);
            Tensor loss = lossFn.call(batch.y(), prediction);
            requireFiniteLoss(loss.item());
            optimizer.applyGradients(tape.gradient(loss, vars), vars);
            return new Step(loss.item(), prediction);
        }
    }

    /** The report's section 4: the hand-derived gradients, no tape. */
    private static Step manualStep(Sequential model, ManualGradients manual, Optimizer optimizer, Batches.Batch batch) {
        float loss = manual.compute(batch.x(), batch.y());
        requireFiniteLoss(loss);
        optimizer.applyGradients(manual.gradients(), model.trainableVariables());
        return new Step(loss, manual.probabilities());
    }

    /** As fit: a step whose loss is not finite is not applied, and training stops there. */
    private static void requireFiniteLoss(float loss) {
        if (!Float.isFinite(loss)) {
            throw NonFiniteException.scalar("", "the loss", loss);
        }
    }

    /** A step's loss and its predictions (before the update). */
    private record Step(float loss, Tensor prediction) {
    }

    private interface StepFunction {
        Step run(Batches.Batch batch);
    }

    private List<EpochLogs> customLoop(Sequential model, long seed, StepFunction step) {
        Batches batches = Batches.shuffled(data.train(), 10, batchSize, new Random(seed));
        List<EpochLogs> history = new ArrayList<>();
        ProgressBar bar = new ProgressBar(progress == null ? System.out : progress, progress == null ? 0 : 1, epochs,
                batches.count());
        for (int epoch = 1; epoch <= epochs; epoch++) {
            bar.epochBegin(epoch);
            long start = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            for (Batches.Batch batch : batches) {
                Step s;
                try {
                    s = step.run(batch);
                } catch (NonFiniteException e) {
                    throw e.within("epoch " + epoch + ", step " + batch.number() + ": ");
                }
                lossSum += (double) s.loss() * batch.size();
                correct += countCorrect(s.prediction(), batch.y());
                seen += batch.size();
                bar.step(batch.number(), lossSum / seen, (double) correct / seen);
            }
            Evaluation val = model.evaluate(data.validation());
            EpochLogs logs = new EpochLogs(epoch, lossSum / seen, (double) correct / seen, val.loss(), val.accuracy(),
                    (System.nanoTime() - start) / 1e9);
            history.add(logs);
            bar.epochEnd(logs);
        }
        return history;
    }

    private static int countCorrect(Tensor prediction, Tensor y) {
        int[] predicted = prediction.argmaxRows();
        int[] truth = y.argmaxRows();
        int c = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i] == truth[i]) {
                c++;
            }
        }
        return c;
    }
}
