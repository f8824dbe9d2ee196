package vecgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.io.StoredDtype;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A stack of layers, each feeding the next: Keras' {@code Sequential}. The report's network:
 * <pre>{@code
 * Sequential model = new Sequential(784, 42,
 *         new Dense(256, Activation.RELU),
 *         new Dense(128, Activation.RELU),
 *         new Dense(64, Activation.RELU),
 *         new Dense(10, Activation.SOFTMAX));
 * model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
 * History history = model.fit(xTrain, yTrain,
 *         FitOptions.defaults().epochs(5).batchSize(128).validationSplit(0.1).seed(42));
 * Evaluation test = model.evaluate(xTest, yTest);
 * }</pre>
 *
 * <p>The weights are created when the model is constructed, from {@code seed}, layer by layer (kernel,
 * then bias), so a seed determines them exactly.
 */
public final class Sequential implements Model {

    /*
     * fit() is a loop over the public pieces a custom loop would use: Batches for the (seeded) batch
     * order, call() and Loss.call() under a GradientTape, tape.gradient(), optimizer.applyGradients().
     * Nothing else touches the weights, which is why a custom loop with the same seeds matches it bit
     * for bit. Each step runs in a BufferPool scope (one pool per batch size), so after the first step
     * the activations and gradients reuse their buffers; pooling changes no result.
     */

    private static final int EVAL_BATCH = 32;
    /** The model's name, as Keras names the first Sequential. */
    private static final String NAME = "sequential";

    private final int inputs;
    private final List<Dense> layers;
    private final List<Variable> variables;
    private final Kernels kernels = KernelProvider.get();
    private Optimizer optimizer;
    private Loss loss;
    private boolean accuracy;
    private volatile boolean stopTraining;
    /** The thread running fit, or null: a model refuses a second, concurrent training call. */
    private final AtomicReference<Thread> trainingThread = new AtomicReference<>();

    /** A model with weights drawn from seed 0. */
    public Sequential(int inputs, Layer... layers) {
        this(inputs, 0L, layers);
    }

    /**
     * A model on inputs of {@code inputs} features, with weights drawn from {@code seed}.
     *
     * @throws IllegalArgumentException if {@code inputs < 1}, there are no layers, or a layer already belongs to a model
     */
    public Sequential(int inputs, long seed, Layer... layers) {
        if (inputs < 1) {
            throw new IllegalArgumentException("Sequential: inputs must be >= 1, got " + inputs);
        }
        Objects.requireNonNull(layers, "layers");
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential: expected at least one layer, got none");
        }
        Random rng = new Random(seed);
        List<Dense> built = new ArrayList<>();
        List<Variable> vars = new ArrayList<>();
        int in = inputs;
        for (int i = 0; i < layers.length; i++) {
            Dense d = (Dense) Objects.requireNonNull(layers[i], "layer " + (i + 1));
            d.build(in, i + 1, rng);
            built.add(d);
            vars.addAll(d.variables());
            in = d.units();
        }
        this.inputs = inputs;
        this.layers = Collections.unmodifiableList(built);
        this.variables = Collections.unmodifiableList(vars);
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** The number of input features. */
    public int inputs() {
        return inputs;
    }

    /** The number of outputs (the last layer's units). */
    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    @Override
    public Tensor call(Tensor x) {
        Objects.requireNonNull(x, "x");
        if (x.rank() != 2 || x.cols() != inputs) {
            throw new IllegalArgumentException("expected input of shape (batch, " + inputs + "), got " + x.shapeString());
        }
        Tensor a = x;
        for (Dense layer : layers) {
            a = layer.call(a);
        }
        return a;
    }

    @Override
    public List<Variable> trainableVariables() {
        return variables;
    }

