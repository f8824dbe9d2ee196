package vecgrad.nn;

import java.util.Objects;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/** The built-in {@link Loss}es; see there for their formulas. */
final class BuiltinLoss implements Loss {

    private enum Kind { CATEGORICAL, SPARSE_CATEGORICAL, MSE }

    private final Kind kind;
    private final boolean fromLogits;

    private BuiltinLoss(Kind kind, boolean fromLogits) {
        this.kind = kind;
        this.fromLogits = fromLogits;
    }

    static Loss categorical(boolean fromLogits) {
        return new BuiltinLoss(Kind.CATEGORICAL, fromLogits);
    }

    static Loss sparseCategorical(boolean fromLogits) {
        return new BuiltinLoss(Kind.SPARSE_CATEGORICAL, fromLogits);
    }

    static Loss meanSquared() {
        return new BuiltinLoss(Kind.MSE, false);
    }

    @Override
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

    @Override
    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public boolean sparse() {
        return kind == Kind.SPARSE_CATEGORICAL;
    }

    @Override
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
