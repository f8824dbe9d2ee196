package vecgrad.optim;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, with Keras' defaults
 * (learning rate 0.01, momentum 0, no Nesterov) and Keras' update (keras/src/optimizers/sgd.py):
 * <pre>
 * momentum = 0:  w -= g · lr
 * otherwise:     u = u · momentum - g · lr
 *                w += u                            (plain)
 *                w += u · momentum - g · lr        (Nesterov)
 * </pre>
 * Clipping, weight decay and a learning-rate schedule are set through {@link #builder()}.
 */
public final class SGD extends BaseOptimizer {

    private final double momentum;
    private final boolean nesterov;
    private final float momentumFloat;

    private SGD(Builder b) {
        super("SGD", "sgd", b);
        if (b.nesterov && b.momentum == 0) {
            throw new IllegalArgumentException("SGD: nesterov needs a momentum > 0, got momentum=0");
        }
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
        this.momentumFloat = (float) momentum;
    }

    /** SGD with Keras' defaults: learning rate 0.01, no momentum. */
    public SGD() {
        this(builder());
    }

    /**
     * Plain SGD with the given learning rate.
     *
     * @param learningRate the step size, positive and finite
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite
     */
    public SGD(float learningRate) {
        this(builder().learningRate(OptimizerSupport.decimal(learningRate)));
    }

    /**
     * SGD with momentum; each float stands for the decimal it prints as.
     *
     * @param learningRate the step size, positive and finite (Keras' default 0.01)
     * @param momentum     the fraction of the previous velocity kept at each step, in [0, 1); 0 for plain SGD
     * @param nesterov     whether to apply Nesterov's momentum, which looks ahead along the velocity
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite, {@code momentum} in [0, 1),
     *     and {@code nesterov} only with a momentum
     */
    public SGD(float learningRate, float momentum, boolean nesterov) {
        this(builder().learningRate(OptimizerSupport.decimal(learningRate)).momentum(OptimizerSupport.decimal(momentum))
                .nesterov(nesterov));
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
        return momentum != 0 ? List.of("momentum") : List.of();
    }

    @Override
    void prepareStep(long t, float lr) {
    }

    @Override
    void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        kernels.sgdUpdate(w, g, momentum != 0 ? s[0] : null, n, lr, momentumFloat, nesterov, weightDecay);
    }

    @Override
    void addConfig(Map<String, Object> config) {
        config.put("momentum", momentum);
        config.put("nesterov", nesterov);
    }

    /**
     * The momentum (0 for plain SGD).
     *
     * @return the momentum, in [0, 1), as a float
     */
    public float momentum() {
        return momentumFloat;
    }

    /**
     * Whether the momentum is Nesterov's.
     *
     * @return {@code true} if the momentum is Nesterov's, {@code false} for plain momentum or none
     */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public String toString() {
        return "SGD(learningRate=" + rateString() + ", momentum=" + momentum + ", nesterov=" + nesterov
                + commonString() + ")";
    }

    /** The settings of an {@link SGD}; each setter checks its argument at once. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private double momentum;
        private boolean nesterov;

        private Builder() {
            super("SGD", 0.01);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the momentum.
         *
         * @param momentum the fraction of the velocity kept at each step, in [0, 1) (Keras' default 0)
         * @return this builder
         * @throws IllegalArgumentException unless {@code momentum} is in [0, 1)
         */
        public Builder momentum(double momentum) {
            this.momentum = OptimizerSupport.checkFraction("SGD: momentum", momentum);
            return this;
        }

        /**
         * Turns Nesterov momentum on or off; on needs a momentum {@code > 0} by {@link #build()}.
         *
         * @param nesterov whether the momentum is Nesterov's (Keras' default false)
         * @return this builder
         */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new SGD with these settings
         * @throws IllegalArgumentException if Nesterov momentum is on with momentum 0
         */
        public SGD build() {
            return new SGD(this);
        }
    }
}