    @Override
    public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(metrics, "metrics");
        boolean acc = false;
        for (Metric m : metrics) {
            acc |= Objects.requireNonNull(m, "metric") == Metric.ACCURACY;
        }
        this.optimizer = optimizer;
        this.loss = loss;
        this.accuracy = acc;
    }

    @Override
    public Loss loss() {
        return loss;
    }

    @Override
    public Optimizer optimizer() {
        return optimizer;
    }

    @Override
    public void stopTraining() {
        stopTraining = true;
    }

    // ---------------------------------------------------------------- fit

    @Override
    public History fit(Tensor x, Tensor y, FitOptions options) {
        Objects.requireNonNull(options, "options");
        requireCompiled("fit");
        Tensor yt = checkData("fit", x, y);
        Tensor trainX = x;
        Tensor trainY = yt;
        Tensor valX = options.validationX();
        Tensor valY = options.validationY();
        if (valX != null) {
            valY = checkData("fit validationData", valX, valY);
        } else if (options.validationSplit() > 0) {
            int n = x.dim(0);
            int splitAt = (int) Math.floor(n * (1.0 - options.validationSplit()));
            if (splitAt == 0 || splitAt == n) {
                throw new IllegalArgumentException("fit: " + n + " samples cannot be split into training and validation"
                        + " sets with validationSplit=" + options.validationSplit());
            }
            trainX = rows(x, 0, splitAt);
            trainY = rows(yt, 0, splitAt);
            valX = rows(x, splitAt, n);
            valY = rows(yt, splitAt, n);
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainX, trainY, options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainX, trainY, options.batchSize());
        return train(batches, valX == null ? null : Batches.inOrder(valX, valY, EVAL_BATCH), options);
    }

    /**
     * Trains on a dataset's images and its labels one-hot over this model's outputs, as
     * {@code fit(train.images(), train.oneHot(outputs()), options)} does, bit for bit, but without
     * making those tensors: a pixel dataset such as {@link vecgrad.data.Mnist}'s is converted batch by
     * batch, so the training set costs its pixels' memory, not four times that. A validation split
     * takes the dataset's last rows, as {@link Dataset#validationPart}.
     *
     * @throws IllegalStateException before {@link #compile}, or while another thread trains this model
     * @throws IllegalArgumentException if the loss takes sparse labels (pass {@code y} to
     *     {@link #fit(Tensor, Tensor, FitOptions)} then), the images are not {@link #inputs()} wide, a
     *     label is not below {@link #outputs()}, or a split leaves a part empty; all before the first step
     * @throws NonFiniteException as {@link #fit(Tensor, Tensor, FitOptions)}
     */
    @Override
    public History fit(Dataset train, FitOptions options) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(options, "options");
        requireCompiled("fit");
        checkDataset("fit", train);
        Dataset trainPart = train;
        Batches validation = null;
        if (options.validationX() != null) {
            Tensor valY = checkData("fit validationData", options.validationX(), options.validationY());
            validation = Batches.inOrder(options.validationX(), valY, EVAL_BATCH);
        } else if (options.validationDataset() != null) {
            checkDataset("fit validationData", options.validationDataset());
            validation = Batches.inOrder(options.validationDataset(), outputs(), EVAL_BATCH);
        } else if (options.validationSplit() > 0) {
            trainPart = train.trainingPart(options.validationSplit());
            validation = Batches.inOrder(train.validationPart(options.validationSplit()), outputs(), EVAL_BATCH);
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainPart, outputs(), options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainPart, outputs(), options.batchSize());
        return train(batches, validation, options);
    }

    /** The loop of both fits, over batches already checked against the model. */
    private History train(Batches batches, Batches validation, FitOptions options) {
        if (validation == null) {
            requireNoValidationMetric(options.callbacks());
        }
        History history = new History();
        ProgressBar progress = new ProgressBar(options.output(), options.verbose(), options.epochs(),
                batches.count());
        int[] predicted = new int[Math.min(options.batchSize(), batches.samples())];
        int[] truth = new int[predicted.length];
        PoolPerBatchSize pools = new PoolPerBatchSize();
        beginTraining("fit");
        try {
            stopTraining = false;
            for (Callback cb : options.callbacks()) {
                cb.onTrainBegin(this);
            }
            for (int epoch = 1; epoch <= options.epochs() && !stopTraining; epoch++) {
                long start = System.nanoTime();
                progress.epochBegin(epoch);
                for (Callback cb : options.callbacks()) {
                    cb.onEpochBegin(epoch);
                }
                double lossSum = 0;
                long correct = 0;
                long seen = 0;
                for (Batches.Batch batch : batches) {
                    int m = batch.size();
                    float stepLoss;
                    Tensor prediction;
                    try (BufferPool.Scope step = pools.forSize(m).enter(); GradientTape tape = new GradientTape()) {
                        prediction = call(batch.x());
                        Tensor lossValue = loss.call(batch.y(), prediction);
                        stepLoss = lossValue.item();
                        // A non-finite loss would make every gradient non-finite: skip the update, so the
                        // weights stay those of the last good step.
                        if (Float.isFinite(stepLoss)) {
                            List<Tensor> grads = tape.gradient(lossValue, variables);
                            optimizer.applyGradients(grads, variables);
                        }
                    } catch (NonFiniteException e) {
                        NonFiniteException located = e.within(where(epoch, batch));
                        progress.message("Error: " + located.getMessage());
                        throw located;
                    }
                    int stepCorrect = accuracy ? countCorrect(prediction, batch.y(), predicted, truth) : 0;
                    lossSum += (double) stepLoss * m;
                    correct += stepCorrect;
                    seen += m;
                    if (!Float.isFinite(stepLoss)) {
                        progress.message("Warning: the loss became " + stepLoss + " at epoch " + epoch + ", step "
                                + batch.number() + "; the step was not applied");
                    }
                    double runningAcc = accuracy ? (double) correct / seen : Double.NaN;
                    progress.step(batch.number(), lossSum / seen, runningAcc);
                    for (Callback cb : options.callbacks()) {
                        cb.onBatchEnd(epoch, batch.number(), stepLoss, accuracy ? (double) stepCorrect / m : Double.NaN);
                    }
                    // Keras 3 (keras/src/backend/tensorflow/trainer.py, fit): stop_training is read after
                    // every batch; the epoch then ends as usual (validation, on_epoch_end).
                    if (stopTraining) {
                        break;
                    }
                    if (!Float.isFinite(stepLoss)) {
                        throw NonFiniteException.scalar(where(epoch, batch), "the loss", stepLoss);
                    }
                }
                double valLoss = Double.NaN;
                double valAcc = Double.NaN;
                if (validation != null) {
                    Evaluation ev = evaluateBatches(validation);
                    valLoss = ev.loss();
                    valAcc = ev.accuracy();
                }
                EpochLogs logs = new EpochLogs(epoch, lossSum / seen, accuracy ? (double) correct / seen : Double.NaN,
                        valLoss, valAcc, (System.nanoTime() - start) / 1e9);
                history.add(logs);
                progress.epochEnd(logs);
                for (Callback cb : options.callbacks()) {
                    cb.onEpochEnd(logs);
                }
            }
            for (Callback cb : options.callbacks()) {
                cb.onTrainEnd(history);
            }
        } finally {
            endTraining();
        }
        return history;
    }

    // ---------------------------------------------------------------- evaluate / predict

    @Override
    public Evaluation evaluate(Tensor x, Tensor y) {
        requireCompiled("evaluate");
        Tensor yt = checkData("evaluate", x, y);
        return evaluateChecked(x, yt);
    }

    /**
     * The loss and accuracy on a dataset's images and its labels one-hot, as
     * {@code evaluate(data.images(), data.oneHot(outputs()))}, batch by batch (see {@link #fit(Dataset, FitOptions)}).
     *
     * @throws IllegalStateException before {@link #compile}
     * @throws IllegalArgumentException as {@link #fit(Dataset, FitOptions)}
     */
    @Override
    public Evaluation evaluate(Dataset data) {
        Objects.requireNonNull(data, "data");
        requireCompiled("evaluate");
        checkDataset("evaluate", data);
        return evaluateBatches(Batches.inOrder(data, outputs(), EVAL_BATCH));
    }

    private Evaluation evaluateChecked(Tensor x, Tensor y) {
        return evaluateBatches(Batches.inOrder(x, y, EVAL_BATCH));
    }

    private Evaluation evaluateBatches(Batches batches) {
        int n = batches.samples();
        double lossSum = 0;
        long correct = 0;
        int[] predicted = new int[Math.min(EVAL_BATCH, n)];
        int[] truth = new int[predicted.length];
        PoolPerBatchSize pools = new PoolPerBatchSize();
        for (Batches.Batch batch : batches) {
            try (BufferPool.Scope step = pools.forSize(batch.size()).enter()) {
                Tensor prediction = call(batch.x());
                lossSum += (double) loss.call(batch.y(), prediction).item() * batch.size();
                if (accuracy) {
                    correct += countCorrect(prediction, batch.y(), predicted, truth);
                }
            }
        }
        return new Evaluation(lossSum / n, accuracy ? (double) correct / n : Double.NaN, n);
    }

    @Override
    public Tensor predict(Tensor x) {
        Objects.requireNonNull(x, "x");
        if (x.rank() != 2 || x.cols() != inputs) {
            throw new IllegalArgumentException("predict: expected x of shape (samples, " + inputs + "), got "
                    + x.shapeString());
        }
        int n = x.dim(0);
        int outs = outputs();
        Tensor out = Tensor.zeros(n, outs);
        PoolPerBatchSize pools = new PoolPerBatchSize();
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int m = Math.min(EVAL_BATCH, n - start);
            try (BufferPool.Scope step = pools.forSize(m).enter()) {
                Tensor p = call(rows(x, start, start + m));
                System.arraycopy(p.data(), 0, out.data(), start * outs, m * outs);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- weights

    @Override
    public List<Tensor> getWeights() {
        List<Tensor> copies = new ArrayList<>(variables.size());
        for (Variable v : variables) {
            copies.add(v.copy());
        }
        return copies;
    }

    @Override
    public void setWeights(List<Tensor> weights) {
        Objects.requireNonNull(weights, "weights");
        requireNotTrainingElsewhere("setWeights");
        if (weights.size() != variables.size()) {
            throw new IllegalArgumentException("setWeights: expected " + variables.size() + " tensors, got " + weights.size());
        }
        for (int i = 0; i < weights.size(); i++) {
            Tensor w = Objects.requireNonNull(weights.get(i), "weight " + i);
            if (!w.sameShape(variables.get(i))) {
                throw new IllegalArgumentException("setWeights: " + variables.get(i).name() + " has shape "
                        + variables.get(i).shapeString() + ", got " + w.shapeString());
            }
        }
        for (int i = 0; i < weights.size(); i++) {
            variables.get(i).assign(weights.get(i));
        }
    }

    @Override
    public void saveWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Variable v : variables) {
            vecgrad.tensor.NonFiniteException.requireFinite("saveWeights " + file + ": ", v.name(), v);
            named.put(v.name(), v);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vecgrad");
        meta.put("architecture", architecture());
        SafeTensors.write(file, named, meta);
    }

    @Override
    public void loadWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        SafeTensorsContents contents = SafeTensors.read(file);
        List<String> problems = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        for (Variable v : variables) {
            Tensor t = contents.tensors().get(v.name());
            if (t == null) {
                problems.add("missing " + v.name() + " " + v.shapeString());
                continue;
            }
            if (contents.dtype(v.name()) != StoredDtype.F32) {
                problems.add(v.name() + " is " + contents.dtype(v.name()) + ", expected F32");
            }
            if (!t.sameShape(v)) {
                problems.add(v.name() + " has shape " + t.shapeString() + ", expected " + v.shapeString());
            }
            weights.add(t);
        }
        for (String name : contents.tensors().keySet()) {
            if (variables.stream().noneMatch(v -> v.name().equals(name))) {
                problems.add("unexpected tensor " + (name.length() > 60 ? name.substring(0, 60) + "\u2026" : name));
            }
        }
        String declared = contents.metadata().get("architecture");
        if (declared != null && !declared.equals(architecture())) {
            problems.add("its architecture metadata is '" + (declared.length() > 60 ? declared.substring(0, 60) + "\u2026" : declared)
                    + "'");
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 5); // a hostile file can hold thousands of problems: one line stays short
            throw new IllegalArgumentException(file + " does not fit this model (" + architecture() + "): "
                    + String.join("; ", problems.subList(0, shown))
                    + (shown < problems.size() ? "; and " + (problems.size() - shown) + " more" : ""));
        }
        for (int i = 0; i < weights.size(); i++) {
            vecgrad.tensor.NonFiniteException.requireFinite(file + ": ", variables.get(i).name(), weights.get(i));
        }
        setWeights(weights);
    }

    // ---------------------------------------------------------------- summary

    @Override
    public String summary() {
        String rule = "_".repeat(65);
        StringBuilder sb = new StringBuilder();
        sb.append("Model: \"" + NAME + "\"\n").append(rule).append('\n');
        sb.append(String.format(Locale.ROOT, " %-28s%-26s%-10s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(65)).append('\n');
        long total = 0;
        for (int i = 0; i < layers.size(); i++) {
            Dense d = layers.get(i);
            long params = 0;
            for (Variable v : d.variables()) {
                params += v.size();
            }
            total += params;
            sb.append(String.format(Locale.ROOT, " %-28s%-26s%-10s%n", d.name() + " (Dense)",
                    "(None, " + d.units() + ")", String.format(Locale.ROOT, "%,d", params)));
            sb.append(i == layers.size() - 1 ? "=".repeat(65) : " ").append('\n');
        }
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", total));
        sb.append("Non-trainable params: 0\n").append(rule).append('\n');
        return sb.toString();
    }

    /** The layer sizes and activations, e.g. {@code 784-256(relu)-...-10(softmax)}. */
    public String architecture() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (Dense d : layers) {
            sb.append('-').append(d.units()).append('(').append(d.activation().kerasName()).append(')');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- helpers

    /*
     * Thread safety: fit claims the model for its thread and setWeights/loadWeights refuse to run on
     * another thread meanwhile; two trainings of one model would interleave their updates and end
     * with weights of no sequential order. call, predict and evaluate only read the weights and keep
     * their buffers per call, so they may run on other threads during fit; they then see the weights
     * as they are at that moment, possibly mid-step.
     */

    private static String where(int epoch, Batches.Batch batch) {
        return "epoch " + epoch + ", step " + batch.number() + ": ";
    }

    private void beginTraining(String method) {
        Thread other = trainingThread.compareAndExchange(null, Thread.currentThread());
        if (other != null) {
            throw new IllegalStateException(method + ": model '" + NAME + "' (" + architecture() + ") is already being"
                    + " trained by fit on thread '" + other.getName() + "'; a model cannot be trained twice at once:"
                    + " give each thread its own model and optimizer");
        }
    }

    private void endTraining() {
        trainingThread.set(null);
    }

    /** Refuses to overwrite the weights from another thread while fit runs (a callback of fit may). */
    private void requireNotTrainingElsewhere(String method) {
        Thread t = trainingThread.get();
        if (t != null && t != Thread.currentThread()) {
            throw new IllegalStateException(method + ": model '" + NAME + "' (" + architecture() + ") is being trained"
                    + " by fit on thread '" + t.getName() + "'; its weights cannot be replaced meanwhile");
        }
    }

    private void requireCompiled(String method) {
        if (optimizer == null) {
            throw new IllegalStateException(method + ": the model must be compiled first: call compile(optimizer, loss, metrics)");
        }
    }

    /** A callback that monitors val_loss or val_accuracy needs validation data: say so before training. */
    private static void requireNoValidationMetric(List<Callback> callbacks) {
        for (Callback cb : callbacks) {
            String monitor = cb instanceof EarlyStopping es ? es.monitor()
                    : cb instanceof ModelCheckpoint mc && mc.saveBestOnly() ? mc.monitor() : null;
            if (monitor != null && monitor.startsWith("val_")) {
                throw new IllegalArgumentException("fit: " + cb.getClass().getSimpleName() + " monitors '" + monitor
                        + "', but there is no validation data: pass validationData or a validationSplit > 0");
            }
        }
    }

    /** Checks a dataset against the model; its labels are checked when its batches are made. */
    private void checkDataset(String method, Dataset data) {
        if (loss.sparse()) {
            throw new IllegalArgumentException(method + ": a Dataset gives one-hot targets, but the loss takes sparse"
                    + " labels: compile with Loss.categoricalCrossentropy(), or pass the labels as y to fit(x, y, options)");
        }
        if (data.features() != inputs) {
            throw new IllegalArgumentException(method + ": expected images of " + inputs + " features for this model ("
                    + architecture() + "), got " + data.features());
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException(method + ": the dataset is empty");
        }
    }

    /** Checks x and y against the model and each other; returns y as a matrix ((n,1) for sparse labels). */
    private Tensor checkData(String method, Tensor x, Tensor y) {
        Objects.requireNonNull(x, method + ": x");
        Objects.requireNonNull(y, method + ": y");
        if (x.rank() != 2 || x.cols() != inputs) {
            throw new IllegalArgumentException(method + ": expected x of shape (samples, " + inputs + "), got "
                    + x.shapeString());
        }
        if (y.rank() == 0 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException(method + ": x and y must have the same number of rows, got x "
                    + x.shapeString() + " and y " + y.shapeString());
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException(method + ": no samples in x " + x.shapeString());
        }
        int n = x.dim(0);
        int outs = outputs();
        if (loss.sparse()) {
            if (!(y.hasShape(n) || y.hasShape(n, 1))) {
                throw new IllegalArgumentException(method + ": sparse labels must have shape (" + n + ") or (" + n
                        + ", 1), got " + y.shapeString());
            }
            float[] l = y.data();
            for (int i = 0; i < n; i++) {
                Loss.classIndex(l[i], outs, i);
            }
            return y.reshape(n, 1);
        }
        if (!y.hasShape(n, outs)) {
            throw new IllegalArgumentException(method + ": expected y of shape (" + n + ", " + outs
                    + ") for a model with " + outs + " outputs, got " + y.shapeString());
        }
        return y;
    }

    private int countCorrect(Tensor prediction, Tensor y, int[] predicted, int[] truth) {
        int m = prediction.rows();
        kernels.argmaxRows(prediction.data(), predicted, m, prediction.cols());
        if (loss.sparse()) {
            for (int i = 0; i < m; i++) {
                truth[i] = (int) y.data()[i];
            }
        } else {
            kernels.argmaxRows(y.data(), truth, m, y.cols());
        }
        int c = 0;
        for (int i = 0; i < m; i++) {
            if (predicted[i] == truth[i]) {
                c++;
            }
        }
        return c;
    }

    /** Rows {@code [from, to)} of a matrix, copied. */
    private static Tensor rows(Tensor t, int from, int to) {
        int cols = t.dim(1);
        float[] d = java.util.Arrays.copyOfRange(t.data(), from * cols, to * cols);
        return Tensor.wrap(d, to - from, cols);
    }

    /** One buffer pool for full batches and one for the smaller last batch of an epoch. */
    private static final class PoolPerBatchSize {
        private final BufferPool first = new BufferPool();
        private final BufferPool other = new BufferPool();
        private int firstSize = -1;

        BufferPool forSize(int size) {
            if (firstSize < 0) {
                firstSize = size;
            }
            return size == firstSize ? first : other;
        }
    }
}
