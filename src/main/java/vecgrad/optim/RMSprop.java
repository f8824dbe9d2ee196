package vecgrad.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RMSprop (Hinton's lecture 6e) with Keras' defaults (learning rate 1e-3, rho 0.9, momentum 0,
 * epsilon 1e-7, not centered) and Keras' update (keras/src/optimizers/rmsprop.py):
 * <pre>
 * v = rho · v + (1 - rho) · g²
 * centered:  a = rho · a + (1 - rho) · g;  d = v - a² + epsilon
 * otherwise: d = v + epsilon
 * step = lr · g / sqrt(d)
 * momentum:  p = momentum · p + step;  w -= p
 * otherwise: w -= step
 * </pre>
 * Keras adds epsilon inside the square root; PyTorch's RMSprop adds it outside ({@code sqrt(v) + eps}),
 * so the two differ where v is tiny. Clipping, weight decay and a schedule are set through {@link #builder()}.
 */
public final class RMSprop extends BaseOptimizer {

    private final double rho;
    private final double momentum;
    private final double epsilon;
    private final boolean centered;
    private final float rhoFloat;
    private final float oneMinusRho;
    private final float momentumFloat;
    private final float epsilonFloat;
    private final List<String> slotNames;

    private RMSprop(Builder b) {
        super("RMSprop", "rmsprop", b);
        this.rho = b.rho;
        this.momentum = b.momentum;
        this.epsilon = b.epsilon;
        this.centered = b.centered;
        this.rhoFloat = (float) rho;
        this.oneMinusRho = (float) (1 - rho);
        this.momentumFloat = (float) momentum;
        this.epsilonFloat = (float) epsilon;
        List<String> names = new ArrayList<>(List.of("velocity"));
        if (momentum > 0) {
            names.add("momentum");
        }
        if (centered) {
            names.add("average_gradient");
        }
        this.slotNames = List.copyOf(names);
    }

    /** RMSprop with Keras' defaults. */
    public RMSprop() {
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
        return slotNames;
    }

    @Override
    void prepareStep(long t, float lr) {
    }

    @Override
    void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        float[] p = momentum > 0 ? s[1] : null;
        float[] a = centered ? s[slotNames.size() - 1] : null;
        kernels.rmspropUpdate(w, g, s[0], a, p, n, lr, rhoFloat, oneMinusRho, momentumFloat, epsilonFloat, weightDecay);
    }

    @Override
    void addConfig(Map<String, Object> config) {
        config.put("rho", rho);
        config.put("momentum", momentum);
        config.put("epsilon", epsilon);
        config.put("centered", centered);
    }

    @Override
    public String toString() {
        return "RMSprop(learningRate=" + rateString() + ", rho=" + rho + ", momentum=" + momentum + ", epsilon="
                + epsilon + ", centered=" + centered + commonString() + ")";
    }

    /** The settings of an {@link RMSprop}; each setter checks its argument at once. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private double rho = 0.9;
        private double momentum;
        private double epsilon = 1e-7;
        private boolean centered;

        private Builder() {
            super("RMSprop", 1e-3);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets rho, the decay of the running mean of the squared gradients.
         *
         * @param rho in [0, 1) (Keras' default 0.9)
         * @return this builder
         * @throws IllegalArgumentException unless {@code rho} is in [0, 1)
         */
        public Builder rho(double rho) {
            this.rho = OptimizerSupport.checkFraction("RMSprop: rho", rho);
            return this;
        }

        /**
         * Sets the momentum.
         *
         * @param momentum in [0, 1) (Keras' default 0: no momentum slot)
         * @return this builder
         * @throws IllegalArgumentException unless {@code momentum} is in [0, 1)
         */
        public Builder momentum(double momentum) {
            this.momentum = OptimizerSupport.checkFraction("RMSprop: momentum", momentum);
            return this;
        }

        /**
         * Sets epsilon, added to the mean square inside the square root.
         *
         * @param epsilon finite and {@code > 0} (Keras' default 1e-7)
         * @return this builder
         * @throws IllegalArgumentException unless {@code epsilon} is finite and {@code > 0}
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = OptimizerSupport.checkRate("RMSprop: epsilon", epsilon);
            return this;
        }

        /**
         * Centers the second moment by the running mean of the gradients (the variance instead of the
         * mean square).
         *
         * @param centered whether to center (Keras' default false)
         * @return this builder
         */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new RMSprop with these settings
         */
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
