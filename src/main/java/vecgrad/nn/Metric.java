package vecgrad.nn;

import vecgrad.tensor.Tensor;

/**
 * A quantity accumulated over batches and reported besides the loss, as a Keras metric: stateful,
 * {@link #update} per batch, {@link #result} at any time, {@link #reset} between epochs.
 *
 * <pre>{@code
 * model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY, Metric.topKCategoricalAccuracy(3));
 * Metric auc = Metric.auc();
 * auc.update(yTrue, yPred);
 * double value = auc.result();
 * }</pre>
 *
 * <p>{@link Model#compile} takes a {@link #fresh} copy of each metric, and fit and evaluate make their
 * own copies again, so neither two models nor a fit and an evaluate share state; a metric passed to
 * compile is never updated by the model. A custom metric implements the five abstract methods.
 *
 * <p>Metrics have no gradient: they are computed on the host, in double, from float predictions, and
 * never recorded on a tape.
 */
public interface Metric {

    /**
     * Keras' {@code "accuracy"}, resolved by {@link Model#compile} from the loss and the output (as
     * keras/src/trainers/compile_utils.py, {@code get_metric}): binary accuracy at threshold 0.5 for a
     * 1-unit output or a binary cross-entropy loss, sparse categorical accuracy for a sparse loss,
     * categorical accuracy otherwise. Its name stays {@code accuracy}. On its own, before a compile has
     * resolved it, it cannot be updated: use {@link #categoricalAccuracy()} and the like directly.
     */
    Metric ACCURACY = new AutoAccuracy();

    /** Whether a larger value of a metric is better: what EarlyStopping and ModelCheckpoint read in mode auto. */
    enum Direction {
        /** Larger is better (accuracies, AUC, precision, recall). */
        UP,
        /** Smaller is better (errors, losses). */
        DOWN,
        /** Not known: a callback monitoring the metric must be given its mode. */
        UNKNOWN
    }

    /** {@return the Keras name, the key of the metric in logs and evaluations: {@code accuracy}, {@code auc}, ...} */
    String name();

    /**
     * Accumulates one batch.
     *
     * @param yTrue the targets, {@code (m, k)} or, for sparse metrics, {@code (m)} or {@code (m, 1)} class indices
     * @param yPred the predictions, {@code (m, k)}
     * @throws IllegalArgumentException if the shapes or values do not fit the metric; the state is then unchanged
     */
    void update(Tensor yTrue, Tensor yPred);

