package vecgrad.nn;

import java.util.Arrays;
import java.util.Objects;
import vecgrad.autodiff.LossOps;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/** The built-in {@link Loss}es; see there for their formulas. */
final class BuiltinLoss implements Loss {

    /*
     * Two paths. Unweighted, the three losses vecgrad 0.1 had (categorical, sparse categorical, MSE)
     * run exactly the ops they always ran, so the report's network trains bit for bit as before
     * (LossOps.softmaxCrossEntropyWithLogits on the logits of its softmax). With sample weights they run
     * the weighted twins in LossOps (cross-entropies) or the same composition with a constant weight
     * factor (MSE); with every weight 1 both return the same bits as the unweighted path. The other
     * losses have one path, LossOps' op with null weights when none are given.
     *
     * As SoftmaxLogits lets categorical cross-entropy use the logits of a softmax output,
     * SigmoidLogits lets binary cross-entropy use the logits of a sigmoid output (TensorFlow Keras'
     * _keras_logits). Binary cross-entropy on a softmax output is refused: its rows sum to 1, so the
     * outputs are not independent probabilities, and it is the classic slip of a wrong loss name.
     */

    private enum Kind {
        CATEGORICAL("categorical_crossentropy"),
        SPARSE_CATEGORICAL("sparse_categorical_crossentropy"),
        MSE("mean_squared_error"),
        BINARY("binary_crossentropy"),
        MAE("mean_absolute_error"),
        HUBER("huber"),
        LOG_COSH("log_cosh"),
        KL("kl_divergence"),
        HINGE("hinge");

        private final String kerasName;

        Kind(String kerasName) {
            this.kerasName = kerasName;
        }
    }

    private final Kind kind;
    private final boolean fromLogits;
    private final float delta;

    private BuiltinLoss(Kind kind, boolean fromLogits, float delta) {
        this.kind = kind;
        this.fromLogits = fromLogits;
        this.delta = delta;
    }

    private BuiltinLoss(Kind kind, boolean fromLogits) {
        this(kind, fromLogits, Float.NaN);
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

    static Loss binary(boolean fromLogits) {
        return new BuiltinLoss(Kind.BINARY, fromLogits);
    }

    static Loss meanAbsolute() {
        return new BuiltinLoss(Kind.MAE, false);
    }

    static Loss huber(float delta) {
        if (!(Float.isFinite(delta) && delta > 0)) {
            throw new IllegalArgumentException("huber: expected a finite delta > 0, got " + delta);
        }
        return new BuiltinLoss(Kind.HUBER, false, delta);
    }

    static Loss logCosh() {
        return new BuiltinLoss(Kind.LOG_COSH, false);
    }

    static Loss klDivergence() {
        return new BuiltinLoss(Kind.KL, false);
    }

    static Loss hinge() {
        return new BuiltinLoss(Kind.HINGE, false);
    }

    @Override
    public String name() {
        return kind.kerasName;
    }

    /** Huber's delta, NaN for the other losses: what a saved compile config needs besides the name. */
    float delta() {
        return delta;
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
        Tensor target = checkedTarget(yTrue, yPred);
        switch (kind) {
            case MSE: {
                Tensor d = Ops.sub(yPred, target);
                return Ops.mean(Ops.square(d));
            }
            case CATEGORICAL:
            case SPARSE_CATEGORICAL: {
                if (fromLogits) {
                    return LossOps.softmaxCrossEntropyWithLogits(target, yPred);
                }
                Tensor logits = SoftmaxLogits.of(yPred);
                if (logits != null) {
                    return LossOps.softmaxCrossEntropyWithLogits(target, logits);
                }
                return LossOps.categoricalCrossentropy(target, yPred);
            }
            default:
                return weighted(target, yPred, null);
        }
    }

    @Override
    public Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (sampleWeight == null) {
            return call(yTrue, yPred);
        }
        Tensor target = checkedTarget(yTrue, yPred);
        checkWeights(sampleWeight, yPred);
        return weighted(target, yPred, sampleWeight);
    }

