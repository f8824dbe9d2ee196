package vecgrad.tensor;

import java.util.Objects;

/**
 * A named tensor that is updated in place: the weights of a model. A trainable variable is watched
 * automatically by every open {@code GradientTape}, as in TensorFlow; optimizers write into its
 * {@link #data()} directly.
 */
public final class Variable extends Tensor {

    private final String name;
    private final boolean trainable;

    private Variable(String name, float[] data, int[] shape, boolean trainable) {
        super(data, shape);
        this.name = name;
        this.trainable = trainable;
    }

    /**
     * A trainable variable named {@code name} holding a copy of {@code initial}.
     *
     * @param name the variable's name, e.g. {@code dense_1/kernel}; not blank
     * @param initial the initial value, copied; its shape becomes the variable's shape
     * @return a new trainable variable
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Variable of(String name, Tensor initial) {
        return of(name, initial, true);
    }

    /**
     * A variable holding a copy of {@code initial}; {@code trainable} decides whether tapes watch it.
     *
     * @param name the variable's name, e.g. {@code dense_1/kernel}; not blank
     * @param initial the initial value, copied; its shape becomes the variable's shape
     * @param trainable whether tapes watch the variable automatically and optimizers update it
     * @return a new variable
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public static Variable of(String name, Tensor initial, boolean trainable) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initial, "initial");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a variable needs a non-blank name");
        }
        return new Variable(name, initial.data().clone(), initial.shape(), trainable);
    }

    /**
     * The name, e.g. {@code dense_1/kernel} or {@code W1}.
     *
     * @return the non-blank name given at creation
     */
    public String name() {
        return name;
    }

    /**
     * Whether tapes watch this variable automatically and optimizers update it.
     *
     * @return {@code true} for a trainable variable
     */
    public boolean trainable() {
        return trainable;
    }

    /**
     * Copies {@code value}'s elements into this variable; the shapes must be equal.
     *
     * @param value the new contents, of the same shape as this variable
     * @throws IllegalArgumentException if the shapes differ (naming both and the variable)
     */
    public void assign(Tensor value) {
        Objects.requireNonNull(value, "value");
        if (!sameShape(value)) {
            throw new IllegalArgumentException("cannot assign a tensor of shape " + value.shapeString()
                    + " to variable " + name + " of shape " + shapeString());
        }
        System.arraycopy(value.data(), 0, data(), 0, size());
    }

    @Override
    public String toString() {
        return "Variable '" + name + "' " + super.toString();
    }
}
