package vecgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.io.StoredDtype;
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
     * for bit. Sample or class weights only switch the loss to Loss.call(y, p, weights) with the batch's
     * weights; without them the unweighted call is made, exactly as before weights existed. Metrics
     * read the predictions after the step and never touch the tape. Each step runs in a BufferPool scope (one pool per batch size), so after the first step
     * the activations and gradients reuse their buffers; pooling changes no result.
     */

    private static final int EVAL_BATCH = 32;
    /** The model's name, as Keras names the first Sequential. */
    private static final String NAME = "sequential";

    private final int[] inputShape;
    private final List<Layer> layers;
    private final List<Variable> trainable;
    /** Every weight, trainable or not, layer by layer. */
    private final List<Variable> variables;
    private Optimizer optimizer;
    private Loss loss;
    /** The compiled metrics, resolved and fresh: prototypes that fit and evaluate copy, never update. */
    private List<Metric> metrics = List.of();
    /** The compiled weighted metrics: given the sample weights (Keras' weighted_metrics). */
    private List<Metric> weightedMetrics = List.of();
    private volatile boolean stopTraining;
    /** The thread running fit, or null: a model refuses a second, concurrent training call. */
    private final AtomicReference<Thread> trainingThread = new AtomicReference<>();

    /** A model with weights drawn from seed 0. */
    public Sequential(int inputs, Layer... layers) {
        this(inputs, 0L, layers);
    }

    /**
     * A model on inputs of {@code inputs} features, {@code (batch, inputs)}, with weights drawn from
     * {@code seed}.
     *
     * @throws IllegalArgumentException if {@code inputs < 1}, there are no layers, a layer already belongs
     *     to a model, two layers have the same name, or a layer does not fit its input shape
     */
    public Sequential(int inputs, long seed, Layer... layers) {
        this(features(inputs), seed, layers);
    }

    private static int[] features(int inputs) {
        if (inputs < 1) {
            throw new IllegalArgumentException("Sequential: inputs must be >= 1, got " + inputs);
        }
        return new int[] {inputs};
    }

    /**
     * A model on inputs of shape {@code (batch, inputShape...)}, e.g. {@code {28, 28, 1}} for images,
     * with weights drawn from {@code seed}: each layer is built in order from the output shape of the
     * one before, and draws its weights in the order it creates them.
     *
     * @throws IllegalArgumentException if a dimension is below 1, there are no layers, a layer already
     *     belongs to a model, two layers have the same name, or a layer does not fit its input shape
     *     (the message names the layer and both shapes); no layer is left built then
     */
    public Sequential(int[] inputShape, long seed, Layer... layers) {
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(layers, "layers");
        if (inputShape.length == 0) {
            throw new IllegalArgumentException("Sequential: expected an input shape of rank >= 1, got ()");
        }
        for (int d : inputShape) {
            if (d < 1) {
                throw new IllegalArgumentException("Sequential: input dimensions must be >= 1, got "
                        + Tensor.shapeString(inputShape));
            }
        }
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential: expected at least one layer, got none");
        }
        for (int i = 0; i < layers.length; i++) {
            Layer layer = Objects.requireNonNull(layers[i], "layer " + (i + 1));
            if (layer.built()) {
                throw new IllegalArgumentException("Sequential: layer " + (i + 1) + " (" + layer.name()
                        + ") already belongs to a model; create a new " + layer.getClass().getSimpleName());
            }
            for (int j = 0; j < i; j++) {
                if (layers[j] == layer) {
                    throw new IllegalArgumentException("Sequential: layer " + (i + 1) + " is layer " + (j + 1)
                            + " again; a layer belongs to one place in one model");
                }
            }
        }
        Random rng = new Random(seed);
        Map<String, Integer> counts = new java.util.HashMap<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        List<Layer> built = new ArrayList<>();
        int[] shape = inputShape.clone();
        try {
            for (Layer layer : layers) {
                // Keras names: dense, dense_1, dense_2, ... per kind, unique in the model.
                String base = layer.baseName();
                String name;
                do {
                    int k = counts.merge(base, 1, Integer::sum) - 1;
                    name = k == 0 ? base : base + "_" + k;
                } while (names.contains(name));
                layer.buildFor(NAME, name, shape, rng, layerSeed(seed, built.size()));
                if (!names.add(layer.name())) {
                    throw new IllegalArgumentException("Sequential: two layers are named '" + layer.name() + "'");
                }
                built.add(layer);
                shape = layer.outputShape();
            }
        } catch (RuntimeException e) {
            for (Layer layer : built) {
                layer.unbuild();
            }
            throw e;
        }
        List<Variable> all = new ArrayList<>();
        List<Variable> train = new ArrayList<>();
        for (Layer layer : built) {
            all.addAll(layer.weights());
            train.addAll(layer.trainableWeights());
        }
        this.inputShape = inputShape.clone();
        this.layers = Collections.unmodifiableList(built);
        this.variables = Collections.unmodifiableList(all);
        this.trainable = Collections.unmodifiableList(train);
    }

    /** SplitMix64 of the model's seed and the layer's index: a seed per layer, apart from the weights' draws. */
    private static long layerSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The layers, in order. */
    public List<Layer> layers() {
        return layers;
    }

    /** The input shape without the batch axis, e.g. {@code {784}}. */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** The output shape without the batch axis, e.g. {@code {10}}. */
    public int[] outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    /** The number of input features: the last dimension of the input shape. */
    public int inputs() {
        return inputShape[inputShape.length - 1];
    }

    /** The number of outputs: the last dimension of the output shape. */
    public int outputs() {
        int[] out = outputShape();
        return out[out.length - 1];
    }

    /** The forward pass in inference mode, {@code call(x, false)}, as Keras' {@code model(x)}. */
    @Override
    public Tensor call(Tensor x) {
        return call(x, false);
    }

    @Override
    public Tensor call(Tensor x, boolean training) {
        Objects.requireNonNull(x, "x");
        checkInput("call", "x", x);
        Tensor a = x;
        for (Layer layer : layers) {
            a = layer.call(a, training);
        }
        return a;
    }

    @Override
    public List<Variable> trainableVariables() {
        return trainable;
    }

    /**
     * Every weight, trainable or not, layer by layer in creation order: what {@link #getWeights},
     * {@link #saveWeights} and a whole-model save hold.
     */
    public List<Variable> variables() {
        return variables;
    }

    /** Throws unless {@code x} is a batch of this model's input shape. */
    private void checkInput(String method, String what, Tensor x) {
        int[] s = x.shape();
        boolean fits = s.length == inputShape.length + 1;
        for (int i = 0; fits && i < inputShape.length; i++) {
            fits = s[i + 1] == inputShape[i];
        }
        if (!fits) {
            int[] expected = new int[inputShape.length + 1];
            System.arraycopy(inputShape, 0, expected, 1, inputShape.length);
            // "(samples, 784)" where a whole data set is expected, "(batch, 784)" for one batch.
            String first = method.equals("call") ? "(batch" : "(samples";
            throw new IllegalArgumentException(method + ": expected " + what + " of shape "
                    + Tensor.shapeString(expected).replaceFirst("^\\(0", first) + ", got " + x.shapeString());
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>As Keras' {@code compile(optimizer, loss, metrics)}: the metrics are reported unweighted, also
     * when fit is given sample or class weights; see {@link #compile(Optimizer, Loss, List, List)}.
     *
     * @throws IllegalArgumentException as {@link #compile(Optimizer, Loss, List, List)}
     */
    @Override
    public void compile(Optimizer optimizer, Loss loss, Metric... metrics) {
        Objects.requireNonNull(metrics, "metrics");
        compile(optimizer, loss, Arrays.asList(metrics), List.of());
    }

    /**
     * Sets the optimizer, the loss and the metrics, as Keras' {@code compile(optimizer, loss, metrics,
     * weighted_metrics)}: {@code metrics} are computed unweighted, {@code weightedMetrics} with fit's
     * sample or class weights (keras/src/trainers/compile_utils.py, CompileMetrics.update_state). Each
     * metric is copied ({@link Metric#fresh}), so the instances given are never updated by the model;
     * {@link Metric#ACCURACY} is resolved from the loss and the outputs.
     *
     * @throws IllegalArgumentException before changing anything, if a built-in metric does not fit the
     *     model's outputs or targets (top-5 on 3 outputs, binary accuracy with sparse labels, ...), or two
     *     metrics share a name, or a metric is named {@code loss} or {@code val_...}
     */
    public void compile(Optimizer optimizer, Loss loss, List<Metric> metrics, List<Metric> weightedMetrics) {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(weightedMetrics, "weightedMetrics");
        Set<String> names = new HashSet<>(Set.of("loss"));
        List<Metric> plain = resolve(metrics, loss, names);
        List<Metric> weighted = resolve(weightedMetrics, loss, names);
        this.optimizer = optimizer;
        this.loss = loss;
        this.metrics = plain;
        this.weightedMetrics = weighted;
    }

    private List<Metric> resolve(List<Metric> given, Loss loss, Set<String> names) {
        List<Metric> resolved = new ArrayList<>();
        for (Metric m : given) {
            Objects.requireNonNull(m, "metric");
            Metric r = m instanceof AutoAccuracy ? AutoAccuracy.resolve(outputs(), loss) : m.fresh();
            if (r == null || r == m) {
                throw new IllegalArgumentException("compile: metric " + m.name() + ".fresh() must return a new instance, got "
                        + (r == null ? "null" : "the metric itself"));
            }
            String name = r.name();
            if (name == null || name.isBlank() || name.startsWith("val_")) {
                throw new IllegalArgumentException("compile: expected a metric name that is not empty and does not start"
                        + " with val_ (fit adds that prefix for validation), got '" + name + "'");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("compile: two metrics would be logged as '" + name + "'"
                        + (name.equals("loss") ? " (the loss's own name)" : "") + ": each metric needs its own name");
            }
            if (r instanceof BuiltinMetric b) {
                b.checkFits("compile", outputs(), loss.sparse());
            }
            resolved.add(r);
        }
        return Collections.unmodifiableList(resolved);
    }

    /** The compiled metrics, unweighted then weighted (copies: what fit and evaluate report by name). */
    public List<Metric> metrics() {
        List<Metric> all = new ArrayList<>();
        for (Metric m : metrics) {
            all.add(m.fresh());
        }
        for (Metric m : weightedMetrics) {
            all.add(m.fresh());
        }
        return all;
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
        float[] weights = sampleWeights("fit", options, x.dim(0));
        checkClassWeights("fit", options);
        float[] trainWeights = weights;
        float[] valWeights = null;
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
            if (weights != null) {
                // Keras splits (x, y, sample_weight) together (trainer.py, train_validation_split).
                trainWeights = Arrays.copyOfRange(weights, 0, splitAt);
                valWeights = Arrays.copyOfRange(weights, splitAt, n);
            }
        }
        if (weights != null || options.classWeights() != null) {
            requireWeightedLoss("fit", Batches.inOrder(trainX, trainY, 1).iterator().next());
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainX, trainY, options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainX, trainY, options.batchSize());
        return train(batches, trainWeights, valX == null ? null : Batches.inOrder(valX, valY, EVAL_BATCH), valWeights,
                options);
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
        float[] weights = sampleWeights("fit", options, train.size());
        checkClassWeights("fit", options);
        float[] trainWeights = weights;
        float[] valWeights = null;
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
            if (weights != null) {
                trainWeights = Arrays.copyOfRange(weights, 0, trainPart.size());
                valWeights = Arrays.copyOfRange(weights, trainPart.size(), weights.length);
            }
        }
        if (weights != null || options.classWeights() != null) {
            requireWeightedLoss("fit", Batches.inOrder(trainPart, outputs(), 1).iterator().next());
        }
        Batches batches = options.shuffle()
                ? Batches.shuffled(trainPart, outputs(), options.batchSize(), new Random(options.seed()))
                : Batches.inOrder(trainPart, outputs(), options.batchSize());
        return train(batches, trainWeights, validation, valWeights, options);
    }

    /**
     * The loop of both fits, over batches already checked against the model; {@code trainWeights} and
     * {@code valWeights} are per row of the training and validation sources, or null.
     */
    private History train(Batches batches, float[] trainWeights, Batches validation, float[] valWeights,
            FitOptions options) {
        Set<String> logged = loggedNames(validation != null);
        checkMonitors(options.callbacks(), logged, validation != null);
        Map<Integer, Double> classWeights = options.classWeights();
        boolean weighted = trainWeights != null || classWeights != null;
        List<Metric> plain = fresh(metrics);
        List<Metric> withWeights = fresh(weightedMetrics);
        // The callbacks' per-batch accuracy: the change of the accuracy's sums over the batch.
        BuiltinMetric.SampleMean batchAccuracy = null;
        for (Metric m : concat(plain, withWeights)) {
            if (m.name().equals("accuracy") && m instanceof BuiltinMetric.SampleMean mean) {
                batchAccuracy = mean;
            }
        }
        History history = new History();
        ProgressBar progress = new ProgressBar(options.output(), options.verbose(), options.epochs(),
                batches.count());
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
                for (Metric m : concat(plain, withWeights)) {
                    m.reset();
                }
                double lossSum = 0;
                long seen = 0;
                for (Batches.Batch batch : batches) {
                    int m = batch.size();
                    float stepLoss;
                    Tensor prediction;
                    Tensor sampleWeight = weighted ? batchWeights(batch, trainWeights, classWeights) : null;
                    try (BufferPool.Scope step = pools.forSize(m).enter(); GradientTape tape = new GradientTape()) {
                        prediction = call(batch.x(), true);
                        // Without weights, exactly the unweighted call: the report's training stays bit for bit.
                        Tensor lossValue = sampleWeight == null ? loss.call(batch.y(), prediction)
                                : loss.call(batch.y(), prediction, sampleWeight);
                        stepLoss = lossValue.item();
                        // A non-finite loss would make every gradient non-finite: skip the update, so the
                        // weights stay those of the last good step.
                        if (Float.isFinite(stepLoss)) {
                            List<Tensor> grads = tape.gradient(lossValue, trainable);
                            optimizer.applyGradients(grads, trainable);
                        }
                    } catch (NonFiniteException e) {
                        NonFiniteException located = e.within(where(epoch, batch));
                        progress.message("Error: " + located.getMessage());
                        throw located;
                    }
                    double accTotal = batchAccuracy == null ? 0 : batchAccuracy.total();
                    double accCount = batchAccuracy == null ? 0 : batchAccuracy.count();
                    for (Metric metric : plain) {
                        metric.update(batch.y(), prediction);
                    }
                    for (Metric metric : withWeights) {
                        metric.update(batch.y(), prediction, sampleWeight);
                    }
                    lossSum += (double) stepLoss * m;
                    seen += m;
                    if (!Float.isFinite(stepLoss)) {
                        progress.message("Warning: the loss became " + stepLoss + " at epoch " + epoch + ", step "
                                + batch.number() + "; the step was not applied");
                    }
                    progress.step(batch.number(), results(lossSum / seen, plain, withWeights));
                    double stepAccuracy = batchAccuracy == null ? Double.NaN
                            : (batchAccuracy.total() - accTotal) / (batchAccuracy.count() - accCount);
                    for (Callback cb : options.callbacks()) {
                        cb.onBatchEnd(epoch, batch.number(), stepLoss, stepAccuracy);
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
                Map<String, Double> values = results(lossSum / seen, plain, withWeights);
                if (validation != null) {
                    Evaluation ev = evaluateBatches(validation, valWeights);
                    ev.values().forEach((name, value) -> values.put("val_" + name, value));
                }
                EpochLogs logs = new EpochLogs(epoch, values, (System.nanoTime() - start) / 1e9);
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

    /** {@code loss} then every metric's result, in compile order. */
    private static Map<String, Double> results(double loss, List<Metric> plain, List<Metric> withWeights) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss);
        for (Metric m : concat(plain, withWeights)) {
            values.put(m.name(), m.result());
        }
        return values;
    }

    private static List<Metric> fresh(List<Metric> prototypes) {
        List<Metric> copies = new ArrayList<>(prototypes.size());
        for (Metric m : prototypes) {
            copies.add(m.fresh());
        }
        return copies;
    }

    private static List<Metric> concat(List<Metric> a, List<Metric> b) {
        List<Metric> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
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
        return evaluateBatches(Batches.inOrder(data, outputs(), EVAL_BATCH), null);
    }

    private Evaluation evaluateChecked(Tensor x, Tensor y) {
        return evaluateBatches(Batches.inOrder(x, y, EVAL_BATCH), null);
    }

    /** The loss and the metrics over batches, the loss weighted by {@code weights} (per source row) unless null. */
    private Evaluation evaluateBatches(Batches batches, float[] weights) {
        int n = batches.samples();
        double lossSum = 0;
        List<Metric> plain = fresh(metrics);
        List<Metric> withWeights = fresh(weightedMetrics);
        PoolPerBatchSize pools = new PoolPerBatchSize();
        for (Batches.Batch batch : batches) {
            Tensor sampleWeight = weights == null ? null : batchWeights(batch, weights, null);
            try (BufferPool.Scope step = pools.forSize(batch.size()).enter()) {
                Tensor prediction = call(batch.x());
                Tensor lossValue = sampleWeight == null ? loss.call(batch.y(), prediction)
                        : loss.call(batch.y(), prediction, sampleWeight);
                lossSum += (double) lossValue.item() * batch.size();
                for (Metric metric : plain) {
                    metric.update(batch.y(), prediction);
                }
                for (Metric metric : withWeights) {
                    metric.update(batch.y(), prediction, sampleWeight);
                }
            }
        }
        return new Evaluation(results(lossSum / n, plain, withWeights), n);
    }

    @Override
    public Tensor predict(Tensor x) {
        Objects.requireNonNull(x, "x");
        checkInput("predict", "x", x);
        int n = x.dim(0);
        int[] outShape = outputShape();
        int outSize = 1;
        for (int d : outShape) {
            outSize *= d;
        }
        int[] fullShape = new int[outShape.length + 1];
        fullShape[0] = n;
        System.arraycopy(outShape, 0, fullShape, 1, outShape.length);
        Tensor out = Tensor.zeros(fullShape);
        PoolPerBatchSize pools = new PoolPerBatchSize();
        for (int start = 0; start < n; start += EVAL_BATCH) {
            int m = Math.min(EVAL_BATCH, n - start);
            try (BufferPool.Scope step = pools.forSize(m).enter()) {
                Tensor p = call(rows(x, start, start + m));
                System.arraycopy(p.data(), 0, out.data(), start * outSize, m * outSize);
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
        write("saveWeights", file, null);
    }

    /**
     * Saves the whole model to one safetensors file: its architecture as JSON in the metadata (key
     * {@value #MODEL_KEY}) and every weight, trainable or not, as F32 under its variable name, so that
     * {@link #load} rebuilds it from the file alone; the format is described in
     * {@code docs/model-format.md}. The file is replaced atomically.
     *
     * <p>Nothing is written that {@link #load} could not read back as this model: each layer is
     * rebuilt from its config through {@link LayerRegistry} first, and must give the same config.
     *
     * @throws IllegalArgumentException if a layer's class is not registered in {@link LayerRegistry},
     *     its config holds a value JSON cannot hold, or its rebuilt config differs (naming the layer)
     * @throws NonFiniteException if a weight holds NaN or an infinity (naming it)
     * @throws IOException if the file cannot be written; an existing file is then left as it was
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        write("save", file, modelConfigJson());
    }

    /** Writes the weights, and the architecture's JSON when {@code modelJson} is not null. */
    private void write(String method, Path file, String modelJson) throws IOException {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Variable v : variables) {
            vecgrad.tensor.NonFiniteException.requireFinite(method + " " + file + ": ", v.name(), v);
            named.put(v.name(), v);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vecgrad");
        meta.put("architecture", architecture());
        if (modelJson != null) {
            meta.put(MODEL_KEY, modelJson);
        }
        SafeTensors.write(file, named, meta);
    }

    /*
     * The saved architecture follows Keras' serialization_lib.serialize_keras_object
     * (keras/src/saving/serialization_lib.py): {"class_name": ..., "config": {...}} for the model and
     * for each layer, the layer's config holding its name and its get_config() settings. Our own
     * format_version guards the reader: a file of a later format is refused, not misread.
     */

    /** The metadata key holding a whole model's architecture. */
    public static final String MODEL_KEY = "vecgrad.model";
    /** The version of the architecture JSON this library writes and reads. */
    static final int FORMAT_VERSION = 1;

    /** The architecture as JSON, each layer checked to come back from its config as it is. */
    private String modelConfigJson() {
        List<Object> layerConfigs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String where = "layer " + (i + 1) + " (" + layer.name() + ")";
            String className = LayerRegistry.className(layer);
            if (!LayerRegistry.isRegistered(className)) {
                throw new IllegalArgumentException("save: " + where + " is a " + className + ", which load could not"
                        + " rebuild: register it first, LayerRegistry.register(\"" + className + "\", config -> new "
                        + className + "(...))");
            }
            Map<String, Object> own = Objects.requireNonNull(layer.config(), className + ".config()");
            if (own.containsKey("name")) {
                throw new IllegalArgumentException("save: " + where + ": " + className + ".config() must not hold"
                        + " 'name'; the model adds it");
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("name", layer.name());
            config.putAll(own);
            String ownJson = vecgrad.io.Json.write(own);
            // Through JSON and back, as load will see it: the rebuilt layer must state the same config.
            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) vecgrad.io.Json.read(vecgrad.io.Json.write(config));
            Layer rebuilt = LayerRegistry.create(className, read, "save: " + where);
            String rebuiltJson = vecgrad.io.Json.write(rebuilt.config());
            if (!rebuiltJson.equals(ownJson)) {
                throw new IllegalArgumentException("save: " + where + ": the factory registered for " + className
                        + " rebuilds a layer whose config is " + cut(rebuiltJson) + ", not " + cut(ownJson)
                        + "; load would not give this model back");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", className);
            entry.put("config", config);
            layerConfigs.add(entry);
        }
        Map<String, Object> modelConfig = new LinkedHashMap<>();
        modelConfig.put("name", NAME);
        modelConfig.put("input_shape", inputShape);
        modelConfig.put("layers", layerConfigs);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("class_name", "Sequential");
        root.put("config", modelConfig);
        root.put("format_version", FORMAT_VERSION);
        return vecgrad.io.Json.write(root);
    }

    /**
     * A model rebuilt from a file {@link #save} wrote: its layers from the architecture in the
     * metadata, through {@link LayerRegistry}, then its weights, so that it predicts exactly as the
     * saved model did. Register your own layer classes before loading.
     *
     * @throws IllegalArgumentException if the file holds weights only (use {@link #loadWeights} on a
     *     model built in code), its architecture is malformed or of a later format, names a layer class
     *     that is not registered (naming it and how to register it), or does not fit the weights (naming
     *     the tensors); no model is returned then
     * @throws NonFiniteException if a weight holds NaN or an infinity
     * @throws IOException if the file cannot be read or is not a safetensors file
     */
    public static Sequential load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        SafeTensorsContents contents = SafeTensors.read(file);
        String json = contents.metadata().get(MODEL_KEY);
        if (json == null) {
            throw new IllegalArgumentException(file + " holds weights only (no '" + MODEL_KEY + "' metadata): build the"
                    + " model in code and call loadWeights, or write the file with save");
        }
        Sequential model = fromConfigJson(file + ": ", json);
        model.loadWeights(file, contents);
        return model;
    }

    /** Whether a safetensors file's metadata holds a whole model, as {@link #save} writes it. */
    public static boolean holdsModel(SafeTensorsContents contents) {
        return Objects.requireNonNull(contents, "contents").metadata().containsKey(MODEL_KEY);
    }

    /** A model of the architecture in {@code json}, with freshly drawn weights. */
    private static Sequential fromConfigJson(String where, String json) {
        Object parsed;
        try {
            parsed = vecgrad.io.Json.read(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "the model's architecture ('" + MODEL_KEY + "') is "
                    + e.getMessage(), e);
        }
        Map<String, Object> root = object(where, "the model's architecture", parsed);
        Object version = root.get("format_version");
        if (!(version instanceof Long v) || v < 1) {
            throw new IllegalArgumentException(where + "expected a positive integer 'format_version' in the model's"
                    + " architecture, got " + describe(version));
        }
        if (v > FORMAT_VERSION) {
            throw new IllegalArgumentException(where + "the model's architecture is of format_version " + v
                    + "; this library reads format_version " + FORMAT_VERSION + ": load it with a newer vecgrad");
        }
        if (!"Sequential".equals(root.get("class_name"))) {
            throw new IllegalArgumentException(where + "expected a model of class_name \"Sequential\", got "
                    + describe(root.get("class_name")));
        }
        Map<String, Object> config = object(where, "'config'", root.get("config"));
        Object shapeValue = config.get("input_shape");
        if (!(shapeValue instanceof List<?> shapeList) || shapeList.isEmpty()) {
            throw new IllegalArgumentException(where + "expected 'input_shape' to be a non-empty list of sizes, got "
                    + describe(shapeValue));
        }
        int[] inputShape = new int[shapeList.size()];
        for (int i = 0; i < inputShape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 1 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + "expected 'input_shape' to be a list of sizes >= 1, got "
                        + describe(shapeValue));
            }
            inputShape[i] = (int) (long) d;
        }
        Object layersValue = config.get("layers");
        if (!(layersValue instanceof List<?> layerList) || layerList.isEmpty()) {
            throw new IllegalArgumentException(where + "expected 'layers' to be a non-empty list, got "
                    + describe(layersValue));
        }
        Layer[] rebuilt = new Layer[layerList.size()];
        String[] names = new String[rebuilt.length];
        for (int i = 0; i < rebuilt.length; i++) {
            String at = where + "layer " + (i + 1);
            Map<String, Object> entry = object(where, "layer " + (i + 1), layerList.get(i));
            if (!(entry.get("class_name") instanceof String className)) {
                throw new IllegalArgumentException(at + ": expected a string 'class_name', got "
                        + describe(entry.get("class_name")));
            }
            Map<String, Object> layerConfig = object(where, "layer " + (i + 1) + "'s 'config'", entry.get("config"));
            if (!(layerConfig.get("name") instanceof String name)) {
                throw new IllegalArgumentException(at + ": expected a string 'name' in its config, got "
                        + describe(layerConfig.get("name")));
            }
            names[i] = name;
            rebuilt[i] = LayerRegistry.create(className, layerConfig, at + " (" + cut(name) + ")");
        }
        Sequential model;
        try {
            model = new Sequential(inputShape, 0L, rebuilt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "the saved layers do not form a model: " + e.getMessage(), e);
        }
        for (int i = 0; i < rebuilt.length; i++) {
            if (!rebuilt[i].name().equals(names[i])) {
                throw new IllegalArgumentException(where + "layer " + (i + 1) + " is named '" + cut(names[i])
                        + "' in the file but '" + rebuilt[i].name() + "' when rebuilt: a layer of your own with a"
                        + " name should be made with config.name()");
            }
        }
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String where, String what, Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + "expected " + what + " to be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing (or null)";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "a list";
        }
        return value instanceof String s ? "\"" + cut(s) + "\"" : String.valueOf(value);
    }

    /** A name or value from a file, cut to 60 characters so that a message stays one short line. */
    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "\u2026";
    }

    @Override
    public void loadWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        loadWeights(file, SafeTensors.read(file));
    }

    /** Checks everything in {@code contents} against the model, then assigns the weights: all or nothing. */
    private void loadWeights(Path file, SafeTensorsContents contents) {
        List<String> problems = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        List<String> names = namesInFile(contents);
        for (int i = 0; i < variables.size(); i++) {
            Variable v = variables.get(i);
            String key = names.get(i);
            Tensor t = contents.tensors().get(key);
            if (t == null) {
                problems.add("missing " + key + " " + v.shapeString());
                continue;
            }
            if (contents.dtype(key) != StoredDtype.F32) {
                problems.add(key + " is " + contents.dtype(key) + ", expected F32");
            }
            if (!t.sameShape(v)) {
                problems.add(key + " has shape " + t.shapeString() + ", expected " + v.shapeString());
            }
            weights.add(t);
        }
        for (String name : contents.tensors().keySet()) {
            if (!names.contains(name)) {
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
            vecgrad.tensor.NonFiniteException.requireFinite(file + ": ", names.get(i), weights.get(i));
        }
        setWeights(weights);
    }

    /*
     * Files of vecgrad 0.1, and the Python scripts written for them, name a Dense network's weights W1,
     * b1, ..., Wn, bn. A file that holds W1 and none of this model's names is read that way, when every
     * layer is a Dense layer; anything else is read by the variables' own names (dense/kernel, ...).
     */
    private List<String> namesInFile(SafeTensorsContents contents) {
        List<String> own = variables.stream().map(Variable::name).toList();
        boolean legacy = contents.tensors().containsKey("W1") && own.stream().noneMatch(contents.tensors()::containsKey)
                && layers.stream().allMatch(l -> l instanceof Dense);
        if (!legacy) {
            return own;
        }
        List<String> old = new ArrayList<>();
        for (int i = 1; i <= layers.size(); i++) {
            old.add("W" + i);
            old.add("b" + i);
        }
        return old;
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
        long frozen = 0;
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            long params = layer.countParams();
            total += params;
            for (Variable v : layer.nonTrainableWeights()) {
                frozen += v.size();
            }
            String shape = Tensor.shapeString(layer.outputShape()).replaceFirst("^\\(", "(None, ");
            sb.append(String.format(Locale.ROOT, " %-28s%-26s%-10s%n", layer.name() + " ("
                    + layer.className() + ")", shape, String.format(Locale.ROOT, "%,d", params)));
            sb.append(i == layers.size() - 1 ? "=".repeat(65) : " ").append('\n');
        }
        sb.append(String.format(Locale.ROOT, "Total params: %,d%n", total));
        sb.append(String.format(Locale.ROOT, "Trainable params: %,d%n", total - frozen));
        sb.append(String.format(Locale.ROOT, "Non-trainable params: %,d%n", frozen)).append(rule).append('\n');
        return sb.toString();
    }

    /**
     * The input shape and layers in one line, e.g. {@code 784-256(relu)-128(relu)-10(softmax)}: a
     * Dense layer as its units and activation, any other layer as its base name
     * ({@code 784-256(relu)-dropout-10(softmax)}); an input of rank above 1 as {@code 28x28x1}.
     */
    public String architecture() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < inputShape.length; i++) {
            sb.append(i == 0 ? "" : "x").append(inputShape[i]);
        }
        for (Layer layer : layers) {
            sb.append('-');
            if (layer instanceof Dense d) {
                sb.append(d.units()).append('(').append(d.activation().kerasName()).append(')');
            } else {
                sb.append(layer.baseName());
            }
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

    /** The names fit logs each epoch: loss and every metric, and their val_ twins with validation. */
    private Set<String> loggedNames(boolean validated) {
        Set<String> names = new java.util.LinkedHashSet<>();
        names.add("loss");
        for (Metric m : concat(metrics, weightedMetrics)) {
            names.add(m.name());
        }
        if (validated) {
            for (String name : List.copyOf(names)) {
                names.add("val_" + name);
            }
        }
        return names;
    }

    /**
     * A callback that monitors a name fit will never log would fail at the end of the first epoch, or
     * never save: say so before training. Then a monitor in mode auto learns its metric's direction.
     */
    private void checkMonitors(List<Callback> callbacks, Set<String> logged, boolean validated) {
        for (Callback cb : callbacks) {
            String monitor = cb instanceof EarlyStopping es ? es.monitor()
                    : cb instanceof ModelCheckpoint mc && mc.saveBestOnly() ? mc.monitor() : null;
            if (monitor == null) {
                continue;
            }
            String who = cb.getClass().getSimpleName();
            if (!logged.contains(monitor)) {
                if (monitor.startsWith("val_") && !validated) {
                    throw new IllegalArgumentException("fit: " + who + " monitors '" + monitor + "', but there is no"
                            + " validation data: pass validationData or a validationSplit > 0");
                }
                throw new IllegalArgumentException("fit: " + who + " monitors '" + monitor + "', which fit will never"
                        + " log: it logs " + String.join(", ", logged) + " (compile the metric to monitor it)");
            }
            String base = monitor.startsWith("val_") && logged.contains(monitor.substring(4)) ? monitor.substring(4) : monitor;
            Metric.Direction direction = Metric.Direction.DOWN; // the loss
            for (Metric m : concat(metrics, weightedMetrics)) {
                if (m.name().equals(base)) {
                    direction = m.direction();
                }
            }
            if (cb instanceof EarlyStopping es) {
                es.resolve(direction);
            } else {
                ((ModelCheckpoint) cb).resolve(direction);
            }
        }
    }

    /** The checked sample weights as an array, or null; their length must be {@code n}. */
    private static float[] sampleWeights(String method, FitOptions options, int n) {
        Tensor w = options.sampleWeights();
        if (w == null) {
            return null;
        }
        if (w.size() != n) {
            throw new IllegalArgumentException(method + ": expected sample weights of shape (" + n + "), one per sample of x,"
                    + " got " + w.shapeString());
        }
        return w.data().clone();
    }

    /** Refuses class weights for classes this model's targets cannot hold. */
    private void checkClassWeights(String method, FitOptions options) {
        Map<Integer, Double> cw = options.classWeights();
        if (cw == null) {
            return;
        }
        // A 1-unit output without a sparse loss has 0/1 targets: classes 0 and 1.
        int classes = outputs() == 1 && !loss.sparse() ? 2 : outputs();
        for (int c : cw.keySet()) {
            if (c >= classes) {
                throw new IllegalArgumentException(method + ": class weights name class " + c + ", but the targets of this"
                        + " model (" + architecture() + ") have classes 0.." + (classes - 1));
            }
        }
    }

    /** Checks, on one sample, that the loss takes sample weights, before any step. */
    private void requireWeightedLoss(String method, Batches.Batch first) {
        Tensor one = Tensor.wrap(new float[] {1f}, 1);
        try {
            GradientTape.unrecorded(() -> loss.call(first.y(), call(first.x()), one));
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException(method + ": sample or class weights were given, but the loss " + loss.name()
                    + " does not take sample weights (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A batch's weights {@code (m)}: the sample weights of its rows, or the class weight of each row's
     * target (keras/src/trainers/data_adapters/data_adapter_utils.py, class_weight_to_sample_weights:
     * arg-max of a one-hot row, the rounded value of a one-column target, 1 for an unlisted class).
     */
    private Tensor batchWeights(Batches.Batch batch, float[] sampleWeights, Map<Integer, Double> classWeights) {
        int m = batch.size();
        float[] w = new float[m];
        if (sampleWeights != null) {
            int[] rows = batch.rows();
            for (int i = 0; i < m; i++) {
                w[i] = sampleWeights[rows[i]];
            }
            return Tensor.wrap(w, m);
        }
        float[] y = batch.y().data();
        int k = batch.y().size() / m;
        for (int i = 0; i < m; i++) {
            int c;
            if (k == 1) {
                c = (int) Math.rint(y[i]); // NumPy's round: halves to even
            } else {
                c = 0;
                for (int j = 1; j < k; j++) {
                    if (y[i * k + j] > y[i * k + c]) {
                        c = j;
                    }
                }
            }
            w[i] = classWeights.getOrDefault(c, 1.0).floatValue();
        }
        return Tensor.wrap(w, m);
    }

    /** Checks a dataset against the model; its labels are checked when its batches are made. */
    private void checkDataset(String method, Dataset data) {
        if (loss.sparse()) {
            throw new IllegalArgumentException(method + ": a Dataset gives one-hot targets, but the loss takes sparse"
                    + " labels: compile with Loss.categoricalCrossentropy(), or pass the labels as y to fit(x, y, options)");
        }
        if (inputShape.length != 1 || data.features() != inputs()) {
            throw new IllegalArgumentException(method + ": expected images of " + inputs() + " features for this model ("
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
        checkInput(method, "x", x);
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
                BuiltinLoss.classIndex(l[i], outs, i);
            }
            return y.reshape(n, 1);
        }
        if (!y.hasShape(n, outs)) {
            throw new IllegalArgumentException(method + ": expected y of shape (" + n + ", " + outs
                    + ") for a model with " + outs + " outputs, got " + y.shapeString());
        }
        return y;
    }

    /** Rows {@code [from, to)} of a matrix, copied. */
    private static Tensor rows(Tensor t, int from, int to) {
        int[] shape = t.shape();
        int row = t.size() / Math.max(1, shape[0]);
        float[] d = java.util.Arrays.copyOfRange(t.data(), from * row, to * row);
        shape[0] = to - from;
        return Tensor.wrap(d, shape);
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
