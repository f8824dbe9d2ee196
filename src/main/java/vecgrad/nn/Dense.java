package vecgrad.nn;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A fully connected layer: {@code activation(x · W + b)} with {@code x (batch, inputs)},
 * {@code W (inputs, units)}, {@code b (units)}. Keras' defaults: Glorot-uniform kernel, zero bias.
 *
 * <p>A layer belongs to one model: the model builds it (creates W and b) when it is constructed.
 * Its weights are named {@code W<i>} and {@code b<i>} for the i-th layer of the model, counting from 1,
 * as in the report the library reproduces.
 */
public final class Dense implements Layer {

    private final int units;
    private final Activation activation;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private String name;
    private Variable kernel;
    private Variable bias;

    /** A layer with Keras' default initializers. */
    public Dense(int units, Activation activation) {
        this(units, activation, Initializer.glorotUniform(), Initializer.zeros());
    }

    /**
     * A layer with the given initializers.
     *
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

    /** Creates the weights; called once, by the model, with the layer's position from 1. */
    void build(int inputs, int index, Random rng) {
        if (kernel != null) {
            throw new IllegalStateException("layer " + name + " already belongs to a model; create a new Dense");
        }
        name = "dense_" + index;
        kernel = Variable.of("W" + index, kernelInitializer.initialize(rng, inputs, units, inputs, units));
        bias = Variable.of("b" + index, biasInitializer.initialize(rng, inputs, units, units));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int units() {
        return units;
    }

    /** The activation. */
    public Activation activation() {
        return activation;
    }

    /** The kernel {@code W (inputs, units)}. */
    public Variable kernel() {
        requireBuilt();
        return kernel;
    }

    /** The bias {@code b (units)}. */
    public Variable bias() {
        requireBuilt();
        return bias;
    }

    @Override
    public Tensor call(Tensor x) {
        requireBuilt();
        return activation.apply(Ops.add(Ops.matmul(x, kernel), bias));
    }

    @Override
    public List<Variable> variables() {
        return kernel == null ? List.of() : List.of(kernel, bias);
    }

    private void requireBuilt() {
        if (kernel == null) {
            throw new IllegalStateException("this Dense layer has no weights yet: add it to a Sequential model first");
        }
    }

    @Override
    public String toString() {
        return "Dense(" + units + ", " + activation.kerasName() + ")";
    }
}
