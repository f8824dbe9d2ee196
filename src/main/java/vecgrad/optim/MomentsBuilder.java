package vecgrad.optim;

/**
 * The settings of the optimizers with two moments (Adam, AdamW, Nadam, Adamax): beta1, beta2 and
 * epsilon, with Keras' defaults 0.9, 0.999 and 1e-7 and learning rate 1e-3.
 *
 * @param <B> the concrete builder
 */
abstract class MomentsBuilder<B extends MomentsBuilder<B>> extends OptimizerBuilder<B> {

    double beta1 = 0.9;
    double beta2 = 0.999;
    double epsilon = 1e-7;

    MomentsBuilder(String optimizer) {
        super(optimizer, 1e-3);
    }

    /**
     * Sets beta1, the decay rate of the first moment (the running mean of the gradients).
     *
     * @param beta1 in [0, 1) (Keras' default 0.9)
     * @return this builder
     * @throws IllegalArgumentException unless {@code beta1} is in [0, 1)
     */
    public B beta1(double beta1) {
        this.beta1 = OptimizerSupport.checkFraction(optimizer + ": beta1", beta1);
        return self();
    }

    /**
     * Sets beta2, the decay rate of the second moment (Adamax: of the infinity norm).
     *
     * @param beta2 in [0, 1) (Keras' default 0.999)
     * @return this builder
     * @throws IllegalArgumentException unless {@code beta2} is in [0, 1)
     */
    public B beta2(double beta2) {
        this.beta2 = OptimizerSupport.checkFraction(optimizer + ": beta2", beta2);
        return self();
    }

    /**
     * Sets epsilon, the constant in the denominator that keeps it away from 0.
     *
     * @param epsilon finite and {@code > 0} (Keras' default 1e-7)
     * @return this builder
     * @throws IllegalArgumentException unless {@code epsilon} is finite and {@code > 0}
     */
    public B epsilon(double epsilon) {
        this.epsilon = OptimizerSupport.checkRate(optimizer + ": epsilon", epsilon);
        return self();
    }
}
