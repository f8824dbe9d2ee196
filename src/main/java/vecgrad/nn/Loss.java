package vecgrad.nn;

import java.util.Objects;
import java.util.function.BinaryOperator;
import vecgrad.tensor.Tensor;

/**
 * A loss: a scalar function of targets and predictions, computed with the recorded ops of
 * {@code vecgrad.autodiff} so that a tape differentiates it. Any such function works in
 * {@link Model#fit} and in a custom loop; {@link #of} makes one from a lambda.
 *
 * <p>Built in, reduced to the mean over the batch (Keras' default reduction):
 * <ul>
 *   <li>{@link #categoricalCrossentropy()}: {@code yTrue (m,n)} one-hot (or soft) labels. On
 *       probabilities, Keras clips them to [1e-7, 1-1e-7]; but when {@code yPred} is the softmax output
 *       of a layer, the loss is computed from that layer's logits with the fused, stable
 *       softmax-cross-entropy, as TensorFlow Keras does. Its gradient with respect to the logits is
 *       exactly {@code (softmax - yTrue)/m}.</li>
 *   <li>{@link #sparseCategoricalCrossentropy()}: {@code yTrue (m,1)} or {@code (m,)} holding class
 *       indices; otherwise the same.</li>
 *   <li>{@link #meanSquaredError()}: {@code mean((yPred - yTrue)²)}.</li>
 *   <li>{@link #binaryCrossentropy()}: {@code yTrue (m,k)} in [0, 1] against independent probabilities
 *       {@code yPred (m,k)} (one sigmoid output, or k labels at once), {@code −(y log p + (1−y) log(1−p))}
 *       averaged over the k outputs, with {@code p} clipped to [1e-7, 1-1e-7] as Keras does. When
 *       {@code yPred} is the sigmoid output of a layer, it is computed from that layer's logits with the
 *       fused, stable {@code max(z,0) − z·y + log1p(e^−|z|)}, whose gradient with respect to the logits
 *       is {@code (σ(z) − y)/(m·k)}. A softmax output is refused.</li>
 *   <li>{@link #meanAbsoluteError()}: {@code mean(|yPred − yTrue|)}.</li>
 *   <li>{@link #huber()}: with {@code e = yPred − yTrue}, {@code e²/2} where {@code |e| <= delta}, else
 *       {@code delta·|e| − delta²/2}, averaged.</li>
 *   <li>{@link #logCosh()}: {@code mean(log cosh(yPred − yTrue))}, computed without overflow.</li>
 *   <li>{@link #klDivergence()}: both clipped to [1e-7, 1], {@code Σ_j yTrue log(yTrue/yPred)} per
 *       sample (a sum over the outputs, as Keras).</li>
 *   <li>{@link #hinge()}: {@code mean(max(1 − yTrue·yPred, 0))} with targets −1 or 1; targets that are
 *       all 0 or 1 are mapped to −1 and 1 first, as Keras does.</li>
 * </ul>
 *
 * <p>The formulas, defaults and names are Keras 3's ({@code keras/src/losses/losses.py}). Per-sample
 * losses are averaged over the last axis except for KL divergence, then reduced over the batch.
 */
public interface Loss {

    /**
     * The scalar loss of predictions {@code yPred} against targets {@code yTrue}, through recorded ops.
     *
     * @param yTrue the targets, {@code (m,n)} or, for a sparse loss, {@code (m,1)} or {@code (m)} class indices
     * @param yPred the predictions {@code (m,n)}
     * @return the loss reduced to a scalar (the mean over the batch for the built-ins)
     * @throws IllegalArgumentException if the shapes do not fit
     */
    Tensor call(Tensor yTrue, Tensor yPred);

