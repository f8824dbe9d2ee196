package vecgrad.nn;

import java.util.Objects;
import java.util.function.UnaryOperator;
import vecgrad.tensor.Tensor;

/**
 * An elementwise (or row-wise, for softmax) function a layer applies to its output, by its Keras name.
 * The built-in ones are constants here; {@link #of(String, UnaryOperator)} makes one from recorded ops.
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

    /** The Keras name, e.g. {@code relu}; saved with a model and read back by {@link #of(String)}. */
    String kerasName();

    /** Applies the activation to {@code z} through recorded ops. */
    Tensor apply(Tensor z);

    /**
     * The built-in activation with this Keras name.
     *
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
     */
    static Activation of(String kerasName, UnaryOperator<Tensor> function) {
        Objects.requireNonNull(kerasName, "kerasName");
        Objects.requireNonNull(function, "function");
        return new Activation() {
            @Override
            public String kerasName() {
                return kerasName;
            }

            @Override
            public Tensor apply(Tensor z) {
                return function.apply(z);
            }

            @Override
            public String toString() {
                return kerasName;
            }
        };
    }
}
