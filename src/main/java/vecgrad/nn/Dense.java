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
 * Glorot-uniform kernel, a zero bias, no regularizers. Its weights are {@code NAME/kernel} and
 * {@code NAME/bias} ({@code dense/kernel}, {@code dense_1/kernel}, ...).
 *
 * <p>With a kernel or bias {@link Regularizer}, the weight's penalty is one of the layer's (and the
 * model's) {@link Layer#losses()}, which {@code fit} adds to the loss, as Keras'
 * {@code Dense(kernel_regularizer=..., bias_regularizer=...)}.
 */
public final class Dense extends Layer {

    private final int units;
    private final Activation activation;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private final Regularizer kernelRegularizer;
    private final Regularizer biasRegularizer;
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
        this(units, activation, kernelInitializer, biasInitializer, null, null);
    }

    /**
     * A layer with Keras' default initializers and a penalty on its kernel, e.g.
     * {@code new Dense(64, Activation.RELU, Regularizer.l2(1e-4))}.
     *
     * @param units             the number of outputs per sample, at least 1
     * @param activation        the activation applied to {@code x · kernel + bias}
     * @param kernelRegularizer the penalty on the kernel
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units, Activation activation, Regularizer kernelRegularizer) {
        this(units, activation, Initializer.glorotUniform(), Initializer.zeros(),
                java.util.Objects.requireNonNull(kernelRegularizer, "kernelRegularizer"), null);
    }

    /**
     * A layer with the given initializers and regularizers.
     *
     * @param units             the number of outputs per sample, at least 1
     * @param activation        the activation applied to {@code x · kernel + bias}
     * @param kernelInitializer draws the kernel {@code (inputs, units)} when the layer is built
     * @param biasInitializer   draws the bias {@code (units)} when the layer is built
     * @param kernelRegularizer the penalty on the kernel, or null for none
     * @param biasRegularizer   the penalty on the bias, or null for none
     * @throws IllegalArgumentException if {@code units < 1}
     */
    public Dense(int units, Activation activation, Initializer kernelInitializer, Initializer biasInitializer,
            Regularizer kernelRegularizer, Regularizer biasRegularizer) {
        if (units < 1) {
            throw new IllegalArgumentException("Dense: units must be >= 1, got " + units);
        }
        this.units = units;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.kernelInitializer = Objects.requireNonNull(kernelInitializer, "kernelInitializer");
        this.biasInitializer = Objects.requireNonNull(biasInitializer, "biasInitializer");
        this.kernelRegularizer = kernelRegularizer;
        this.biasRegularizer = biasRegularizer;
    }

    @Override
    protected void build(int[] inputShape) {
        if (inputShape.length != 1) {
            throw new IllegalArgumentException("Dense " + name() + ": expected inputs of shape (batch, features), got (batch, "
                    + Tensor.shapeString(inputShape).substring(1) + (inputShape.length > 1 ? "; flatten them first" : ""));
        }
        // Kernel, then bias: the order the weights are drawn from the model's seed.
        kernel = addWeight("kernel", new int[] {inputShape[0], units}, kernelInitializer, true, kernelRegularizer);
        bias = addWeight("bias", new int[] {units}, biasInitializer, true, biasRegularizer);
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

    /** {@return the kernel's regularizer, or null} */
    public Regularizer kernelRegularizer() {
        return kernelRegularizer;
    }

    /** {@return the bias's regularizer, or null} */
    public Regularizer biasRegularizer() {
        return biasRegularizer;
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
        // Keras writes {"class_name": "L2", "config": {"l2": 0.01}} (and null when unset); unset ones
        // are left out here, so files of models without regularizers are as before.
        putRegularizer(c, "kernel_regularizer", kernelRegularizer);
        putRegularizer(c, "bias_regularizer", biasRegularizer);
        return c;
    }

    private static void putRegularizer(Map<String, Object> c, String key, Regularizer r) {
        if (r != null) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", r.className());
            entry.put("config", r.config());
            c.put(key, entry);
        }
    }

    @Override
    public String toString() {
        return "Dense(" + units + ", " + activation.kerasName() + ")";
    }
}