    /**
     * The loss with a weight per sample, reduced as Keras' {@code sum_over_batch_size}: the sum of the
     * weighted per-sample losses divided by the batch size. With {@code sampleWeight == null} it is
     * {@link #call(Tensor, Tensor)}. A loss that cannot weight its samples (one made by {@link #of})
     * refuses weights.
     *
     * Every built-in loss takes weights; with every weight 1 it returns the same bits as without.
     *
     * @param yTrue        the targets, as for {@link #call(Tensor, Tensor)}
     * @param yPred        the predictions {@code (m,n)}
     * @param sampleWeight {@code (m)} or {@code (m,1)} weights, one per sample, finite and non-negative,
     *                     or null
     * @return the weighted loss reduced to a scalar
     * @throws UnsupportedOperationException if weights are given to a loss that cannot take them
     * @throws IllegalArgumentException      if the shapes do not fit or a weight is negative or not finite
     */
    default Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return call(yTrue, yPred);
        }
        throw new UnsupportedOperationException("loss " + name() + " does not take sample weights");
    }

    /** {@return the Keras name, e.g. {@code categorical_crossentropy}} */
    String name();

    /**
     * Whether targets are class indices (one column) rather than one row per output; {@code fit} and
     * the accuracy metric read targets accordingly. False unless a loss says otherwise.
     *
     * @return true if targets are class indices, false if they are one row per output
     */
    default boolean sparse() {
        return false;
    }

    /** {@return whether the loss takes logits rather than probabilities; false unless a loss says otherwise} */
    default boolean fromLogits() {
        return false;
    }

    /** {@return categorical cross-entropy on probabilities} */
    static Loss categoricalCrossentropy() {
        return BuiltinLoss.categorical(false);
    }

    /**
     * Categorical cross-entropy, on logits when {@code fromLogits}.
     *
     * @param fromLogits true if predictions are logits, false if they are probabilities
     * @return the loss
     */
    static Loss categoricalCrossentropy(boolean fromLogits) {
        return BuiltinLoss.categorical(fromLogits);
    }

    /** {@return sparse categorical cross-entropy on probabilities} */
    static Loss sparseCategoricalCrossentropy() {
        return BuiltinLoss.sparseCategorical(false);
    }

    /**
     * Sparse categorical cross-entropy, on logits when {@code fromLogits}.
     *
     * @param fromLogits true if predictions are logits, false if they are probabilities
     * @return the loss
     */
    static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return BuiltinLoss.sparseCategorical(fromLogits);
    }

    /** {@return the mean squared error loss} */
    static Loss meanSquaredError() {
        return BuiltinLoss.meanSquared();
    }

    /** {@return binary cross-entropy on probabilities (Keras' {@code binary_crossentropy})} */
    static Loss binaryCrossentropy() {
        return BuiltinLoss.binary(false);
    }

    /**
     * Binary cross-entropy, on logits when {@code fromLogits}.
     *
     * @param fromLogits true if predictions are logits, false if they are probabilities
     * @return the loss
     */
    static Loss binaryCrossentropy(boolean fromLogits) {
        return BuiltinLoss.binary(fromLogits);
    }

    /** {@return the mean absolute error loss (Keras' {@code mean_absolute_error})} */
    static Loss meanAbsoluteError() {
        return BuiltinLoss.meanAbsolute();
    }

    /** {@return the Huber loss with Keras' default {@code delta = 1.0}} */
    static Loss huber() {
        return BuiltinLoss.huber(1f);
    }

    /**
     * Huber loss.
     *
     * @param delta where the loss turns from quadratic to linear
     * @return the loss
     * @throws IllegalArgumentException unless {@code delta} is finite and positive
     */
    static Loss huber(float delta) {
        return BuiltinLoss.huber(delta);
    }

    /** {@return the log-cosh loss (Keras' {@code log_cosh})} */
    static Loss logCosh() {
        return BuiltinLoss.logCosh();
    }

    /** {@return the Kullback-Leibler divergence loss (Keras' {@code kl_divergence})} */
    static Loss klDivergence() {
        return BuiltinLoss.klDivergence();
    }

    /** {@return the hinge loss (Keras' {@code hinge})} */
    static Loss hinge() {
        return BuiltinLoss.hinge();
    }

    /**
     * A loss of your own: {@code function(yTrue, yPred)} must return a scalar tensor made by recorded ops.
     *
     * @param name     its name, for progress lines and saved models
     * @param function the loss
     * @return a loss of that name that checks {@code function} returns a scalar; it refuses sample weights
     */
    static Loss of(String name, BinaryOperator<Tensor> function) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(function, "function");
        return new Loss() {
            @Override
            public Tensor call(Tensor yTrue, Tensor yPred) {
                Objects.requireNonNull(yTrue, "yTrue");
                Objects.requireNonNull(yPred, "yPred");
                Tensor loss = function.apply(yTrue, yPred);
                if (loss == null || loss.rank() != 0) {
                    throw new IllegalArgumentException("loss " + name + ": expected a scalar, got "
                            + (loss == null ? "null" : loss.shapeString()));
                }
                return loss;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
