package vecgrad.nn;

import java.util.Map;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * A penalty on a weight tensor, added to the loss: Keras' weight regularizers
 * ({@code keras/src/regularizers/regularizers.py}).
 * <ul>
 *   <li>{@link #l1(double)}: {@code l1 · Σ|w|} (Keras' default factor 0.01);</li>
 *   <li>{@link #l2(double)}: {@code l2 · Σ w²} (default 0.01; no factor ½, as Keras);</li>
 *   <li>{@link #l1l2(double, double)}: both (Keras' {@code L1L2} defaults 0 and 0); a zero factor's term
 *       is left out.</li>
 * </ul>
 * A layer takes them for its weights ({@link Dense#Dense(int, Activation, Initializer, Initializer,
 * Regularizer, Regularizer)}); the model collects the penalties of its trainable weights in
 * {@link Model#losses()}, and {@code fit} adds them to the loss.
 *
 * <p>{@link #penalty(Tensor)} runs recorded ops, so under an open {@link vecgrad.autodiff.GradientTape}
 * the gradient of the penalty flows to the weight. A regularizer of your own implements
 * {@code penalty}, {@link #className()} and {@link #config()}; models holding it can be saved, but
 * {@link #fromConfig} rebuilds only the built-in ones.
 */
public interface Regularizer {

    /**
     * The penalty of {@code weight}, a scalar of shape {@code ()}, through recorded ops.
     *
     * @param weight the weight tensor, any shape
     * @return the penalty, shape {@code ()}
     */
    Tensor penalty(Tensor weight);

    /** {@return Keras' class name: {@code L1}, {@code L2} or {@code L1L2} for the built-ins} */
    String className();

    /** {@return the factors by Keras key, e.g. {@code {"l2": 0.01}}, as Keras' {@code get_config()}} */
    Map<String, Object> config();

    /**
     * {@code l1 · Σ|w|}, Keras' {@code L1(l1)}. The derivative at {@code w = 0} is 0 (TensorFlow's
     * {@code sign(0)}).
     *
     * @param l1 the factor, finite and {@code >= 0}
     * @return the regularizer
     * @throws IllegalArgumentException if {@code l1} is negative, NaN or infinite
     */
    static Regularizer l1(double l1) {
        return new BuiltinRegularizer("L1", BuiltinRegularizer.factor("L1", "l1", l1), 0);
    }

    /** {@return Keras' {@code L1()}: {@code 0.01 · Σ|w|}} */
    static Regularizer l1() {
        return l1(0.01);
    }

    /**
     * {@code l2 · Σ w²}, Keras' {@code L2(l2)}.
     *
     * @param l2 the factor, finite and {@code >= 0}
     * @return the regularizer
     * @throws IllegalArgumentException if {@code l2} is negative, NaN or infinite
     */
    static Regularizer l2(double l2) {
        return new BuiltinRegularizer("L2", 0, BuiltinRegularizer.factor("L2", "l2", l2));
    }

    /** {@return Keras' {@code L2()}: {@code 0.01 · Σ w²}} */
    static Regularizer l2() {
        return l2(0.01);
    }

    /**
     * {@code l1 · Σ|w| + l2 · Σ w²}, Keras' {@code L1L2(l1, l2)}; a term whose factor is 0 is not
     * computed, and with both 0 the penalty is the constant 0.
     *
     * @param l1 the L1 factor, finite and {@code >= 0}
     * @param l2 the L2 factor, finite and {@code >= 0}
     * @return the regularizer
     * @throws IllegalArgumentException if a factor is negative, NaN or infinite
     */
    static Regularizer l1l2(double l1, double l2) {
        return new BuiltinRegularizer("L1L2", BuiltinRegularizer.factor("L1L2", "l1", l1),
                BuiltinRegularizer.factor("L1L2", "l2", l2));
    }

    /** {@return Keras' {@code L1L2()}: both factors 0, no penalty} */
    static Regularizer l1l2() {
        return l1l2(0, 0);
    }

    /**
     * A built-in regularizer from its saved form, as Keras' {@code from_config}: {@code L1} with key
     * {@code l1}, {@code L2} with {@code l2}, {@code L1L2} with {@code l1} and {@code l2}.
     *
     * @param className {@code L1}, {@code L2} or {@code L1L2}
     * @param config    the factors, numbers
     * @return the regularizer
     * @throws IllegalArgumentException if the class is not a built-in one, a key is missing, unknown or
     *     not a number, or a factor is out of range
     */
    static Regularizer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(config, "config");
        return BuiltinRegularizer.fromConfig(className, config);
    }
}
