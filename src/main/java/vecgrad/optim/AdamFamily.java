package vecgrad.optim;

import java.util.List;
import java.util.Map;

/**
 * The Adam update shared by {@link Adam} and {@link AdamW} (keras/src/optimizers/adam.py; AdamW is Adam
 * with the base optimizer's weight decay, keras/src/optimizers/adamw.py).
 */
abstract class AdamFamily extends BaseOptimizer {

    /*
     * Keras' hyper-parameters are Python doubles: 1 - beta_2 is computed in double (0.001 for 0.999) and
     * becomes float32 when it meets a float32 tensor. The step constants here follow that: computed in
     * double from the double hyper-parameters, rounded once.
     */

    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean amsgrad;
    private final float oneMinusBeta1;
    private final float oneMinusBeta2;
    private final float epsilonFloat;
    private float alpha;

    AdamFamily(String name, String key, Builder<?> b) {
        super(name, key, b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.amsgrad = b.amsgrad;
        this.oneMinusBeta1 = (float) (1 - beta1);
        this.oneMinusBeta2 = (float) (1 - beta2);
        this.epsilonFloat = (float) epsilon;
    }

    @Override
    final List<String> slotNames() {
        return amsgrad ? List.of("momentum", "velocity", "velocity_hat") : List.of("momentum", "velocity");
    }

    @Override
    final void prepareStep(long t, float lr) {
        // Keras: alpha = lr · sqrt(1 - beta_2^t) / (1 - beta_1^t), here in double, rounded once.
        alpha = (float) (lr * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
    }

    @Override
    final void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        kernels.adamUpdate(w, g, s[0], s[1], amsgrad ? s[2] : null, n, alpha, oneMinusBeta1, oneMinusBeta2,
                epsilonFloat, lr, weightDecay);
    }

    @Override
    final void addConfig(Map<String, Object> config) {
        config.put("beta_1", beta1);
        config.put("beta_2", beta2);
        config.put("epsilon", epsilon);
        config.put("amsgrad", amsgrad);
    }

    /**
     * beta1, the decay of the first moment.
     *
     * @return the first moment's decay rate, in [0, 1), as a float
     */
    public final float beta1() {
        return (float) beta1;
    }

    /**
     * beta2, the decay of the second moment.
     *
     * @return the second moment's decay rate, in [0, 1), as a float
     */
    public final float beta2() {
        return (float) beta2;
    }

    /**
     * epsilon, added to sqrt(v).
     *
     * @return epsilon, positive, as a float
     */
    public final float epsilon() {
        return epsilonFloat;
    }

    /**
     * Whether the AMSGrad variant is on: the step divides by the running maximum of v.
     *
     * @return {@code true} for AMSGrad
     */
    public final boolean amsgrad() {
        return amsgrad;
    }

    @Override
    public final String toString() {
        return getClass().getSimpleName() + "(learningRate=" + rateString() + ", beta1=" + beta1 + ", beta2=" + beta2
                + ", epsilon=" + epsilon + (amsgrad ? ", amsgrad=true" : "") + commonString() + ")";
    }

    /**
     * The Adam settings of a builder: {@link MomentsBuilder}'s and AMSGrad.
     *
     * @param <B> the concrete builder
     */
    abstract static class Builder<B extends Builder<B>> extends MomentsBuilder<B> {

        boolean amsgrad;

        Builder(String optimizer) {
            super(optimizer);
        }

        /**
         * Turns on AMSGrad (Reddi et al., 2018): the step divides by the running maximum of v.
         *
         * @param amsgrad whether to use AMSGrad (Keras' default false)
         * @return this builder
         */
        public B amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return self();
        }
    }
}
