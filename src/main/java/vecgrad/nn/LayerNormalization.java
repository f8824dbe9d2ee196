package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.autodiff.NormalizationOps;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Layer normalisation over the last axis, as Keras' {@code LayerNormalization()}: each sample (each
 * position of an image) is standardised over its features and then scaled and shifted,
 * {@code y = γ ⊙ (x − μ) / √(σ² + ε) + β}, with {@code μ} and the biased {@code σ²} taken over the
 * last axis. It acts the same in training and inference and keeps no state.
 *
 * <p>Keras' defaults: epsilon 1e-3, center and scale on. Weights, in creation order:
 * {@code NAME/gamma} (ones) and {@code NAME/beta} (zeros), both {@code (features)}, trainable.
 */
public final class LayerNormalization extends Layer {

    /*
     * Keras 3, keras/src/layers/normalization/layer_normalization.py: build creates gamma then beta
     * of shape (features,) for axis -1; call takes ops.moments over the axis with keepdims (biased
     * variance) and computes (x − mean) · rsqrt(variance + epsilon) · gamma + beta.
     */

    private final float epsilon;
    private final double epsilonSetting;
    private final ScaleShift scaleShift;

    /** Keras' defaults: epsilon 1e-3, center and scale. */
    public LayerNormalization() {
        this(1e-3, true, true);
    }

    /**
     * A layer normalisation with its own settings.
     *
     * @param epsilon added to the variance, positive and finite
     * @param center  whether to add a trainable offset {@code beta}
     * @param scale   whether to multiply by a trainable {@code gamma}
     * @throws IllegalArgumentException if epsilon is not positive and finite
     */
    public LayerNormalization(double epsilon, boolean center, boolean scale) {
        if (!((float) epsilon > 0) || !Float.isFinite((float) epsilon)) {
            throw new IllegalArgumentException("LayerNormalization: expected a positive finite epsilon, got " + epsilon);
        }
        this.epsilon = (float) epsilon;
        this.epsilonSetting = epsilon;
        this.scaleShift = new ScaleShift(center, scale);
    }

    @Override
    protected void build(int[] inputShape) {
        LayerInputs.requireFeatureAxis("LayerNormalization", name(), inputShape);
        int[] features = {inputShape[inputShape.length - 1]};
        scaleShift.build(this, features);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * Normalises each sample of {@code x (batch, ..., features)} over its last axis.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "LayerNormalization", x);
        Tensor normalized = NormalizationOps.standardizeSamples(x, epsilon);
        return scaleShift.apply(normalized);
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

    /** Keras' keys: axis (always -1), epsilon, center, scale and the initializers. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("axis", -1);
        c.put("epsilon", epsilonSetting);
        scaleShift.putConfig(c);
        return c;
    }

    @Override
    public String toString() {
        return "LayerNormalization(epsilon=" + epsilonSetting + ")";
    }
}
