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
 * </ul>
 */
public interface Loss {

    /**
     * The scalar loss of predictions {@code yPred} against targets {@code yTrue}, through recorded ops.
     *
     * @throws IllegalArgumentException if the shapes do not fit
     */
    Tensor call(Tensor yTrue, Tensor yPred);

    /**
     * The loss with a weight per sample, reduced as Keras' {@code sum_over_batch_size}: the sum of the
     * weighted per-sample losses divided by the batch size. With {@code sampleWeight == null} it is
     * {@link #call(Tensor, Tensor)}. A loss that cannot weight its samples (one made by {@link #of})
     * refuses weights.
     *
     * @param sampleWeight {@code (m)} weights, one per sample, or null
     * @throws UnsupportedOperationException if weights are given to a loss that cannot take them
     */
    default Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return call(yTrue, yPred);
        }
        throw new UnsupportedOperationException("loss " + name() + " does not take sample weights");
    }

    /** The Keras name, e.g. {@code categorical_crossentropy}. */
    String name();

    /**
     * Whether targets are class indices (one column) rather than one row per output; {@code fit} and
     * the accuracy metric read targets accordingly. False unless a loss says otherwise.
     */
    default boolean sparse() {
        return false;
    }

    /** Whether the loss takes logits rather than probabilities. False unless a loss says otherwise. */
    default boolean fromLogits() {
        return false;
    }

    /** Categorical cross-entropy on probabilities. */
    static Loss categoricalCrossentropy() {
        return BuiltinLoss.categorical(false);
    }

    /** Categorical cross-entropy, on logits when {@code fromLogits}. */
    static Loss categoricalCrossentropy(boolean fromLogits) {
        return BuiltinLoss.categorical(fromLogits);
    }

    /** Sparse categorical cross-entropy on probabilities. */
    static Loss sparseCategoricalCrossentropy() {
        return BuiltinLoss.sparseCategorical(false);
    }

    /** Sparse categorical cross-entropy, on logits when {@code fromLogits}. */
    static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return BuiltinLoss.sparseCategorical(fromLogits);
    }

    /** Mean squared error. */
    static Loss meanSquaredError() {
        return BuiltinLoss.meanSquared();
    }

    /**
     * A loss of your own: {@code function(yTrue, yPred)} must return a scalar tensor made by recorded ops.
     *
     * @param name     its name, for progress lines and saved models
     * @param function the loss
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
