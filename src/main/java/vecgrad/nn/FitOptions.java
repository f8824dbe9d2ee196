package vecgrad.nn;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vecgrad.data.BatchSource;
import vecgrad.data.Dataset;
import vecgrad.tensor.Tensor;

/**
 * The options of {@link Model#fit}, with Keras' defaults: 1 epoch, batch size 32, no validation,
 * shuffling every epoch, verbose 1. Immutable: each setter returns a new instance, and checks its
 * argument at once.
 *
 * <pre>{@code
 * FitOptions options = FitOptions.defaults().epochs(5).batchSize(128).validationSplit(0.1).seed(42);
 * }</pre>
 *
 * <p>Unlike Keras, shuffling is seeded by default (seed 0), so two runs of the same program give the
 * same batches; pass another {@link #seed} to vary them.
 */
public final class FitOptions {

    private int epochs = 1;
    private int batchSize = 32;
    private double validationSplit;
    private Tensor validationX;
    private Tensor validationY;
    private Dataset validationDataset;
    private BatchSource validationSource;
    private int stepsPerEpoch;
    private boolean shuffle = true;
    private long seed;
    private List<Callback> callbacks = List.of();
    private int verbose = 1;
    private PrintStream out = System.out;
    private Tensor sampleWeights;
    private Map<Integer, Double> classWeights;

    private FitOptions() {
    }

    /** {@return new options with Keras' defaults (1 epoch, batch size 32, no validation, shuffled, verbose 1)} */
    public static FitOptions defaults() {
        return new FitOptions();
    }

    private FitOptions copy() {
        FitOptions c = new FitOptions();
        c.epochs = epochs;
        c.batchSize = batchSize;
        c.validationSplit = validationSplit;
        c.validationX = validationX;
        c.validationY = validationY;
        c.validationDataset = validationDataset;
        c.validationSource = validationSource;
        c.stepsPerEpoch = stepsPerEpoch;
        c.shuffle = shuffle;
        c.seed = seed;
        c.callbacks = callbacks;
        c.verbose = verbose;
        c.out = out;
        c.sampleWeights = sampleWeights;
        c.classWeights = classWeights;
        return c;
    }