    /**
     * Accumulates one batch with a weight per sample, as Keras' {@code update_state(y_true, y_pred,
     * sample_weight)}: a sample counts {@code w} times. With {@code sampleWeight == null} it is
     * {@link #update(Tensor, Tensor)}; a metric that cannot weight its samples refuses weights.
     *
     * @param yTrue        the targets, as for {@link #update(Tensor, Tensor)}
     * @param yPred        the predictions, {@code (m, k)}
     * @param sampleWeight {@code (m)} finite weights &gt;= 0, or null
     * @throws IllegalArgumentException as {@link #update(Tensor, Tensor)}, or for weights of another length or
     *     a negative or non-finite weight
     * @throws UnsupportedOperationException if weights are given to a metric that cannot take them
     */
    default void update(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            update(yTrue, yPred);
            return;
        }
        throw new UnsupportedOperationException("metric " + name() + " does not take sample weights");
    }

    /** {@return the value over every batch since the last {@link #reset} (0 before any sample, as Keras' divide_no_nan)} */
    double result();

    /** Forgets every batch. */
    void reset();

    /** {@return a new metric of the same kind and configuration, with no state: what compile, fit and evaluate use} */
    Metric fresh();

    /** {@return whether larger values are better; {@link Direction#UNKNOWN} unless a metric says} */
    default Direction direction() {
        return Direction.UNKNOWN;
    }

    /**
     * Keras' {@code accuracy}, resolved at compile as {@link #ACCURACY} is: a new instance each call.
     *
     * @return a new, unresolved accuracy metric
     */
    static Metric accuracy() {
        return new AutoAccuracy();
    }

    /**
     * Keras' {@code BinaryAccuracy} at threshold 0.5: the fraction of predictions {@code > 0.5} equal to
     * their 0/1 target, each sample counted as the mean over its outputs. Name {@code binary_accuracy}.
     *
     * @return a new metric, with no state
     */
    static Metric binaryAccuracy() {
        return new BuiltinMetric.BinaryAccuracy("binary_accuracy", 0.5f);
    }

    /**
     * {@link #binaryAccuracy()} at another threshold in [0, 1].
     *
     * @param threshold the value above which a prediction counts as 1, in [0, 1]
     * @return a new metric, with no state
     * @throws IllegalArgumentException if the threshold is outside [0, 1]
     */
    static Metric binaryAccuracy(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("binaryAccuracy: expected a threshold in [0, 1], got " + threshold);
        }
        return new BuiltinMetric.BinaryAccuracy("binary_accuracy", (float) threshold);
    }

    /**
     * Keras' {@code CategoricalAccuracy}: the fraction of samples whose arg-max prediction is the arg-max of
     * their one-hot target (the first index on ties). Name {@code categorical_accuracy}.
     *
     * @return a new metric, with no state
     */
    static Metric categoricalAccuracy() {
        return new BuiltinMetric.CategoricalAccuracy("categorical_accuracy");
    }

    /**
     * Keras' {@code SparseCategoricalAccuracy}: the fraction of samples whose arg-max prediction is their
     * integer label. Name {@code sparse_categorical_accuracy}.
     *
     * @return a new metric, with no state
     */
    static Metric sparseCategoricalAccuracy() {
        return new BuiltinMetric.SparseCategoricalAccuracy("sparse_categorical_accuracy");
    }

    /**
     * Keras' {@code TopKCategoricalAccuracy} with k = 5. Name {@code top_k_categorical_accuracy}.
     *
     * @return a new metric, with no state
     */
    static Metric topKCategoricalAccuracy() {
        return topKCategoricalAccuracy(5);
    }

    /**
     * Keras' {@code TopKCategoricalAccuracy}: the fraction of samples whose one-hot target class is among
     * the k largest predictions. Name {@code top_k_categorical_accuracy}.
     *
     * @param k how many of the largest predictions may hold the target class, at least 1
     * @return a new metric, with no state
     * @throws IllegalArgumentException if {@code k < 1}
     */
    static Metric topKCategoricalAccuracy(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("topKCategoricalAccuracy: expected k >= 1, got " + k);
        }
        return new BuiltinMetric.TopK("top_k_categorical_accuracy", k);
    }

    /**
     * Keras' {@code Precision} at threshold 0.5: {@code tp / (tp + fp)} over every output. Name {@code precision}.
     *
     * @return a new metric, with no state
     */
    static Metric precision() {
        return new BuiltinMetric.PrecisionRecall("precision", true);
    }

    /**
     * Keras' {@code Recall} at threshold 0.5: {@code tp / (tp + fn)} over every output. Name {@code recall}.
     *
     * @return a new metric, with no state
     */
    static Metric recall() {
        return new BuiltinMetric.PrecisionRecall("recall", false);
    }

    /**
     * Keras' {@code AUC} with its defaults: the area under the ROC curve over 200 thresholds, by the
     * trapezoidal rule ({@code summation_method="interpolation"}), every output one binary decision
     * ({@code multi_label=False}). Predictions must lie in [0, 1]. Name {@code auc}.
     *
     * @return a new metric, with no state
     */
    static Metric auc() {
        return new BuiltinMetric.Auc("auc", 200);
    }

    /**
     * Keras' {@code MeanAbsoluteError}: the mean of {@code |yTrue - yPred|}. Name {@code mean_absolute_error}.
     *
     * @return a new metric, with no state
     */
    static Metric meanAbsoluteError() {
        return new BuiltinMetric.MeanError("mean_absolute_error", false);
    }

    /**
     * Keras' {@code MeanSquaredError}: the mean of {@code (yTrue - yPred)²}. Name {@code mean_squared_error}.
     *
     * @return a new metric, with no state
     */
    static Metric meanSquaredError() {
        return new BuiltinMetric.MeanError("mean_squared_error", true);
    }
}
