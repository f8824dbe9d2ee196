package vecgrad.optim;

import java.util.List;
import java.util.Map;

/**
 * Adamax (Kingma and Ba, 2015, section 7): Adam with the infinity norm, with Keras' defaults (learning
 * rate 1e-3, beta1 0.9, beta2 0.999, epsilon 1e-7) and Keras' update (keras/src/optimizers/adamax.py):
 * <pre>
 * m += (g - m) · (1 - beta1)
 * u = max(beta2 · u, |g|)
 * w -= lr · m / ((1 - beta1^t) · (u + epsilon))
 * </pre>
 * PyTorch's Adamax takes {@code max(beta2 · u, |g| + eps)} and divides by u alone; here epsilon is Keras'.
 */
public final class Adamax extends BaseOptimizer {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final float oneMinusBeta1;
    private final float beta2Float;
    private final float epsilonFloat;
    private float oneMinusBeta1Power;

    private Adamax(Builder b) {
        super("Adamax", "adamax", b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.oneMinusBeta1 = (float) (1 - beta1);
        this.beta2Float = (float) beta2;
        this.epsilonFloat = (float) epsilon;
    }

    /** Adamax with Keras' defaults. */
    public Adamax() {
        this(builder());
    }

    /**
     * A builder with Keras' defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    List<String> slotNames() {
        return List.of("momentum", "norm");
    }

    @Override
    void prepareStep(long t, float lr) {
        oneMinusBeta1Power = (float) (1 - Math.pow(beta1, t));
    }

    @Override
    void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        kernels.adamaxUpdate(w, g, s[0], s[1], n, lr, oneMinusBeta1, beta2Float, oneMinusBeta1Power, epsilonFloat,
                weightDecay);
    }

    @Override
    void addConfig(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
    }

    @Override
    public String toString() {
        return "Adamax(learningRate=" + rateString() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
                + commonString() + ")";
    }

    /** The settings of an {@link Adamax}; each setter checks its argument at once. */
    public static final class Builder extends MomentsBuilder<Builder> {

        private Builder() {
            super("Adamax");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new Adamax with these settings
         */
        public Adamax build() {
            return new Adamax(this);
        }
    }
}
