package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.autodiff.NormalizationOps;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Batch normalisation over the last axis, as Keras' {@code BatchNormalization()}: each feature is
 * standardised and then scaled and shifted, {@code y = γ ⊙ (x − μ) / √(σ² + ε) + β}.
 *
 * <ul>
 *   <li>In training ({@code call(x, true)}, what {@code fit} does) {@code μ} and {@code σ²} are the
 *       batch's mean and biased variance over every axis but the last (the batch, and the spatial
 *       axes of images {@code (batch, h, w, c)}); the gradient flows through them. The call then
 *       updates the moving statistics, outside any tape:
 *       {@code moving = moving · momentum + batch · (1 − momentum)}.</li>
 *   <li>In inference ({@code call(x)}, {@code evaluate}, {@code predict}) {@code μ} and {@code σ²} are
 *       the moving statistics.</li>
 * </ul>
 *
 * <p>Keras' defaults: momentum 0.99, epsilon 1e-3, center and scale on. Weights, in creation order:
 * {@code NAME/gamma} (ones) and {@code NAME/beta} (zeros), trainable; {@code NAME/moving_mean} (zeros)
 * and {@code NAME/moving_variance} (ones), not trainable, each of shape {@code (features)}.
 */
public final class BatchNormalization extends Layer {

    /*
     * Keras 3, keras/src/layers/normalization/batch_normalization.py: build creates gamma, beta,
     * moving_mean, moving_variance in that order; call(training=True) takes ops.moments over the
     * reduction axes (biased variance), assigns moving_mean * momentum + mean * (1 - momentum) (and the
     * same for the variance), and normalises with the batch moments; call(training=False) normalises
     * with the moving ones. The moving update runs in float as there (momentum and 1 − momentum as
     * float32), from batch moments computed in double.
     */

    private final float momentum;
    private final float epsilon;
    /** The settings as given, for {@link #config()} (0.99, not the float 0.99000000953...). */
    private final double momentumSetting;
    private final double epsilonSetting;
    private final ScaleShift scaleShift;
    private Variable movingMean;
    private Variable movingVariance;

    /** Keras' defaults: momentum 0.99, epsilon 1e-3, center and scale. */
    public BatchNormalization() {
        this(0.99, 1e-3, true, true);
    }

    /**
     * A batch normalisation with its own settings.
     *
     * @param momentum the moving statistics' momentum, in {@code [0, 1]}
     * @param epsilon  added to the variance, positive and finite
     * @param center   whether to add a trainable offset {@code beta}
     * @param scale    whether to multiply by a trainable {@code gamma}
     * @throws IllegalArgumentException if momentum or epsilon is out of range
     */
    public BatchNormalization(double momentum, double epsilon, boolean center, boolean scale) {
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: expected a momentum in [0, 1], got " + momentum);
        }
        if (!((float) epsilon > 0) || !Float.isFinite((float) epsilon)) {
            throw new IllegalArgumentException("BatchNormalization: expected a positive finite epsilon, got " + epsilon);
        }
        this.momentum = (float) momentum;
        this.epsilon = (float) epsilon;
        this.momentumSetting = momentum;
        this.epsilonSetting = epsilon;
        this.scaleShift = new ScaleShift(center, scale);
    }

    @Override
    protected void build(int[] inputShape) {
        LayerInputs.requireFeatureAxis("BatchNormalization", name(), inputShape);
        int[] features = {inputShape[inputShape.length - 1]};
        scaleShift.build(this, features);
        movingMean = addWeight("moving_mean", features, Initializer.zeros(), false);
        movingVariance = addWeight("moving_variance", features, Initializer.ones(), false);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * Normalises {@code x (batch, ..., features)} with the batch's statistics and updates the moving
     * ones when {@code training}, else with the moving statistics.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "BatchNormalization", x);
        Tensor normalized;
        if (training) {
            normalized = NormalizationOps.standardizeFeatures(x, epsilon);
            updateMovingStatistics(x);
        } else {
            // The moving statistics are constants here: (x − moving_mean) ⊙ 1/√(moving_variance + ε).
            float[] mv = movingVariance.data();
            float[] inverseStd = new float[mv.length];
            for (int j = 0; j < mv.length; j++) {
                inverseStd[j] = (float) (1 / Math.sqrt((double) mv[j] + epsilon));
            }
            Tensor mean = Tensor.of(movingMean.data(), movingMean.shape());   // a copy: not watched
            normalized = Ops.mul(Ops.sub(x, mean), Tensor.wrap(inverseStd, inverseStd.length));
        }
        return scaleShift.apply(normalized);
    }

    /** The batch's mean and biased variance per feature, in double, folded into the moving statistics. */
    private void updateMovingStatistics(Tensor x) {
        float[] xd = x.data();
        int c = movingMean.size();
        int n = xd.length / c;
        double[] mean = new double[c];
        for (int e = 0; e < xd.length; e++) {
            mean[e % c] += xd[e];
        }
        for (int j = 0; j < c; j++) {
            mean[j] /= n;
        }
        double[] variance = new double[c];
        for (int e = 0; e < xd.length; e++) {
            double d = xd[e] - mean[e % c];
            variance[e % c] += d * d;
        }
        float[] mm = movingMean.data();
        float[] mv = movingVariance.data();
        float rest = 1f - momentum;
        for (int j = 0; j < c; j++) {
            mm[j] = mm[j] * momentum + (float) mean[j] * rest;
            mv[j] = mv[j] * momentum + (float) (variance[j] / n) * rest;
        }
    }

    /** {@return the scale {@code gamma (features)}, or null when built without scale} */
    public Variable gamma() {
        requireBuilt();
        return scaleShift.gamma();
    }

    /** {@return the offset {@code beta (features)}, or null when built without center} */
    public Variable beta() {
        requireBuilt();
        return scaleShift.beta();
    }

    /** {@return the running mean {@code moving_mean (features)}, not trainable} */
    public Variable movingMean() {
        requireBuilt();
        return movingMean;
    }

    /** {@return the running variance {@code moving_variance (features)}, not trainable} */
    public Variable movingVariance() {
        requireBuilt();
        return movingVariance;
    }

    /** Keras' keys: axis (always -1), momentum, epsilon, center, scale and the initializers. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("axis", -1);
        c.put("momentum", momentumSetting);
        c.put("epsilon", epsilonSetting);
        scaleShift.putConfig(c);
        c.put("moving_mean_initializer", "zeros");
        c.put("moving_variance_initializer", "ones");
        return c;
    }

    @Override
    public String toString() {
        return "BatchNormalization(momentum=" + momentumSetting + ", epsilon=" + epsilonSetting + ")";
    }
}