    /**
     * The number of passes over the training data, &gt;= 1.
     *
     * @param epochs the number of epochs, at least 1
     * @return a copy of these options with that number of epochs
     * @throws IllegalArgumentException if {@code epochs < 1}
     */
    public FitOptions epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        FitOptions c = copy();
        c.epochs = epochs;
        return c;
    }

    /**
     * Samples per gradient step, &gt;= 1; the last batch of an epoch may be smaller.
     *
     * @param batchSize the number of samples per batch, at least 1
     * @return a copy of these options with that batch size
     * @throws IllegalArgumentException if {@code batchSize < 1}
     */
    public FitOptions batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        FitOptions c = copy();
        c.batchSize = batchSize;
        return c;
    }

    /**
     * The fraction of the training data, in [0, 1), held out for validation. As in Keras, it is the LAST
     * {@code floor(n · (1 - split))..n} samples, taken before any shuffling. Ignored when
     * {@link #validationData} is given.
     *
     * @param validationSplit the held-out fraction, in [0, 1); 0 means no validation split
     * @return a copy of these options with that validation split
     * @throws IllegalArgumentException if the fraction is outside [0, 1) or NaN
     */
    public FitOptions validationSplit(double validationSplit) {
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validationSplit must be in [0, 1), got " + validationSplit);
        }
        FitOptions c = copy();
        c.validationSplit = validationSplit;
        return c;
    }

    /**
     * Data to validate on at the end of each epoch (takes precedence over {@link #validationSplit}).
     *
     * @param x the validation inputs {@code (samples, inputs)}
     * @param y the validation targets {@code (samples, outputs)}, one row per row of {@code x}
     * @return a copy of these options validating on {@code x} and {@code y}, replacing any validation dataset
     * @throws IllegalArgumentException if either tensor is a scalar or their numbers of rows differ
     */
    public FitOptions validationData(Tensor x, Tensor y) {
        Objects.requireNonNull(x, "validation x");
        Objects.requireNonNull(y, "validation y");
        if (x.rank() == 0 || y.rank() == 0 || x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("validation x and y must have the same number of rows, got x "
                    + x.shapeString() + " and y " + y.shapeString());
        }
        FitOptions c = copy();
        c.validationX = x;
        c.validationY = y;
        c.validationDataset = null;
        c.validationSource = null;
        return c;
    }

    /**
     * A dataset to validate on at the end of each epoch, its labels one-hot over the model's outputs
     * (takes precedence over {@link #validationSplit}; replaces tensors given to {@link #validationData(Tensor, Tensor)}).
     *
     * @param data the validation dataset
     * @return a copy of these options validating on {@code data}
     */
    public FitOptions validationData(Dataset data) {
        Objects.requireNonNull(data, "validation data");
        FitOptions c = copy();
        c.validationX = null;
        c.validationY = null;
        c.validationDataset = data;
        c.validationSource = null;
        return c;
    }

    /**
     * A batch source to validate on at the end of each epoch: one whole pass each time, so it must end
     * ({@link BatchSource#INFINITE} is refused by fit before training). Replaces other validation data.
     *
     * @param data the validation batches
     * @return a copy of these options validating on {@code data}
     */
    public FitOptions validationData(BatchSource data) {
        Objects.requireNonNull(data, "validation data");
        FitOptions c = copy();
        c.validationX = null;
        c.validationY = null;
        c.validationDataset = null;
        c.validationSource = data;
        return c;
    }

    /**
     * Keras' {@code steps_per_epoch}: the number of batches per epoch, taken from an iterator that carries
     * on across epochs (keras/src/trainers/epoch_iterator.py); 0, the default, means one whole pass per
     * epoch. Required for an endless {@link BatchSource}.
     *
     * @param steps the batches per epoch, &gt;= 1, or 0 for whole passes
     * @return a copy of these options with that number of steps per epoch
     * @throws IllegalArgumentException if {@code steps < 0}
     */
    public FitOptions stepsPerEpoch(int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("stepsPerEpoch must be >= 1, or 0 for whole passes, got " + steps);
        }
        FitOptions c = copy();
        c.stepsPerEpoch = steps;
        return c;
    }

    /** {@return the batches per epoch, or 0 for one whole pass per epoch} */
    public int stepsPerEpoch() {
        return stepsPerEpoch;
    }

    /** {@return the validation batch source, or null} */
    public BatchSource validationSource() {
        return validationSource;
    }

    /**
     * Whether to shuffle the training samples before every epoch (default true).
     *
     * @param shuffle true to shuffle before every epoch, false to keep the data's order
     * @return a copy of these options with that shuffling
     */
    public FitOptions shuffle(boolean shuffle) {
        FitOptions c = copy();
        c.shuffle = shuffle;
        return c;
    }

    /**
     * The seed of the shuffling (default 0).
     *
     * @param seed the seed of the random generator that orders the samples
     * @return a copy of these options with that seed
     */
    public FitOptions seed(long seed) {
        FitOptions c = copy();
        c.seed = seed;
        return c;
    }

    /**
     * Callbacks, called in the order given.
     *
     * @param callbacks the callbacks, none null; they replace any given before
     * @return a copy of these options with those callbacks
     */
    public FitOptions callbacks(Callback... callbacks) {
        Objects.requireNonNull(callbacks, "callbacks");
        List<Callback> list = new ArrayList<>();
        for (Callback cb : callbacks) {
            list.add(Objects.requireNonNull(cb, "callback"));
        }
        FitOptions c = copy();
        c.callbacks = Collections.unmodifiableList(list);
        return c;
    }

    /**
     * 0 = silent; 1 = a live progress bar when the output is a terminal, one line per epoch otherwise;
     * 2 = one line per epoch.
     *
     * @param verbose the verbosity: 0, 1 or 2
     * @return a copy of these options with that verbosity
     * @throws IllegalArgumentException if {@code verbose} is not 0, 1 or 2
     */
    public FitOptions verbose(int verbose) {
        if (verbose < 0 || verbose > 2) {
            throw new IllegalArgumentException("verbose must be 0, 1 or 2, got " + verbose);
        }
        FitOptions c = copy();
        c.verbose = verbose;
        return c;
    }

    /**
     * Keras' {@code verbose="auto"}: 1, as Keras 3 resolves it outside distributed training (a live bar
     * on a terminal, one line per epoch elsewhere); also accepts {@code "0"}, {@code "1"} and {@code "2"}.
     *
     * @param verbose {@code "auto"}, {@code "0"}, {@code "1"} or {@code "2"}
     * @return a copy of these options with that verbosity
     * @throws IllegalArgumentException for any other text
     */
    public FitOptions verbose(String verbose) {
        Objects.requireNonNull(verbose, "verbose");
        return switch (verbose) {
            case "auto", "1" -> verbose(1);
            case "0" -> verbose(0);
            case "2" -> verbose(2);
            default -> throw new IllegalArgumentException("verbose must be \"auto\", 0, 1 or 2, got \"" + verbose + "\"");
        };
    }

    /**
     * Where progress is printed (default {@code System.out}).
     *
     * @param out the stream progress bars and epoch lines are printed to
     * @return a copy of these options printing to {@code out}
     */
    public FitOptions output(PrintStream out) {
        FitOptions c = copy();
        c.out = Objects.requireNonNull(out, "out");
        return c;
    }

    /**
     * A weight per training sample, {@code (n)} aligned with x's rows, as Keras' {@code sample_weight}:
     * each batch's loss becomes {@code Σ w·loss / batch size} (through
     * {@link Loss#call(Tensor, Tensor, Tensor)}), and weighted metrics count each sample w times. With
     * a validation split, the last rows' weights weight the validation loss, as in Keras. Fit checks the
     * length against x before any step.
     *
     * @param sampleWeights the weight of each training sample, shape {@code (n)}, each finite and &gt;= 0;
     *     copied
     * @return a copy of these options with those sample weights
     * @throws IllegalArgumentException if the tensor is not of rank 1, holds a negative or non-finite
     *     weight, or class weights are set (Keras refuses both at once)
     */
    public FitOptions sampleWeights(Tensor sampleWeights) {
        Objects.requireNonNull(sampleWeights, "sampleWeights");
        if (sampleWeights.rank() != 1) {
            throw new IllegalArgumentException("sampleWeights: expected a weight per sample, shape (n), got "
                    + sampleWeights.shapeString());
        }
        if (classWeights != null) {
            throw new IllegalArgumentException("sampleWeights: class weights are already set; Keras takes sample"
                    + " weights or class weights, not both (fold the class weights into the sample weights)");
        }
        BuiltinMetric.weights("sampleWeights", sampleWeights, sampleWeights.dim(0));
        FitOptions c = copy();
        c.sampleWeights = sampleWeights.copy();
        return c;
    }

    /**
     * A weight per class, as Keras' {@code class_weight}: a training sample weighs the weight of its class
     * (the arg-max of a one-hot target row, a sparse label, or a 0/1 target of a 1-unit output rounded),
     * 1 for a class not in the map. Validation is not weighted. Fit checks the classes against the
     * model's outputs before any step.
     *
     * @param classWeights the weight of each class index (&gt;= 0), each finite and &gt;= 0; copied
     * @return a copy of these options with those class weights
     * @throws IllegalArgumentException for a negative class, a negative or non-finite weight, an empty
     *     map, or when sample weights are set
     */
    public FitOptions classWeights(Map<Integer, Double> classWeights) {
        Objects.requireNonNull(classWeights, "classWeights");
        if (sampleWeights != null) {
            throw new IllegalArgumentException("classWeights: sample weights are already set; Keras takes sample"
                    + " weights or class weights, not both (fold the class weights into the sample weights)");
        }
        if (classWeights.isEmpty()) {
            throw new IllegalArgumentException("classWeights: expected at least one class, got an empty map");
        }
        Map<Integer, Double> copy = new LinkedHashMap<>();
        classWeights.forEach((k, v) -> {
            if (k == null || k < 0) {
                throw new IllegalArgumentException("classWeights: expected class indices >= 0, got " + k);
            }
            if (v == null || !(v >= 0) || v.isInfinite()) {
                throw new IllegalArgumentException("classWeights: weights must be finite and >= 0, got " + v
                        + " for class " + k);
            }
            copy.put(k, v);
        });
        FitOptions c = copy();
        c.classWeights = Collections.unmodifiableMap(copy);
        return c;
    }

    /** {@return the sample weights, or null} */
    public Tensor sampleWeights() {
        return sampleWeights;
    }

    /** {@return the class weights, or null} */
    public Map<Integer, Double> classWeights() {
        return classWeights;
    }

    /** {@return the number of epochs} */
    public int epochs() {
        return epochs;
    }

    /** {@return the batch size} */
    public int batchSize() {
        return batchSize;
    }

    /** {@return the validation split, in [0, 1)} */
    public double validationSplit() {
        return validationSplit;
    }

    /** {@return the validation inputs, or null} */
    public Tensor validationX() {
        return validationX;
    }

    /** {@return the validation targets, or null} */
    public Tensor validationY() {
        return validationY;
    }

    /** {@return the validation dataset given to {@link #validationData(Dataset)}, or null} */
    public Dataset validationDataset() {
        return validationDataset;
    }

    /** {@return whether samples are shuffled each epoch} */
    public boolean shuffle() {
        return shuffle;
    }

    /** {@return the shuffling seed} */
    public long seed() {
        return seed;
    }

    /** {@return the callbacks, in calling order (unmodifiable)} */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /** {@return the verbosity: 0, 1 or 2} */
    public int verbose() {
        return verbose;
    }

    /** {@return the stream progress is printed to} */
    public PrintStream output() {
        return out;
    }
}
