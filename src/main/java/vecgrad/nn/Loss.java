package vecgrad.nn;

import java.util.Objects;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/**
 * A loss function, reduced to the mean over the batch (Keras' default reduction), computed with the
 * recorded ops of {@code vecgrad.autodiff} so a tape differentiates it.
 *
 * <ul>
 *   <li>{@link #categoricalCrossentropy()}: {@code yTrue (m,n)} one-hot (or soft) labels. On
 *       probabilities, Keras clips them to [1e-7, 1-1e-7]; but when {@code yPred} is the softmax output
 *       of a layer, the loss is computed from that layer's logits with the fused, stable
 *       softmax-cross-entropy, as TensorFlow Keras does. Its gradient with respect to the logits is
 *       exactly {@code (softmax - yTrue)/m}.</li>
 *   <li>{@link #sparseCategoricalCrossentropy()}: {@code yTrue (m,1)} or {@code (m,)} holding class
 *       indices; otherwise the same.</li>
 *   <li>{@link #meanSquaredError()}: {@code mean((yPred - yTrue)²)}.</li>
 * </ul>
 */
public final class Loss {

    private enum Kind { CATEGORICAL, SPARSE_CATEGORICAL, MSE }

    private final Kind kind;
    private final boolean fromLogits;

    private Loss(Kind kind, boolean fromLogits) {
        this.kind = kind;
        this.fromLogits = fromLogits;
    }

    /** Categorical cross-entropy on probabilities. */
    public static Loss categoricalCrossentropy() {
        return new Loss(Kind.CATEGORICAL, false);
    }

    /** Categorical cross-entropy, on logits when {@code fromLogits}. */
    public static Loss categoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.CATEGORICAL, fromLogits);
    }

    /** Sparse categorical cross-entropy on probabilities. */
    public static Loss sparseCategoricalCrossentropy() {
        return new Loss(Kind.SPARSE_CATEGORICAL, false);
    }

    /** Sparse categorical cross-entropy, on logits when {@code fromLogits}. */
    public static Loss sparseCategoricalCrossentropy(boolean fromLogits) {
        return new Loss(Kind.SPARSE_CATEGORICAL, fromLogits);
    }

    /** Mean squared error. */
    public static Loss meanSquaredError() {
        return new Loss(Kind.MSE, false);
    }

    /** The Keras name, e.g. {@code categorical_crossentropy}. */
    public String name() {
        switch (kind) {
            case CATEGORICAL:
                return "categorical_crossentropy";
            case SPARSE_CATEGORICAL:
                return "sparse_categorical_crossentropy";
            default:
                return "mean_squared_error";
        }
    }

    /** Whether the loss takes logits rather than probabilities. */
    public boolean fromLogits() {
        return fromLogits;
    }

    /** Whether targets are class indices (one column) rather than one row per output. */
    public boolean sparse() {
        return kind == Kind.SPARSE_CATEGORICAL;
    }

    /**
     * The scalar mean loss of predictions {@code yPred (m,n)} against targets {@code yTrue}: {@code (m,n)},
     * or {@code (m,1)}/{@code (m,)} class indices for the sparse loss.
     *
     * @throws IllegalArgumentException if the shapes do not fit, or a sparse label is not an integer in [0, n)
     */
    public Tensor call(Tensor yTrue, Tensor yPred) {
        Objects.requireNonNull(yTrue, "yTrue");
        Objects.requireNonNull(yPred, "yPred");
        if (yPred.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected predictions of shape (batch, outputs), got "
                    + yPred.shapeString());
        }
        Tensor target = kind == Kind.SPARSE_CATEGORICAL ? oneHot(yTrue, yPred.rows(), yPred.cols()) : yTrue;
        if (!target.sameShape(yPred)) {
            throw new IllegalArgumentException(name() + ": targets of shape " + yTrue.shapeString()
                    + " do not fit predictions of shape " + yPred.shapeString());
        }
        switch (kind) {
            case MSE: {
                Tensor d = Ops.sub(yPred, target);
                return Ops.mean(Ops.square(d));
            }
            default: {
                if (fromLogits) {
                    return Ops.softmaxCrossEntropyWithLogits(target, yPred);
                }
                Tensor logits = SoftmaxLogits.of(yPred);
                if (logits != null) {
                    return Ops.softmaxCrossEntropyWithLogits(target, logits);
                }
                return Ops.categoricalCrossentropy(target, yPred);
            }
        }
    }

    /** Class indices {@code (m,1)} or {@code (m,)} as one-hot rows {@code (m,n)}. */
    static Tensor oneHot(Tensor labels, int m, int n) {
        if (!(labels.hasShape(m) || labels.hasShape(m, 1))) {
            throw new IllegalArgumentException("sparse_categorical_crossentropy: expected class indices of shape ("
                    + m + ") or (" + m + ", 1), got " + labels.shapeString());
        }
        Tensor hot = Tensor.zeros(m, n);
        float[] l = labels.data();
        for (int i = 0; i < m; i++) {
            int c = classIndex(l[i], n, i);
            hot.data()[i * n + c] = 1f;
        }
        return hot;
    }

    static int classIndex(float label, int classes, int row) {
        int c = (int) label;
        if (c != label || c < 0 || c >= classes) {
            throw new IllegalArgumentException("label " + label + " at row " + row + " is not a class index in [0, "
                    + classes + ")");
        }
        return c;
    }

    @Override
    public String toString() {
        return name() + (fromLogits ? "(from_logits)" : "");
    }
}
