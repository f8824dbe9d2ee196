package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A fully connected layer: {@code activation(x · kernel + bias)} with {@code x (batch, inputs)},
 * {@code kernel (inputs, units)}, {@code bias (units)}. Keras' defaults: a linear activation, a
 * Glorot-uniform kernel, a zero bias. Its weights are {@code NAME/kernel} and {@code NAME/bias}
 * ({@code dense/kernel}, {@code dense_1/kernel}, ...).
 */
public final class Dense extends Layer {

    private final int units;
    private final Activation activation;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private Variable kernel;
    private Variable bias;

    /**
     * A linear layer (Keras' default activation) with Keras' default initializers.
     *
     * @param units the number of outputs per sample, at least 1
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units) {
        this(units, Activation.LINEAR);
    }

    /**
     * A layer with Keras' default initializers.
     *
     * @param units      the number of outputs per sample, at least 1
     * @param activation the activation applied to {@code x · kernel + bias}
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units, Activation activation) {
        this(units, activation, Initializer.glorotUniform(), Initializer.zeros());
    }

    /**
     * A layer with the given initializers.
     *
     * @param units             the number of outputs per sample, at least 1
     * @param activation        the activation applied to {@code x · kernel + bias}
     * @param kernelInitializer draws the kernel {@code (inputs, units)} when the layer is built
     * @param biasInitializer   draws the bias {@code (units)} when the layer is built
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units, Activation activation, Initializer kernelInitializer, Initializer biasInitializer) {
        if (units < 1) {
            throw new IllegalArgumentException("Dense: units must be >= 1, got " + units);
        }
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.kernelInitializer = Objects.requireNonNull(kernelInitializer, "kernelInitializer");
        this.biasInitializer = Objects.requireNonNull(biasInitializer, "biasInitializer");
    }

    @Override
    protected void build(int[] inputShape) {
        if (inputShape.length != 1) {
            throw new IllegalArgumentException("Dense " + name() + ": expected inputs of shape (batch, features), got (batch, "
                    + Tensor.shapeString(inputShape).substring(1) + (inputShape.length > 1 ? "; flatten them first" : ""));
        }
        // Kernel, then bias: the order the weights are drawn from the model's seed.
        kernel = addWeight("kernel", new int[] {inputShape[0], units}, kernelInitializer, true);
        bias = addWeight("bias", new int[] {units}, biasInitializer, true);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return new int[] {units};
    }

    /** {@return the number of outputs per sample} */
    public int units() {
        return units;
    }

    /** {@return the activation} */
    public Activation activation() {
        return activation;
    }

    /** {@return the kernel {@code (inputs, units)}} */
    public Variable kernel() {
        requireBuilt();
        return kernel;
    }

    /** {@return the bias {@code (units)}} */
    public Variable bias() {
        requireBuilt();
        return bias;
    }

    @Override
    public Tensor call(Tensor x, boolean training) {
        requireBuilt();
        return activation.apply(Ops.add(Ops.matmul(x, kernel), bias));
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("units", units);
        c.put("activation", activation.kerasName());
        if (!activation.config().isEmpty()) {
            // Keras' Dense saves only the name; a parameterized activation keeps its parameters beside it.
            c.put("activation_config", activation.config());
        }
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        return c;
    }

    @Override
    public String toString() {
        return "Dense(" + units + ", " + activation.kerasName() + ")";
    }
}
