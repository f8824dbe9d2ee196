package vecgrad.nn;

import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/** The activations a {@link Dense} layer applies to {@code x·W + b}, by their Keras names. */
public enum Activation {
    /** {@code max(z, 0)}. */
    RELU("relu"),
    /** {@code 1 / (1 + e^-z)}. */
    SIGMOID("sigmoid"),
    /** {@code tanh(z)}. */
    TANH("tanh"),
    /** Row-wise {@code e^z / Σ e^z}; with a cross-entropy loss the model fuses it into the loss (see {@link Loss}). */
    SOFTMAX("softmax"),
    /** The identity. */
    LINEAR("linear");

    private final String kerasName;

    Activation(String kerasName) {
        this.kerasName = kerasName;
    }

    /** The Keras name, e.g. {@code relu}. */
    public String kerasName() {
        return kerasName;
    }

    /** The activation with this Keras name. */
    public static Activation of(String kerasName) {
        for (Activation a : values()) {
            if (a.kerasName.equals(kerasName)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + kerasName
                + "': expected relu, sigmoid, tanh, softmax or linear");
    }

    /** Applies the activation through the recorded ops. */
    Tensor apply(Tensor z) {
        switch (this) {
            case RELU:
                return Ops.relu(z);
            case SIGMOID:
                return Ops.sigmoid(z);
            case TANH:
                return Ops.tanh(z);
            case SOFTMAX:
                return SoftmaxLogits.remember(Ops.softmax(z), z);
            case LINEAR:
                return z;
            default:
                throw new AssertionError(this);
        }
    }
}
