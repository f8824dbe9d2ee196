package vecgrad.optim;

import java.util.List;
import java.util.Map;

/**
 * Nadam (Dozat, 2016): Adam with Nesterov momentum, with Keras' defaults (learning rate 1e-3, beta1 0.9,
 * beta2 0.999, epsilon 1e-7) and Keras' update (keras/src/optimizers/nadam.py): at step t, with
 * {@code u(s) = beta1 · (1 - 0.5 · 0.96^s)} and {@code U(t) = u(1) · ... · u(t)},
 * <pre>
 * m += (g - m) · (1 - beta1)
 * v += (g² - v) · (1 - beta2)
 * mHat = u(t+1) · m / (1 - U(t) · u(t+1)) + (1 - u(t)) · g / (1 - U(t))
 * vHat = v / (1 - beta2^t)
 * w -= mHat · lr / (sqrt(vHat) + epsilon)
 * </pre>
 * The per-step constants are computed in double and rounded once; U(t) is a running product in double
 * over the steps (Keras keeps it as a float32 variable), recomputed the same way from the step count
 * when a saved state is loaded. PyTorch's NAdam differs: its momentum schedule is
 * {@code beta1 · (1 - 0.5 · 0.96^(0.004 · t))} (its {@code momentum_decay}), not {@code 0.96^t}, and its
 * epsilon is added to {@code sqrt(vHat)} the same way; the formula here is Keras'.
 */
public final class Nadam extends BaseOptimizer {

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final float oneMinusBeta1;
    private final float oneMinusBeta2;
    private final float epsilonFloat;
    /** U(productStep), the running product of u(1) ... u(productStep). */
    private double product = 1;
    private long productStep;
    private float uNext;
    private float oneMinusUProductNext;
    private float oneMinusU;
    private float oneMinusUProduct;
    private float oneMinusBeta2Power;

    private Nadam(Builder b) {
        super("Nadam", "nadam", b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.oneMinusBeta1 = (float) (1 - beta1);
        this.oneMinusBeta2 = (float) (1 - beta2);
        this.epsilonFloat = (float) epsilon;
    }

    /** Nadam with Keras' defaults. */
    public Nadam() {
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

    private double u(long s) {
        return beta1 * (1.0 - 0.5 * Math.pow(0.96, s));
    }

    @Override
    List<String> slotNames() {
        return List.of("momentum", "velocity");
    }

    @Override
    void prepareStep(long t, float lr) {
        if (productStep != t - 1) {        // a loaded state, or a step that failed after this point: recount
            product = 1;
            productStep = 0;
        }
        while (productStep < t) {
            productStep++;
            product *= u(productStep);
        }
        double ut = u(t);
        double utNext = u(t + 1);
        uNext = (float) utNext;
        oneMinusUProductNext = (float) (1 - product * utNext);
        oneMinusU = (float) (1 - ut);
        oneMinusUProduct = (float) (1 - product);
        oneMinusBeta2Power = (float) (1 - Math.pow(beta2, t));
    }

    @Override
    void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        kernels.nadamUpdate(w, g, s[0], s[1], n, lr, oneMinusBeta1, oneMinusBeta2, uNext, oneMinusUProductNext,
                oneMinusU, oneMinusUProduct, oneMinusBeta2Power, epsilonFloat, weightDecay);
    }

    @Override
    void addConfig(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
    }

    @Override
    public String toString() {
        return "Nadam(learningRate=" + rateString() + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon
                + commonString() + ")";
    }

    /** The settings of a {@link Nadam}; each setter checks its argument at once. */
    public static final class Builder extends MomentsBuilder<Builder> {

        private Builder() {
            super("Nadam");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new Nadam with these settings
         */
        public Nadam build() {
            return new Nadam(this);
        }
    }
}
