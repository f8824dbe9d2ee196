package vecgrad.nn;

import java.util.Map;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The optional trainable scale {@code γ} and offset {@code β} that {@link BatchNormalization} and
 * {@link LayerNormalization} apply after standardising over the last axis: {@code y = γ ⊙ x̂ + β},
 * each {@code (features)}, {@code γ} only with scale and {@code β} only with center.
 */
final class ScaleShift {

    private final boolean center;
    private final boolean scale;
    private Variable gamma;
    private Variable beta;

    ScaleShift(boolean center, boolean scale) {
        this.center = center;
        this.scale = scale;
    }

    /** From the layer's build: adds {@code NAME/gamma} (ones) then {@code NAME/beta} (zeros), as set. */
    void build(Layer layer, int[] features) {
        if (scale) {
            gamma = layer.addWeight("gamma", features, Initializer.ones(), true);
        }
        if (center) {
            beta = layer.addWeight("beta", features, Initializer.zeros(), true);
        }
    }

    /** {@code normalized (batch, ..., features) -> γ ⊙ normalized + β}, same shape. */
    Tensor apply(Tensor normalized) {
        Tensor y = scale ? Ops.mul(normalized, gamma) : normalized;
        return center ? Ops.add(y, beta) : y;
    }

    /** Null without scale. */
    Variable gamma() {
        return gamma;
    }

    /** Null without center. */
    Variable beta() {
        return beta;
    }

    /** Keras' keys center, scale, beta_initializer and gamma_initializer, in that order. */
    void putConfig(Map<String, Object> config) {
        config.put("center", center);
        config.put("scale", scale);
        config.put("beta_initializer", "zeros");
        config.put("gamma_initializer", "ones");
    }
}
