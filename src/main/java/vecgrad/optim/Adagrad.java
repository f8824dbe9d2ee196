package vecgrad.optim;

import java.util.List;
import java.util.Map;

/**
 * Adagrad (Duchi et al., 2011) with Keras' defaults (learning rate 1e-3, initial accumulator value 0.1,
 * epsilon 1e-7) and Keras' update (keras/src/optimizers/adagrad.py):
 * <pre>
 * acc += g²                       (acc starts at initial_accumulator_value)
 * w -= lr · g / sqrt(acc + epsilon)
 * </pre>
 * Keras adds epsilon inside the square root; PyTorch's Adagrad adds it outside and starts its sum at 0
 * by default. Clipping, weight decay and a schedule are set through {@link #builder()}.
 */
public final class Adagrad extends BaseOptimizer {

    private final double initialAccumulatorValue;
    private final double epsilon;
    private final float initialFloat;
    private final float epsilonFloat;

    private Adagrad(Builder b) {
        super("Adagrad", "adagrad", b);
        this.initialAccumulatorValue = b.initialAccumulatorValue;
        this.epsilon = b.epsilon;
        this.initialFloat = (float) initialAccumulatorValue;
        this.epsilonFloat = (float) epsilon;
    }

    /** Adagrad with Keras' defaults. */
    public Adagrad() {
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
        return List.of("accumulator");
    }

    @Override
    float slotInitialValue(int slot) {
        return initialFloat;
    }

    @Override
    void prepareStep(long t, float lr) {
    }

    @Override
    void update(float[] w, float[] g, float[][] s, int n, float lr, float weightDecay) {
        kernels.adagradUpdate(w, g, s[0], n, lr, epsilonFloat, weightDecay);
    }

    @Override
    void addConfig(Map<String, Object> config) {
        config.put("initial_accumulator_value", initialAccumulatorValue);
        config.put("epsilon", epsilon);
    }

    @Override
    public String toString() {
        return "Adagrad(learningRate=" + rateString() + ", initialAccumulatorValue=" + initialAccumulatorValue
                + ", epsilon=" + epsilon + commonString() + ")";
    }

    /** The settings of an {@link Adagrad}; each setter checks its argument at once. */
    public static final class Builder extends OptimizerBuilder<Builder> {

        private double initialAccumulatorValue = 0.1;
        private double epsilon = 1e-7;

        private Builder() {
            super("Adagrad", 1e-3);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the value every accumulator starts at.
         *
         * @param initialAccumulatorValue finite and {@code >= 0} (Keras' default 0.1)
         * @return this builder
         * @throws IllegalArgumentException unless the value is finite and {@code >= 0}
         */
        public Builder initialAccumulatorValue(double initialAccumulatorValue) {
            if (!(initialAccumulatorValue >= 0) || !Double.isFinite(initialAccumulatorValue)) {
                throw new IllegalArgumentException("Adagrad: initialAccumulatorValue must be a finite number >= 0, got "
                        + initialAccumulatorValue);
            }
            this.initialAccumulatorValue = initialAccumulatorValue;
            return this;
        }

        /**
         * Sets epsilon, added to the accumulator inside the square root.
         *
         * @param epsilon finite and {@code > 0} (Keras' default 1e-7)
         * @return this builder
         * @throws IllegalArgumentException unless {@code epsilon} is finite and {@code > 0}
         */
        public Builder epsilon(double epsilon) {
            this.epsilon = OptimizerSupport.checkRate("Adagrad: epsilon", epsilon);
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new Adagrad with these settings
         */
        public Adagrad build() {
            return new Adagrad(this);
        }
    }
}
