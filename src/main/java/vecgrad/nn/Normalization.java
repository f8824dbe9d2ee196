package vecgrad.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.Ops;
import vecgrad.data.Dataset;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Standardises each feature (the last axis) with a mean and variance learned from data or given:
 * Keras 3's {@code Normalization(axis=-1)} preprocessing layer,
 * {@code y = (x − mean) / max(√variance, 1e-7)}, or with {@code invert},
 * {@code y = mean + x · max(√variance, 1e-7)}.
 * <pre>{@code
 * Normalization norm = new Normalization();
 * norm.adapt(train);                        // the training set's mean and variance per feature
 * Sequential model = new Sequential(4, 42, norm, new Dense(16, Activation.RELU), new Dense(3, Activation.SOFTMAX));
 * }</pre>
 *
 * <ul>
 *   <li>{@link #adapt(Tensor)} (or {@link #adapt(Dataset)}) learns, per feature, the mean and the
 *       population variance (divided by {@code n}, as Keras' {@code ops.var}) over every axis but the
 *       last; it may be called before the layer is in a model or after, and again later. The
 *       statistics are the layer's non-trainable weights {@code NAME/mean} and {@code NAME/variance}
 *       {@code (features)}, with {@code NAME/count} {@code (1)}, the number of rows adapt saw (0
 *       before), so they are saved with the model and a loaded model normalises as the saved one did.</li>
 *   <li>{@link #Normalization(double[], double[], boolean)} takes them instead; the layer then has no
 *       weights and keeps them in its config, as Keras.</li>
 * </ul>
 * Calling an adaptable layer before {@code adapt} throws {@link IllegalStateException}: Keras would
 * quietly normalise with mean 0 and variance 1. The statistics are constants: gradients flow to the
 * input only.
 */
public final class Normalization extends Layer {

    /*
     * Keras 3, keras/src/layers/preprocessing/normalization.py: build adds mean (zeros), variance (ones)
     * and count (an int scalar, kept for old files and never updated), all non-trainable; adapt on a
     * tensor assigns ops.mean and ops.var over the reduced axes; call divides (x − mean) by
     * maximum(sqrt(variance), backend.epsilon()) with epsilon 1e-7, in float32. Here the statistics are
     * computed in double (two passes) and rounded once, and count holds the rows adapted on, which is
     * how a loaded layer knows it was adapted. sqrt of a float variance is taken in double and rounded:
     * the correctly rounded float square root, as float32 sqrt.
     */

    /** Keras' {@code backend.epsilon()}, the smallest divisor. */
    private static final float EPSILON = 1e-7f;

    private final boolean invert;
    /** The mean and variance given to the constructor, else null. */
    private final double[] givenMean;
    private final double[] givenVariance;
    /** Statistics adapted before the layer was built, to start its weights with; else null. */
    private float[] pendingMean;
    private float[] pendingVariance;
    private float pendingCount;
    private Variable mean;
    private Variable variance;
    private Variable count;
    /** The given statistics broadcast to the features, once built. */
    private Tensor givenMeanTensor;
    private float[] givenStd;

    /** A layer to {@link #adapt}, normalising (Keras' defaults: axis -1, no invert). */
    public Normalization() {
        this(false);
    }

    /**
     * A layer to {@link #adapt}.
     *
     * @param invert whether to undo the normalisation ({@code mean + x · std}) instead
     */
    public Normalization(boolean invert) {
        this.invert = invert;
        this.givenMean = null;
        this.givenVariance = null;
    }

    /**
     * A layer with a given mean and variance per feature (a single value applies to every feature),
     * as Keras' {@code Normalization(mean=..., variance=..., invert=...)}; it needs no {@code adapt}.
     *
     * @param mean     the means, finite: one per feature, or one for all
     * @param variance the variances, finite and {@code >= 0}, as many as {@code mean}
     * @param invert   whether to undo the normalisation instead
     * @throws IllegalArgumentException if the arrays are empty, differ in length, or hold a value out of range
     */
    public Normalization(double[] mean, double[] variance, boolean invert) {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(variance, "variance");
        if (mean.length == 0 || mean.length != variance.length) {
            throw new IllegalArgumentException("Normalization: expected a mean and a variance of the same non-zero"
                    + " length, got " + mean.length + " and " + variance.length);
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Float.isFinite((float) mean[j])) {
                throw new IllegalArgumentException("Normalization: mean[" + j + "] must be finite, got " + mean[j]);
            }
            if (!(variance[j] >= 0) || !Float.isFinite((float) variance[j])) {
                throw new IllegalArgumentException("Normalization: variance[" + j + "] must be a finite number >= 0, got "
                        + variance[j]);
            }
        }
        this.invert = invert;
        this.givenMean = mean.clone();
        this.givenVariance = variance.clone();
    }

    /** The layer {@code config} describes, for {@link LayerRegistry}. */
    static Normalization fromConfig(LayerRegistry.Config c) {
        Object axis = c.get("axis");
        if (!(axis instanceof Long a && a == -1)) {
            throw new IllegalArgumentException("Normalization: only axis -1 is supported, got " + axis);
        }
        double[] m = c.getDoubleArrayOrNull("mean");
        double[] v = c.getDoubleArrayOrNull("variance");
        if ((m == null) != (v == null)) {
            throw new IllegalArgumentException("Normalization: expected both 'mean' and 'variance' or neither");
        }
        return m == null ? new Normalization(c.getBoolean("invert")) : new Normalization(m, v, c.getBoolean("invert"));
    }

    @Override
    protected void build(int[] inputShape) {
        LayerInputs.requireFeatureAxis("Normalization", name(), inputShape);
        int features = inputShape[inputShape.length - 1];
        if (givenMean != null) {
            if (givenMean.length != 1 && givenMean.length != features) {
                throw new IllegalArgumentException("Normalization " + name() + ": a mean and variance of "
                        + givenMean.length + " values do not fit inputs of " + features + " features "
                        + LayerInputs.batchShape(inputShape));
            }
            float[] m = new float[features];
            givenStd = new float[features];
            for (int j = 0; j < features; j++) {
                int k = givenMean.length == 1 ? 0 : j;
                m[j] = (float) givenMean[k];
                givenStd[j] = std((float) givenVariance[k]);
            }
            givenMeanTensor = Tensor.wrap(m, features);
            return;
        }
        if (pendingMean != null && pendingMean.length != features) {
            throw new IllegalArgumentException("Normalization " + name() + ": adapted on data of " + pendingMean.length
                    + " features, but its inputs are " + LayerInputs.batchShape(inputShape));
        }
        int[] shape = {features};
        mean = addWeight("mean", shape, constant(pendingMean, 0f), false);
        variance = addWeight("variance", shape, constant(pendingVariance, 1f), false);
        count = addWeight("count", new int[] {1}, constant(new float[] {pendingCount}, 0f), false);
    }

    /** An initializer of fixed values (no random draws), or of {@code fill} when {@code values} is null. */
    private static Initializer constant(float[] values, float fill) {
        return new Initializer() {
            @Override
            public Tensor initialize(java.util.Random rng, int fanIn, int fanOut, int... shape) {
                Tensor t = Tensor.zeros(shape);
                if (values == null) {
                    Arrays.fill(t.data(), fill);
                } else {
                    System.arraycopy(values, 0, t.data(), 0, values.length);
                }
                return t;
            }

            @Override
            public String kerasName() {
                return "constant";
            }
        };
    }

    private static float std(float variance) {
        return Math.max((float) Math.sqrt(variance), EPSILON);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * Learns each feature's mean and population variance from {@code data (n, ..., features)}, over
     * all its rows (every axis but the last). Replaces what an earlier adapt learned.
     *
     * @param data the data, rank 2 or more, at least one row, all values finite
     * @throws IllegalStateException if the layer was given its mean and variance
     * @throws IllegalArgumentException if {@code data} has no rows, a non-finite value, or (once the
     *     layer is built) another number of features than its input
     */
    public void adapt(Tensor data) {
        Objects.requireNonNull(data, "data");
        if (givenMean != null) {
            throw new IllegalStateException("Normalization " + name() + ": it was given its mean and variance; only a"
                    + " layer made with new Normalization() adapts");
        }
        if (data.rank() < 2 || data.size() == 0) {
            throw new IllegalArgumentException("Normalization.adapt: expected data of shape (samples, ..., features) with"
                    + " at least one sample, got " + data.shapeString());
        }
        int features = data.dim(data.rank() - 1);
        if (built() && features != mean.size()) {
            throw new IllegalArgumentException("Normalization " + name() + ": built for " + mean.size() + " features, but"
                    + " adapt got data of shape " + data.shapeString());
        }
        float[] xd = data.data();
        int rows = xd.length / features;
        double[] m = new double[features];
        for (int e = 0; e < xd.length; e++) {
            if (!Float.isFinite(xd[e])) {
                throw new IllegalArgumentException("Normalization.adapt: expected finite data, got " + xd[e] + " in row "
                        + e / features + ", feature " + e % features);
            }
            m[e % features] += xd[e];
        }
        for (int j = 0; j < features; j++) {
            m[j] /= rows;
        }
        double[] v = new double[features];
        for (int e = 0; e < xd.length; e++) {
            double d = xd[e] - m[e % features];
            v[e % features] += d * d;
        }
        float[] meanF = new float[features];
        float[] varF = new float[features];
        for (int j = 0; j < features; j++) {
            meanF[j] = (float) m[j];
            varF[j] = (float) (v[j] / rows);
        }
        if (built()) {
            System.arraycopy(meanF, 0, mean.data(), 0, features);
            System.arraycopy(varF, 0, variance.data(), 0, features);
            count.data()[0] = rows;
        } else {
            pendingMean = meanF;
            pendingVariance = varF;
            pendingCount = rows;
        }
    }

    /**
     * Learns the mean and variance of a dataset's images, as {@link #adapt(Tensor)} of
     * {@code data.images()}.
     *
     * @param data the dataset, at least one example
     * @throws IllegalStateException as {@link #adapt(Tensor)}
     * @throws IllegalArgumentException as {@link #adapt(Tensor)}
     */
    public void adapt(Dataset data) {
        Objects.requireNonNull(data, "data");
        adapt(data.images());
    }

    /** {@return whether the layer normalises: given its statistics, or adapted (or loaded adapted)} */
    public boolean ready() {
        return givenMean != null || (built() ? count.data()[0] > 0 : pendingMean != null);
    }

    /**
     * Normalises (or, with invert, denormalises) {@code x (batch, ..., features)}; the same in training
     * and inference.
     *
     * @throws IllegalStateException if the layer was neither adapted nor given its mean and variance
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "Normalization", x);
        if (!ready()) {
            throw new IllegalStateException("Normalization " + name() + " has no mean and variance yet: call"
                    + " adapt(trainingData) first, or construct it with new Normalization(mean, variance, invert)");
        }
        Tensor m;
        Tensor std = BufferPool.tensor(x.dim(x.rank() - 1));
        float[] s = std.data();
        if (givenMean != null) {
            m = givenMeanTensor;
            System.arraycopy(givenStd, 0, s, 0, s.length);
        } else {
            m = mean;                            // not trainable, so no tape watches it
            float[] var = variance.data();
            for (int j = 0; j < s.length; j++) {
                s[j] = std(var[j]);
            }
        }
        return invert ? Ops.add(Ops.mul(x, std), m) : Ops.div(Ops.sub(x, m), std);
    }

    /** {@return whether the layer undoes the normalisation} */
    public boolean invert() {
        return invert;
    }

    /** {@return a copy of the mean per feature: the adapted or given one (the given ones broadcast, once built)} */
    public float[] mean() {
        return statistic(true);
    }

    /** {@return a copy of the variance per feature, as {@link #mean()}} */
    public float[] variance() {
        return statistic(false);
    }

    private float[] statistic(boolean ofMean) {
        if (!ready()) {
            throw new IllegalStateException("Normalization " + name() + " has no mean and variance yet: call adapt first");
        }
        if (givenMean != null) {
            double[] g = ofMean ? givenMean : givenVariance;
            float[] out = new float[g.length];
            for (int j = 0; j < g.length; j++) {
                out[j] = (float) g[j];
            }
            return out;
        }
        if (!built()) {
            return (ofMean ? pendingMean : pendingVariance).clone();
        }
        return (ofMean ? mean : variance).data().clone();
    }

    /** Keras' keys: axis (always -1), invert, and mean and variance (null unless given). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("axis", -1);
        c.put("invert", invert);
        c.put("mean", givenMean == null ? null : givenMean.clone());
        c.put("variance", givenVariance == null ? null : givenVariance.clone());
        return c;
    }

    @Override
    public String toString() {
        return "Normalization(" + (givenMean != null ? "given" : ready() ? "adapted" : "not adapted")
                + (invert ? ", invert" : "") + ")";
    }
}
