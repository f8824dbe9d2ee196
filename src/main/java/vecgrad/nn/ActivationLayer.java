package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * A layer that applies an {@link Activation} to its input, as Keras' {@code keras.layers.Activation}
 * (named {@code activation}, {@code activation_1}, ... in a model; the Java class has another name
 * because {@link Activation} is the function). It has no weights, and its output shape is its input
 * shape: {@code x (batch, shape...) -> y (batch, shape...)}. The row-wise activations (softmax,
 * log-softmax) take inputs of shape {@code (batch, features)}.
 *
 * <pre>{@code
 * new Sequential(784, seed, new Dense(128), new ActivationLayer(Activation.RELU), new Dense(10))
 * }</pre>
 */
public final class ActivationLayer extends Layer {

    private final Activation activation;

    /**
     * A layer applying {@code activation}, named by its model.
     *
     * @param activation the activation applied to each input
     */
    public ActivationLayer(Activation activation) {
        this.activation = Objects.requireNonNull(activation, "ActivationLayer: expected an activation, got null");
    }

    /**
     * A layer applying the built-in activation with this Keras name, as {@code Activation("relu")}.
     *
     * @param kerasName a built-in activation's Keras name, e.g. {@code relu}
     * @throws IllegalArgumentException naming the known names if there is none
     */
    public ActivationLayer(String kerasName) {
        this(Activation.of(Objects.requireNonNull(kerasName, "ActivationLayer: expected an activation name, got null")));
    }

    /**
     * A layer with its own name.
     *
     * @param activation the activation applied to each input
     * @param name       the layer's name: not blank, without {@code /}
     * @throws IllegalArgumentException if the name is blank or holds a {@code /}
     */
    public ActivationLayer(Activation activation, String name) {
        super(name);
        this.activation = Objects.requireNonNull(activation, "ActivationLayer: expected an activation, got null");
    }

    /** {@return the activation applied} */
    public Activation activation() {
        return activation;
    }

    @Override
    protected void build(int[] inputShape) {
        if ((activation == Activation.SOFTMAX || activation == Activation.LOG_SOFTMAX) && inputShape.length != 1) {
            throw new IllegalArgumentException("ActivationLayer " + name() + ": " + activation.kerasName()
                    + " expected inputs of shape (batch, features), got (batch, " + Tensor.shapeString(inputShape).substring(1));
        }
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Tensor call(Tensor x, boolean training) {
        Objects.requireNonNull(x, "ActivationLayer.call: expected a tensor, got null");
        return activation.apply(x);
    }

    /** Keras' base name, {@code activation}. */
    @Override
    public String baseName() {
        return "activation";
    }

    /** {@code Activation}, Keras' class name (the Java name differs from the activation function's type). */
    @Override
    public String className() {
        return "Activation";
    }

    /** {@code {"activation": kerasName, ...parameters}}, as Keras' {@code Activation.get_config()} plus the parameters. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("activation", activation.kerasName());
        c.putAll(activation.config());
        return c;
    }

    @Override
    public String toString() {
        return "ActivationLayer(" + activation + ")";
    }
}
