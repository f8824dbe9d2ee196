package vecgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A layer of a model, as Keras' {@code Layer}: built lazily from the shape of its input, with weights
 * created through one helper, and a forward pass written with the recorded ops of
 * {@code vecgrad.autodiff}, so a {@link vecgrad.autodiff.GradientTape} differentiates a user's layer
 * with no backward code.
 *
 * <p>A layer of your own overrides {@link #build(int[])} to create its weights with
 * {@link #addWeight} and {@link #call(Tensor, boolean)} to compute its output:
 * <pre>{@code
 * final class Scale extends Layer {            // y = x * w, one weight per feature
 *     private Variable w;
 *     protected void build(int[] inputShape) {
 *         w = addWeight("w", new int[] {inputShape[0]}, Initializer.ones(), true);
 *     }
 *     public Tensor call(Tensor x, boolean training) {
 *         return Ops.mul(x, w);
 *     }
 * }
 * }</pre>
 *
 * <p>Shapes given to {@code build} and {@link #computeOutputShape} leave out the batch axis: a
 * layer on {@code (batch, 784)} inputs is built with {@code {784}}, one on images
 * {@code (batch, 28, 28, 1)} with {@code {28, 28, 1}}. The model builds each layer once, in order,
 * when it is constructed; weights are drawn from the model's seed in that order. A layer belongs to one
 * model.
 *
 * <p>Trainable weights are updated by the optimizer and watched by tapes; non-trainable weights
 * (a batch normalization's moving statistics) are state the layer updates itself. Both are saved
 * with the model.
 */
public abstract class Layer {

    private final String requestedName;
    private String name;
    private int[] inputShape;
    private int[] outputShape;
    /** The model's generator, during {@link #build(int[])} only. */
    private Random rng;
    /** A seed for the layer's own randomness (dropout masks), from the model's seed and the layer's place. */
    private long layerSeed;
    private final List<Variable> weights = new ArrayList<>();
    /** The regularizer of each weight, by index in {@link #weights}, or null. */
    private final List<Regularizer> regularizers = new ArrayList<>();

    /** A layer named by its model, after its kind ({@code dense}, {@code dense_1}, ...). */
    protected Layer() {
        this.requestedName = null;
    }

    /**
     * A layer with its own name, unique in its model.
     *
     * @param name the layer's name: not blank, without {@code /}
     * @throws IllegalArgumentException if the name is blank or holds a {@code /}
     */
    protected Layer(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("a layer name must be non-blank without '/', got '" + name + "'");
        }
        this.requestedName = name;
    }

    /**
     * Creates the layer's weights for inputs of shape {@code (batch, inputShape...)}, with
     * {@link #addWeight}; checks that the shape fits, throwing {@link IllegalArgumentException} with
     * both shapes when it does not. Called once, by the model. By default there are no weights.
     *
     * @param inputShape the shape of one input sample, without the batch axis
     */
    protected void build(int[] inputShape) {
    }

    /**
     * The forward pass on a batch, through recorded ops.
     *
     * <p>In inference ({@code training} false) each built-in layer computes every output row from its
     * own input row, by the same operations whatever the number of rows, so {@code evaluate},
     * {@code predict} and fit's validation run a model of built-in layers on many 32-row batches at
     * once and get the bits of 32-row calls. A model with a layer of your own is run on one 32-row
     * batch at a time, as Keras' {@code batch_size=32}, since its layer may mix the rows of a batch.
     *
     * @param x        the batch, {@code (batch, inputShape...)}
     * @param training whether the model is training: {@code fit} passes true, {@code evaluate} and
     *                 {@code predict} false; layers such as Dropout act only when it is true
     * @return the output, {@code (batch, outputShape...)}
     */
    public abstract Tensor call(Tensor x, boolean training);

    /**
     * The output shape for an input shape, both without the batch axis. By default the layer is run
     * once on a zero sample, untaped, in inference mode; layers override it when the shape is cheaper
     * to state.
     *
     * @param inputShape the shape of one input sample, without the batch axis
     * @return the shape of one output sample, without the batch axis
     */
    public int[] computeOutputShape(int[] inputShape) {
        int[] batchShape = new int[inputShape.length + 1];
        batchShape[0] = 1;
        System.arraycopy(inputShape, 0, batchShape, 1, inputShape.length);
        Tensor y = vecgrad.autodiff.GradientTape.unrecorded(() -> call(Tensor.zeros(batchShape), false));
        int[] shape = y.shape();
        if (shape.length == 0 || shape[0] != 1) {
            throw new IllegalStateException(getClass().getSimpleName() + ".call must keep the batch axis: got "
                    + y.shapeString() + " for a batch of 1");
        }
        return java.util.Arrays.copyOfRange(shape, 1, shape.length);
    }

    /**
     * The settings that rebuild this layer, as Keras' {@code get_config()}: values are strings,
     * numbers, booleans, lists or maps of them. Saved with a whole model. The name is added by the
     * model; by default there are no other settings.
     *
     * @return the settings by Keras key, possibly empty
     */
    public Map<String, Object> config() {
        return Map.of();
    }

    /**
     * The class name this layer is saved and summarised under, Keras' {@code class_name}: the Java
     * simple name unless a layer says otherwise.
     *
     * @return the class name, e.g. {@code Dense}
     */
    public String className() {
        return getClass().getSimpleName();
    }

    /**
     * Keras' base name of this kind of layer, used to name layers in a model: the class name in
     * snake case ({@code Dense} is {@code dense}, {@code BatchNormalization} is
     * {@code batch_normalization}).
     *
     * @return the base name, e.g. {@code dense}
     */
    public String baseName() {
        String simple = getClass().getSimpleName();
        if (simple.isEmpty()) {
            return "layer";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < simple.length(); i++) {
            char c = simple.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(simple.charAt(i - 1))) {
                sb.append('_');
            }
            sb.append(Character.toLowerCase(c));
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * Creates a weight of this layer: a variable named {@code layer/name}, drawn by {@code initializer}
     * from the model's seed. Call it from {@link #build(int[])} only.
     *
     * <p>The fans the initializer sees are Keras' ({@code keras/src/initializers/random_initializers.py},
     * {@code compute_fans}): for a rank-1 shape both are its size; for {@code (in, out)} they are
     * {@code in} and {@code out}; for a kernel {@code (..., in, out)} both are multiplied by the product
     * of the leading axes (the receptive field of a convolution).
     *
     * @param name        the weight's name in the layer, e.g. {@code kernel}
     * @param shape       its shape
     * @param initializer how it starts
     * @param trainable   whether the optimizer updates it (false for state such as moving averages)
     * @return the new variable
     * @throws IllegalStateException outside {@code build}
     * @throws IllegalArgumentException if the name is blank or taken, or the shape has a dimension below 1
     */
    protected final Variable addWeight(String name, int[] shape, Initializer initializer, boolean trainable) {
        return addWeight(name, shape, initializer, trainable, null);
    }

    /**
     * Creates a weight as {@link #addWeight(String, int[], Initializer, boolean)}, with a penalty on it,
     * as Keras' {@code add_weight(..., regularizer=...)}: while the weight is trainable its penalty is
     * one of {@link #losses()}.
     *
     * @param name        the weight's name in the layer, e.g. {@code kernel}
     * @param shape       its shape
     * @param initializer how it starts
     * @param trainable   whether the optimizer updates it
     * @param regularizer the penalty on it, or null for none
     * @return the new variable
     * @throws IllegalStateException outside {@code build}
     * @throws IllegalArgumentException if the name is blank or taken, or the shape has a dimension below 1
     */
    protected final Variable addWeight(String name, int[] shape, Initializer initializer, boolean trainable,
            Regularizer regularizer) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(initializer, "initializer");
        if (rng == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".addWeight: call it from build(inputShape)");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("addWeight: expected a non-blank name");
        }
        String path = this.name + "/" + name;
        for (Variable v : weights) {
            if (v.name().equals(path)) {
                throw new IllegalArgumentException("addWeight: layer " + this.name + " already has a weight '" + name + "'");
            }
        }
        for (int d : shape) {
            if (d < 1) {
                throw new IllegalArgumentException("addWeight: " + path + " needs dimensions >= 1, got "
                        + Tensor.shapeString(shape));
            }
        }
        int[] fans = fans(shape);
        Variable v = Variable.of(path, initializer.initialize(rng, fans[0], fans[1], shape.clone()), trainable);
        weights.add(v);
        regularizers.add(regularizer);
        return v;
    }

    /**
     * The regularization penalties of this layer's trainable weights, in creation order, each a scalar
     * {@code ()} computed now from the weight's current values through recorded ops (so an open tape
     * differentiates them): Keras' {@code layer.losses} for weight regularizers. Empty when no weight
     * has a regularizer.
     *
     * @return the penalties, a new list
     */
    public final List<Tensor> losses() {
        List<Tensor> penalties = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            Regularizer r = regularizers.get(i);
            if (r != null && weights.get(i).trainable()) {
                penalties.add(Objects.requireNonNull(r.penalty(weights.get(i)),
                        () -> r.getClass().getSimpleName() + ".penalty returned null"));
            }
        }
        return penalties;
    }

    private static int[] fans(int[] shape) {
        if (shape.length == 0) {
            return new int[] {1, 1};
        }
        if (shape.length == 1) {
            return new int[] {shape[0], shape[0]};
        }
        long receptive = 1;
        for (int i = 0; i < shape.length - 2; i++) {
            receptive *= shape[i];
        }
        return new int[] {(int) Math.min(Integer.MAX_VALUE, shape[shape.length - 2] * receptive),
                (int) Math.min(Integer.MAX_VALUE, shape[shape.length - 1] * receptive)};
    }

    /**
     * A seed for randomness the layer draws while it runs (a dropout mask), fixed by the model's seed
     * and the layer's position, and independent of the weights' draws: adding a Dropout layer does not
     * change the other layers' initial weights. Available from {@link #build(int[])} on.
     *
     * @return the seed of the layer's own random draws
     */
    protected final long layerSeed() {
        if (rng == null && !built()) {
            throw new IllegalStateException(getClass().getSimpleName() + ".layerSeed: available from build(inputShape) on");
        }
        return layerSeed;
    }

    /** {@return the layer's name in its model (null before it is built, unless given to the constructor)} */
    public final String name() {
        return name != null ? name : requestedName;
    }

    /** {@return whether a model has built the layer} */
    public final boolean built() {
        return inputShape != null;
    }

    /** {@return the input shape without the batch axis, once built} */
    public final int[] inputShape() {
        requireBuilt();
        return inputShape.clone();
    }

    /** {@return the output shape without the batch axis, once built} */
    public final int[] outputShape() {
        requireBuilt();
        return outputShape.clone();
    }

    /** {@return every weight, in creation order (empty before build)} */
    public final List<Variable> weights() {
        return Collections.unmodifiableList(weights);
    }

    /** {@return the weights the optimizer updates, in creation order} */
    public final List<Variable> trainableWeights() {
        return weights.stream().filter(Variable::trainable).toList();
    }

    /** {@return the weights the layer keeps as state (not trained), in creation order} */
    public final List<Variable> nonTrainableWeights() {
        return weights.stream().filter(v -> !v.trainable()).toList();
    }

    /** {@return the number of values in all weights} */
    public final long countParams() {
        long n = 0;
        for (Variable v : weights) {
            n += v.size();
        }
        return n;
    }

    /**
     * Builds the layer for its model: names it, creates its weights from {@code rng} and works out its
     * output shape. Called once, by {@link Sequential}.
     */
    final void buildFor(String modelName, String assignedName, int[] inputShape, Random rng, long layerSeed) {
        if (built()) {
            throw new IllegalStateException("layer " + name() + " already belongs to a model; create a new "
                    + getClass().getSimpleName());
        }
        this.name = requestedName != null ? requestedName : assignedName;
        this.rng = rng;
        this.layerSeed = layerSeed;
        boolean done = false;
        try {
            build(inputShape.clone());
            this.inputShape = inputShape.clone();
            this.rng = null;
            this.outputShape = computeOutputShape(inputShape.clone());
            done = true;
        } finally {
            this.rng = null;
            if (!done) {
                // Nothing half-built: the layer can be given to another model after a failed build.
                this.inputShape = null;
                this.outputShape = null;
                this.name = null;
                weights.clear();
                regularizers.clear();
            }
        }
    }

    /** Undoes {@link #buildFor} when the model cannot be completed, so the layer can be used again. */
    final void unbuild() {
        inputShape = null;
        outputShape = null;
        name = null;
        weights.clear();
        regularizers.clear();
    }

    /** Throws unless built, naming what to do. */
    protected final void requireBuilt() {
        if (!built()) {
            throw new IllegalStateException("layer " + (name() == null ? getClass().getSimpleName() : name())
                    + " has no weights yet: add it to a Sequential model first");
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + (name() == null ? "" : name()) + ")";
    }
}
