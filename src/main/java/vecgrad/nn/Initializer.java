package vecgrad.nn;

import java.util.Random;
import vecgrad.tensor.Tensor;

/**
 * How a layer's weights start: Keras' initializers, drawing from a seeded {@link Random} in row-major
 * order so that a seed gives the same weights on every JDK.
 *
 * <p>For a kernel of shape (fanIn, fanOut):
 * <ul>
 *   <li>{@link #glorotUniform()} (Keras' default for Dense kernels): U(-l, l), l = sqrt(6 / (fanIn + fanOut));</li>
 *   <li>{@link #heNormal()}: normal with std sqrt(2 / fanIn), truncated at two standard deviations
 *       (redrawn), with Keras' correction 1/0.87962566103423978 that restores the variance the
 *       truncation removes;</li>
 *   <li>{@link #heUniform()}: U(-l, l), l = sqrt(6 / fanIn);</li>
 *   <li>{@link #zeros()} (Keras' default for biases) and {@link #ones()}.</li>
 * </ul>
 */
public interface Initializer {

    /**
     * A tensor of the given shape; {@code fanIn} and {@code fanOut} are the layer's input and output sizes.
     *
     * @param rng    the random generator to draw from (the model's, seeded)
     * @param fanIn  the layer's input size, the number of units feeding each output
     * @param fanOut the layer's output size
     * @param shape  the shape of the weight to draw, e.g. {@code (inputs, units)}
     * @return a new tensor of that shape
     */
    Tensor initialize(Random rng, int fanIn, int fanOut, int... shape);

    /** {@return the Keras name, e.g. {@code glorot_uniform}} */
    String kerasName();

    /** {@return the Glorot (Xavier) uniform initializer} */
    static Initializer glorotUniform() {
        return BuiltinInitializer.GLOROT_UNIFORM;
    }

    /** {@return the He normal initializer, truncated} */
    static Initializer heNormal() {
        return BuiltinInitializer.HE_NORMAL;
    }

    /** {@return the He uniform initializer} */
    static Initializer heUniform() {
        return BuiltinInitializer.HE_UNIFORM;
    }

    /** {@return the initializer of all zeros} */
    static Initializer zeros() {
        return BuiltinInitializer.ZEROS;
    }

    /** {@return the initializer of all ones (Keras' default for a normalization's scale)} */
    static Initializer ones() {
        return BuiltinInitializer.ONES;
    }
}
