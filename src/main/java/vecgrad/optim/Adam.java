package vecgrad.optim;

/**
 * Adam (Kingma and Ba, 2015) with Keras' defaults: learning rate 1e-3, beta1 0.9, beta2 0.999,
 * epsilon 1e-7, no AMSGrad.
 *
 * <p>The update is Keras' (keras/src/optimizers/adam.py, {@code update_step}): at step t,
 * <pre>
 * alpha = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
 * m += (g - m) · (1 - beta1)
 * v += (g² - v) · (1 - beta2)
 * amsgrad: vHat = max(vHat, v), and vHat replaces v below
 * w -= alpha · m / (sqrt(v) + epsilon)
 * </pre>
 * Keras puts epsilon outside the bias correction of v (the paper's "epsilon hat"), so its epsilon is
 * not the paper's, nor PyTorch's. {@code alpha}, {@code 1 - beta1} and {@code 1 - beta2} are computed
 * in double from the double hyper-parameters and rounded once to float, as Keras' Python-double
 * constants are (so {@code 1 - 0.999} is the float 0.001). The float constructors take each float
 * as the decimal it prints as ({@code 0.999f} stands for 0.999), so they compute the same constants.
 *
 * <p>Every option, clipping and a learning-rate schedule included, is set through {@link #builder()}:
 * {@code Adam.builder().learningRate(1e-3).clipnorm(1.0).amsgrad(true).build()}.
 */
public final class Adam extends AdamFamily {

    private Adam(Builder b) {
        super("Adam", "adam", b);
    }

    /** Adam with Keras' defaults. */
    public Adam() {
        this(builder());
    }

    /**
     * Adam with the given learning rate and Keras' other defaults.
     *
     * @param learningRate the step size, positive and finite
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite
     */
    public Adam(float learningRate) {
        this(builder().learningRate(OptimizerSupport.decimal(learningRate)));
    }

    /**
     * Adam with every hyper-parameter given; each float stands for the decimal it prints as.
     *
     * @param learningRate the step size, positive and finite (Keras' default 1e-3)
     * @param beta1        the decay rate of the first moment, the running mean of the gradients (default 0.9)
     * @param beta2        the decay rate of the second moment, the running mean of the squared gradients
     *                     (default 0.999)
     * @param epsilon      the constant added to {@code sqrt(v)} in the denominator, for stability (default 1e-7)
     * @throws IllegalArgumentException unless {@code learningRate > 0}, betas in [0, 1), {@code epsilon > 0}, all finite
     */
    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        this(builder().learningRate(OptimizerSupport.decimal(learningRate)).beta1(OptimizerSupport.decimal(beta1))
                .beta2(OptimizerSupport.decimal(beta2)).epsilon(OptimizerSupport.decimal(epsilon)));
    }

    /**
     * A builder with Keras' defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings of an {@link Adam}; each setter checks its argument at once. */
    public static final class Builder extends AdamFamily.Builder<Builder> {

        private Builder() {
            super("Adam");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new Adam with these settings
         */
        public Adam build() {
            return new Adam(this);
        }
    }
}