    /** The loss with weights (null: all 1); target and weights already checked. */
    private Tensor weighted(Tensor target, Tensor yPred, Tensor w) {
        switch (kind) {
            case MSE: {
                Tensor d = Ops.sub(yPred, target);
                return Ops.mean(Ops.mul(Ops.square(d), rowWeights(w, yPred.rows(), yPred.cols())));
            }
            case CATEGORICAL:
            case SPARSE_CATEGORICAL: {
                Tensor logits = fromLogits ? yPred : SoftmaxLogits.of(yPred);
                return logits != null ? LossOps.softmaxCrossEntropyWithLogits(target, logits, w)
                        : LossOps.categoricalCrossentropy(target, yPred, w);
            }
            case BINARY: {
                if (fromLogits) {
                    return LossOps.sigmoidCrossEntropyWithLogits(target, yPred, w);
                }
                Tensor logits = SigmoidLogits.of(yPred);
                return logits != null ? LossOps.sigmoidCrossEntropyWithLogits(target, logits, w)
                        : LossOps.binaryCrossentropy(target, yPred, w);
            }
            case MAE:
                return LossOps.meanAbsoluteError(target, yPred, w);
            case HUBER:
                return LossOps.huber(target, yPred, delta, w);
            case LOG_COSH:
                return LossOps.logCosh(target, yPred, w);
            case KL:
                return LossOps.klDivergence(target, yPred, w);
            case HINGE:
                return LossOps.hinge(target, yPred, w);
            default:
                throw new AssertionError(kind);
        }
    }

    /** Checks the shapes (and refuses a softmax output to binary cross-entropy); returns the targets as rows {@code (m,n)}. */
    private Tensor checkedTarget(Tensor yTrue, Tensor yPred) {
        Objects.requireNonNull(yTrue, "yTrue");
        Objects.requireNonNull(yPred, "yPred");
        if (yPred.rank() != 2) {
            throw new IllegalArgumentException(name() + ": expected predictions of shape (batch, outputs), got "
                    + yPred.shapeString());
        }
        if (kind == Kind.BINARY && SoftmaxLogits.of(yPred) != null) {
            throw new IllegalArgumentException(name() + ": expected independent probabilities (a sigmoid output) or"
                    + " logits, got the softmax output " + yPred.shapeString() + " of a layer, whose rows sum to 1;"
                    + " use categorical_crossentropy, or a sigmoid output");
        }
        Tensor target = kind == Kind.SPARSE_CATEGORICAL ? oneHot(yTrue, yPred.rows(), yPred.cols()) : yTrue;
        if (!target.sameShape(yPred)) {
            throw new IllegalArgumentException(name() + ": targets of shape " + yTrue.shapeString()
                    + " do not fit predictions of shape " + yPred.shapeString());
        }
        return target;
    }

    private void checkWeights(Tensor w, Tensor yPred) {
        int m = yPred.rows();
        if (!(w.hasShape(m) || w.hasShape(m, 1))) {
            throw new IllegalArgumentException(name() + ": expected sample weights of shape (" + m + ") or (" + m
                    + ", 1), one per sample of predictions " + yPred.shapeString() + ", got " + w.shapeString());
        }
        float[] d = w.data();
        for (int i = 0; i < m; i++) {
            if (!(Float.isFinite(d[i]) && d[i] >= 0)) {
                throw new IllegalArgumentException(name() + ": expected finite, non-negative sample weights, got "
                        + d[i] + " at sample " + i);
            }
        }
    }

    /** Each sample's weight repeated along its row, {@code (m,n)}, a constant; ones when {@code w} is null. */
    private static Tensor rowWeights(Tensor w, int m, int n) {
        Tensor t = Tensor.ones(m, n);
        if (w != null) {
            float[] d = t.data();
            for (int i = 0; i < m; i++) {
                Arrays.fill(d, i * n, (i + 1) * n, w.data()[i]);
            }
        }
        return t;
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
        if (kind == Kind.HUBER) {
            return name() + "(delta=" + delta + ")";
        }
        return name() + (fromLogits ? "(from_logits)" : "");
    }
}
