package vecgrad.nn;

import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import vecgrad.tensor.Tensor;

/**
 * An elementwise (or row-wise, for softmax and log-softmax) function a layer applies to its output,
 * by its Keras name. The built-in ones are constants here, with Keras 3's names, defaults and
 * formulas ({@code keras/src/activations/activations.py}); the parameterized ones also have factories
 * ({@link #leakyRelu}, {@link #elu}, {@link #gelu}). {@link #of(String, UnaryOperator)} makes one of
 * your own from recorded ops.
 *
 * <p>An activation is saved as its {@link #kerasName()} and its {@link #config()} (the parameters),
 * and read back with {@link #fromConfig}.
 */
public interface Activation {

    /** {@code max(z, 0)}. */
    Activation RELU = BuiltinActivation.RELU;
    /** {@code 1 / (1 + e^-z)}. */
    Activation SIGMOID = BuiltinActivation.SIGMOID;
    /** {@code tanh(z)}. */
    Activation TANH = BuiltinActivation.TANH;
    /** Row-wise {@code e^z / Σ e^z}; with a cross-entropy loss the model fuses it into the loss (see {@link Loss}). */
    Activation SOFTMAX = BuiltinActivation.SOFTMAX;
    /** The identity, Keras' default for {@link Dense}. */
    Activation LINEAR = BuiltinActivation.LINEAR;
    /** {@code z} for {@code z > 0}, else {@code 0.2 · z}: Keras' {@code leaky_relu} default; see {@link #leakyRelu}. */
    Activation LEAKY_RELU = BuiltinActivation.LEAKY_RELU;
    /** {@code z} for {@code z > 0}, else {@code e^z − 1}: Keras' {@code elu} with alpha 1; see {@link #elu}. */
    Activation ELU = BuiltinActivation.ELU;
    /** {@code scale · elu(z, alpha)} with Keras' constants (scale ≈ 1.0507, alpha ≈ 1.6733). */
    Activation SELU = BuiltinActivation.SELU;
    /** {@code z · Φ(z)}, the exact GELU (Keras' default, {@code approximate=False}); see {@link #gelu}. */
    Activation GELU = BuiltinActivation.GELU;
    /** Keras 3's {@code relu6(z + 3) / 6}: 0 below −3, 1 above 3, linear between. */
    Activation HARD_SIGMOID = BuiltinActivation.HARD_SIGMOID;
    /** {@code log(1 + e^z)}, computed stably. */
    Activation SOFTPLUS = BuiltinActivation.SOFTPLUS;
    /** {@code z / (1 + |z|)}. */
    Activation SOFTSIGN = BuiltinActivation.SOFTSIGN;
    /** {@code z · sigmoid(z)}, saved as {@code swish}; the same function as {@link #SILU}. */
    Activation SWISH = BuiltinActivation.SWISH;
    /** {@code z · sigmoid(z)}, saved as {@code silu}; the same function as {@link #SWISH}. */
    Activation SILU = BuiltinActivation.SILU;
    /** {@code min(max(z, 0), 6)}. */
    Activation RELU6 = BuiltinActivation.RELU6;
    /** Row-wise {@code z − log Σ e^z}, for {@code z (rows, cols)}. */
    Activation LOG_SOFTMAX = BuiltinActivation.LOG_SOFTMAX;

    /** {@return the Keras name, e.g. {@code relu}; saved with a model and read back by {@link #of(String)}} */
    String kerasName();

    /**
     * Applies the activation to {@code z} through recorded ops.
     *
     * @param z the pre-activations, any shape ({@code (rows, cols)} for the row-wise softmaxes)
     * @return the activations, of the shape of {@code z}
     */
    Tensor apply(Tensor z);

    /**
     * The parameters that, with {@link #kerasName()}, rebuild this activation through
     * {@link #fromConfig}: Keras' argument names ({@code negative_slope}, {@code alpha},
     * {@code approximate}) to numbers or booleans. Empty for a function without parameters (and by
     * default, for activations of your own).
     *
     * @return the parameters by Keras argument name, possibly empty
     */
    default Map<String, Object> config() {
        return Map.of();
    }

    /**
     * Leaky ReLU with its own slope: {@code z} for {@code z > 0}, else {@code negativeSlope · z}.
     * With Keras' default 0.2 it is {@link #LEAKY_RELU}.
     *
     * @param negativeSlope the slope for {@code z <= 0}, finite
     * @return the activation, saved as {@code leaky_relu} with its slope
     * @throws IllegalArgumentException if {@code negativeSlope} is NaN or infinite
     */
    static Activation leakyRelu(double negativeSlope) {
        return BuiltinActivation.leakyRelu(negativeSlope);
    }

    /**
     * ELU with its own alpha: {@code z} for {@code z > 0}, else {@code alpha · (e^z − 1)}. With
     * Keras' default 1.0 it is {@link #ELU}.
     *
     * @param alpha the scale of the negative part, finite
     * @return the activation, saved as {@code elu} with its alpha
     * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
     */
    static Activation elu(double alpha) {
        return BuiltinActivation.elu(alpha);
    }

    /**
     * GELU, exact ({@code false}: {@code z · Φ(z)}, {@link #GELU}) or with Keras' tanh approximation
     * ({@code true}: {@code z/2 · (1 + tanh(√(2/π) · (z + 0.044715 z³)))}).
     *
     * @param approximate true for the tanh approximation, false for the exact form
     * @return the activation, saved as {@code gelu} with its {@code approximate} flag
     */
    static Activation gelu(boolean approximate) {
        return BuiltinActivation.gelu(approximate);
    }

    /**
     * The built-in activation a saved name and config describe, as written by {@link #kerasName()}
     * and {@link #config()}; keys left out take Keras' defaults.
     *
     * @param kerasName a built-in activation's Keras name, e.g. {@code leaky_relu}
     * @param config    its parameters by Keras argument name, e.g. {@code negative_slope}; possibly empty
     * @return the built-in activation with those parameters
     * @throws IllegalArgumentException naming the known names for an unknown name, and the expected
     *     keys or type for a key the activation does not take or a value of the wrong type
     */
    static Activation fromConfig(String kerasName, Map<String, Object> config) {
        Objects.requireNonNull(kerasName, "kerasName");
        Objects.requireNonNull(config, "config");
        return BuiltinActivation.fromConfig(kerasName, config);
    }

    /**
     * The built-in activation with this Keras name, in its default form (Keras' defaults for the
     * parameterized ones).
     *
     * @param kerasName a built-in activation's Keras name, e.g. {@code relu}
     * @return the built-in activation
     * @throws IllegalArgumentException naming the known names if there is none
     */
    static Activation of(String kerasName) {
        Objects.requireNonNull(kerasName, "kerasName");
        return BuiltinActivation.named(kerasName);
    }

    /**
     * An activation of your own, from recorded ops (so tapes differentiate it).
     *
     * @param kerasName its name, for summaries and saved models
     * @param function  the function of {@code z}
     * @return an activation of that name applying {@code function}
     */
    static Activation of(String kerasName, UnaryOperator<Tensor> function) {
        Objects.requireNonNull(kerasName, "kerasName");
        Objects.requireNonNull(function, "function");
        return new FunctionActivation(kerasName, function);
    }
}
