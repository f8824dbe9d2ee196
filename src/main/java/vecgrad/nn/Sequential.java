package vecgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import vecgrad.data.BatchSource;
import vecgrad.data.Dataset;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.kernel.WarmUp;
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
     * The model holds its layers, weights and compiled settings; the batch loops of fit, evaluate and
     * predict are in FitLoop, the weights and architecture files in ModelFiles.
     */

    /** The model's name, as Keras names the first Sequential. */
    static final String NAME = "sequential";

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
    /** Whether a training call has already considered waiting for the automatic warm-up (see call). */
    private boolean warmUpAwaited;
    /** Multiply-adds of a forward pass from which the first training call waits for the warm-up. */
    private static final double LARGE_STEP = 1e7;
    /** The thread running fit, or null: a model refuses a second, concurrent training call. */
    private final AtomicReference<Thread> trainingThread = new AtomicReference<>();
    /** evaluate's and predict's buffer pools, kept between calls (a few MB at most); null while a call holds them. */
    private final AtomicReference<FitLoop.EvalPools> evalPools = new AtomicReference<>();

    /**
     * A model with weights drawn from seed 0.
     *
     * @param inputs the number of input features, at least 1
     * @param layers the layers, in order; each must be new (not yet in a model) and named uniquely
     * @throws IllegalArgumentException as {@link #Sequential(int, long, Layer...)}
     */
    public Sequential(int inputs, Layer... layers) {
        this(inputs, 0L, layers);
    }

    /**
     * A model on inputs of {@code inputs} features, {@code (batch, inputs)}, with weights drawn from
     * {@code seed}.
     *
     * @param inputs the number of input features, at least 1
     * @param seed   the seed of the random generator the layers draw their initial weights from
     * @param layers the layers, in order; each must be new (not yet in a model) and named uniquely
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
     * <p>The JVM's first model also starts the kernels' warm-up on a background daemon thread, unless
     * {@code Mnist.load} started it before (see {@link vecgrad.tensor.Backend}; {@code -Dvecgrad.warmUp=off}
     * turns it off). It changes no result.
     *
     * @param inputShape the shape of one sample, without the batch axis; every dimension at least 1
     * @param seed       the seed of the random generator the layers draw their initial weights from
     * @param layers the layers, in order; each must be new (not yet in a model) and named uniquely
     * @throws IllegalArgumentException if a dimension is below 1, there are no layers, a layer already
     *     belongs to a model, two layers have the same name, or a layer does not fit its input shape
     *     (the message names the layer and both shapes), or if system property {@code vecgrad.warmUp}
     *     is neither {@code auto} nor {@code off}; no layer is left built then
     */
    public Sequential(int[] inputShape, long seed, Layer... layers) {
        Objects.requireNonNull(inputShape, "inputShape");
        Objects.requireNonNull(layers, "layers");
        boolean warmUp = WarmUp.automaticEnabled();
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
        if (warmUp) {
            // The JVM's first model starts the kernels' warm-up (Backend.warmUp), so that they compile while
            // the program goes on to its data and compile(); fit waits for it when its work is large.
            WarmUp.startAutomatic();
        }
    }

    /** SplitMix64 of the model's seed and the layer's index: a seed per layer, apart from the weights' draws. */
    private static long layerSeed(long seed, int index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The number of weights of all layers, trainable or not (Keras' {@code count_params()}). */
    long countParams() {
        long params = 0;
        for (Layer layer : layers) {
            params += layer.countParams();
        }
        return params;
    }

    /** {@return the layers, in order} */
    public List<Layer> layers() {
        return layers;
    }

    /** {@return a copy of the input shape without the batch axis, e.g. {@code {784}}} */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** {@return the output shape without the batch axis, e.g. {@code {10}}} */
    public int[] outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }

    /** {@return the number of input features: the last dimension of the input shape} */
    public int inputs() {
        return inputShape[inputShape.length - 1];
    }

    /** {@return the number of outputs: the last dimension of the output shape} */
    public int outputs() {
        int[] out = outputShape();
        return out[out.length - 1];
    }

    /**
     * The forward pass in inference mode, {@code call(x, false)}, as Keras' {@code model(x)}.
     *
     * @param x the inputs {@code (batch, inputShape...)}
     * @return the outputs {@code (batch, outputShape...)}
     */
    @Override
    public Tensor call(Tensor x) {
        return call(x, false);
    }

    @Override
    public Tensor call(Tensor x, boolean training) {
        Objects.requireNonNull(x, "x");
        checkInput("call", "x", x);
        if (training && !warmUpAwaited) {
            warmUpAwaited = true;
            // A custom training loop's first step waits for the automatic warm-up as fit does, when the
            // step is large (the report's MLP at batch 128: 3·10^7 multiply-adds forward): running beside
            // it, the loop's first steps shared the cores with it on uncompiled kernels (bench/RESULTS.md).
            if ((double) countParams() * x.dim(0) >= LARGE_STEP) {
                WarmUp.awaitAutomatic();
            }
        }
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

    @Override
    public List<Tensor> losses() {
        List<Tensor> penalties = new ArrayList<>();
        for (Layer layer : layers) {
            penalties.addAll(layer.losses());
        }
        return penalties;
    }

    /** {@code loss} plus each of {@code penalties} in order, one recorded add each: {@link #losses()}' contract. */
    static Tensor plusPenalties(Tensor loss, List<Tensor> penalties) {
        Tensor total = loss;
        for (Tensor penalty : penalties) {
            total = vecgrad.autodiff.Ops.add(total, penalty);
        }
        return total;
    }

    /**
     * Every weight, trainable or not, layer by layer in creation order: what {@link #getWeights},
     * {@link #saveWeights} and a whole-model save hold.
     *
     * @return every weight of the model, trainable or not
     */
    public List<Variable> variables() {
        return variables;
    }

    /** Throws unless {@code x} is a batch of this model's input shape. */
    void checkInput(String method, String what, Tensor x) {
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
     * @param optimizer       the optimizer that applies the gradients in {@link #fit}
     * @param loss            the loss fit minimises and evaluate reports
     * @param metrics         the metrics reported unweighted, possibly empty
     * @param weightedMetrics the metrics weighted by fit's sample or class weights, possibly empty
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

    /** {@return the compiled metrics, unweighted then weighted (copies: what fit and evaluate report by name)} */
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
        return new FitLoop(this).fit(x, y, options);
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
        return new FitLoop(this).fit(train, options);
    }

    /**
     * Trains on batches streamed from a {@link BatchSource} (an IDX file read batch by batch, a
     * generator), as Keras' {@code fit} over a generator: data larger than memory never has to be
     * loaded. The source decides the batches and their order: {@code batchSize}, {@code shuffle} and
     * {@code seed} do not apply. With {@link FitOptions#stepsPerEpoch} each epoch takes that many batches
     * from one pass carried on across epochs (required for an endless source); without, each epoch is
     * one whole pass. Sample weights come with the batches; class weights apply as for in-memory data.
     * Validation comes from {@link FitOptions#validationData} (tensors, a dataset or a finite source).
     *
     * <p>Given the same batches in the same order, this trains exactly as
     * {@link #fit(Tensor, Tensor, FitOptions)} does, bit for bit: both run the same loop.
     *
     * @param train   the training batches
     * @param options the epochs, steps per epoch, validation, callbacks and other settings
     * @return the per-epoch logs of the loss, metrics and validation results
     * @throws IllegalStateException before {@link #compile}, or while another thread trains this model;
     *     also if the source gives no batch in an epoch
     * @throws IllegalArgumentException before the first step for an endless source without
     *     {@code stepsPerEpoch}, an endless validation source, a {@code validationSplit}, sample weights in
     *     the options, or class weights the targets cannot hold; at the step, for a batch that does not
     *     fit the model (naming the epoch and step)
     * @throws NonFiniteException as {@link #fit(Tensor, Tensor, FitOptions)}
     */
    public History fit(BatchSource train, FitOptions options) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(options, "options");
        requireCompiled("fit");
        return new FitLoop(this).fit(train, options);
    }

    // ---------------------------------------------------------------- evaluate / predict

    @Override
    public Evaluation evaluate(Tensor x, Tensor y) {
        requireCompiled("evaluate");
        return new FitLoop(this).evaluate(x, y);
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
        return new FitLoop(this).evaluate(data);
    }

    @Override
    public Tensor predict(Tensor x) {
        Objects.requireNonNull(x, "x");
        checkInput("predict", "x", x);
        return new FitLoop(this).predict(x);
    }

    /**
     * As {@link #evaluate(Tensor, Tensor)}, calling the callbacks' {@code setParams}, {@code setModel}
     * and test hooks ({@link Callback#onTestBegin}, per batch of 32 {@link Callback#onTestBatchBegin} and
     * {@link Callback#onTestBatchEnd} with the running values, {@link Callback#onTestEnd}), as Keras'
     * {@code evaluate(..., callbacks=...)}.
     *
     * @param x         the inputs {@code (samples, inputs)}
     * @param y         the targets, one row per row of {@code x}
     * @param callbacks the callbacks to call, possibly none
     * @return the loss and the compiled metrics over all samples
     * @throws IllegalStateException before {@link #compile}
     * @throws IllegalArgumentException if x or y do not fit the model or each other
     */
    public Evaluation evaluate(Tensor x, Tensor y, Callback... callbacks) {
        List<Callback> list = List.of(Objects.requireNonNull(callbacks, "callbacks"));
        requireCompiled("evaluate");
        return new FitLoop(this).evaluate(x, y, list);
    }

    /**
     * As {@link #predict(Tensor)}, calling the callbacks' {@code setParams}, {@code setModel} and
     * predict hooks ({@link Callback#onPredictBegin}, per batch of 32 {@link Callback#onPredictBatchBegin}
     * and {@link Callback#onPredictBatchEnd} with the batch's outputs, {@link Callback#onPredictEnd}).
     *
     * @param x         the inputs {@code (samples, inputs)}
     * @param callbacks the callbacks to call, possibly none
     * @return the outputs {@code (samples, outputs)}
     * @throws IllegalArgumentException if x does not fit the model
     */
    public Tensor predict(Tensor x, Callback... callbacks) {
        Objects.requireNonNull(x, "x");
        List<Callback> list = List.of(Objects.requireNonNull(callbacks, "callbacks"));
        checkInput("predict", "x", x);
        return new FitLoop(this).predict(x, list);
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
        ModelFiles.saveWeights(this, file);
    }

    /**
     * Saves the whole model to one safetensors file: its architecture as JSON in the metadata (key
     * {@value #MODEL_KEY}) and every weight, trainable or not, as F32 under its variable name, so that
     * {@link #load} rebuilds it from the file alone; the format is described in
     * {@code docs/model-format.md}. The file is replaced atomically.
     *
     * <p>Nothing is written that {@link #load} could not read back as this model: each layer is
     * rebuilt from its config through {@link LayerRegistry} first, and must give the same config. A
     * compiled model also saves its compile config and optimizer state: see {@link #save(Path, boolean)}.
     *
     * @throws IllegalArgumentException if a layer's class is not registered in {@link LayerRegistry},
     *     its config holds a value JSON cannot hold, or its rebuilt config differs (naming the layer); or
     *     if the model is compiled with an optimizer, schedule, loss or metric of your own (naming it:
     *     save with {@code includeOptimizer} false then)
     * @throws NonFiniteException if a weight or an optimizer slot holds NaN or an infinity (naming it)
     * @param file the safetensors file to write; replaced if it exists
     * @throws IOException if the file cannot be written; an existing file is then left as it was
     */
    public void save(Path file) throws IOException {
        save(file, true);
    }

    /**
     * Saves the whole model as {@link #save(Path)} does; with {@code includeOptimizer} false (Keras'
     * {@code include_optimizer=False}) the file holds the architecture and weights only, and
     * {@link #load} returns a model that is not compiled.
     *
     * <p>With {@code includeOptimizer} true and a compiled model, the file also holds the compile config
     * (the optimizer's class and settings with its learning-rate schedule, the loss, the metrics) and,
     * once the optimizer has taken a step, its state (iteration count and slots) as tensors named
     * {@code optimizer/...}, so that {@link #load} gives back a compiled model whose training continues
     * exactly where this one stopped.
     *
     * @param file             the safetensors file to write; replaced if it exists
     * @param includeOptimizer whether to save the compile config and the optimizer's state
     * @throws IllegalArgumentException as {@link #save(Path)}; and with {@code includeOptimizer}, if the
     *     optimizer, its schedule, the loss or a metric is not one of the library's, so that load could
     *     not rebuild it (naming it), or the optimizer's state is not that of this model's trainable
     *     variables (an optimizer shared with another model)
     * @throws NonFiniteException if a weight or an optimizer slot holds NaN or an infinity (naming it)
     * @throws IOException if the file cannot be written; an existing file is then left as it was
     */
    public void save(Path file, boolean includeOptimizer) throws IOException {
        Objects.requireNonNull(file, "file");
        ModelFiles.save(this, file, includeOptimizer);
    }

    /** The metadata key holding a whole model's architecture. */
    public static final String MODEL_KEY = "vecgrad.model";

    /**
     * A model rebuilt from a file {@link #save} wrote: its layers from the architecture in the
     * metadata, through {@link LayerRegistry}, then its weights, so that it predicts exactly as the
     * saved model did. Register your own layer classes before loading. When the file holds a compile
     * config, the model comes back compiled with the same optimizer settings, loss and metrics, and the
     * optimizer's saved state, so that fit continues as the saved model's would have.
     *
     * @param file a safetensors file written by {@link #save}
     * @return the rebuilt model, with the saved weights; compiled if the file holds a compile config
     * @throws IllegalArgumentException if the file holds weights only (use {@link #loadWeights} on a
     *     model built in code), its architecture is malformed or of a later format, names a layer class
     *     that is not registered (naming it and how to register it), or does not fit the weights (naming
     *     the tensors), or its compile config names an unknown optimizer, schedule, loss or metric or a bad
     *     setting, or its optimizer state is missing, extra or of another shape (naming the file and the
     *     field); no model is returned then
     * @throws NonFiniteException if a weight holds NaN or an infinity
     * @throws IOException if the file cannot be read or is not a safetensors file
     */
    public static Sequential load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return ModelFiles.load(file);
    }

    /**
     * Whether a safetensors file's metadata holds a whole model, as {@link #save} writes it.
     *
     * @param contents a safetensors file as read
     * @return true if its metadata holds a model's architecture under {@link #MODEL_KEY}
     */
    public static boolean holdsModel(SafeTensorsContents contents) {
        return Objects.requireNonNull(contents, "contents").metadata().containsKey(MODEL_KEY);
    }

    @Override
    public void loadWeights(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        ModelFiles.loadWeights(this, file, SafeTensors.read(file));
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
     *
     * @return the architecture line
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
     * with weights of no sequential order. call, predict and evaluate only read the weights and hold
     * their buffers for one call (predict and evaluate keep them in the model between calls, taken by
     * one call at a time), so they may run on other threads during fit; they then see the weights as
     * they are at that moment, possibly mid-step.
     */

    void beginTraining(String method) {
        Thread other = trainingThread.compareAndExchange(null, Thread.currentThread());
        if (other != null) {
            throw new IllegalStateException(method + ": model '" + NAME + "' (" + architecture() + ") is already being"
                    + " trained by fit on thread '" + other.getName() + "'; a model cannot be trained twice at once:"
                    + " give each thread its own model and optimizer");
        }
    }

    void endTraining() {
        trainingThread.set(null);
    }

    /**
     * The pools evaluate and predict keep between calls, for one call: a call on another thread meanwhile
     * finds none and makes its own, so no two calls share a pool.
     */
    FitLoop.EvalPools takeEvalPools() {
        FitLoop.EvalPools pools = evalPools.getAndSet(null);
        return pools != null ? pools : new FitLoop.EvalPools();
    }

    /** Gives the pools back after a call, for the next. */
    void keepEvalPools(FitLoop.EvalPools pools) {
        evalPools.set(pools);
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

    /** The compiled metrics: prototypes that fit and evaluate copy, never update. */
    List<Metric> compiledMetrics() {
        return metrics;
    }

    /** The compiled weighted metrics, prototypes as {@link #compiledMetrics()}. */
    List<Metric> compiledWeightedMetrics() {
        return weightedMetrics;
    }

    /** Whether {@link #stopTraining()} was called since fit began. */
    boolean stopRequested() {
        return stopTraining;
    }

    /** Forgets a stop asked for before this fit began. */
    void clearStopRequest() {
        stopTraining = false;
    }
}
