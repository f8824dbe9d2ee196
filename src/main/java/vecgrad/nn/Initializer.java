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

    /** A tensor of the given shape; {@code fanIn} and {@code fanOut} are the layer's input and output sizes. */
    Tensor initialize(Random rng, int fanIn, int fanOut, int... shape);

    /** The Keras name, e.g. {@code glorot_uniform}. */
    String kerasName();

    /** Glorot (Xavier) uniform. */
    static Initializer glorotUniform() {
        return BuiltinInitializer.GLOROT_UNIFORM;
    }

    /** He normal, truncated. */
    static Initializer heNormal() {
        return BuiltinInitializer.HE_NORMAL;
    }

    /** He uniform. */
    static Initializer heUniform() {
        return BuiltinInitializer.HE_UNIFORM;
    }

    /** All zeros. */
    static Initializer zeros() {
        return BuiltinInitializer.ZEROS;
    }

    /** All ones (Keras' default for a normalization's scale). */
    static Initializer ones() {
        return BuiltinInitializer.ONES;
    }
}
