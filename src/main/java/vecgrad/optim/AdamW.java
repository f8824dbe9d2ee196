package vecgrad.optim;

/**
 * AdamW (Loshchilov and Hutter, 2019) as Keras 3 defines it (keras/src/optimizers/adamw.py): {@link Adam}
 * with decoupled weight decay, applied by Keras' base optimizer before each update, with the step's
 * learning rate:
 * <pre>
 * w -= w · weight_decay · lr
 * then Adam's step (see {@link Adam})
 * </pre>
 * Keras' defaults: learning rate 1e-3, weight decay 0.004, beta1 0.9, beta2 0.999, epsilon 1e-7.
 * Note that PyTorch's AdamW decays by {@code lr · weight_decay} the same way, but its epsilon sits
 * after the bias correction of v; here epsilon is Keras'.
 */
public final class AdamW extends AdamFamily {

    private AdamW(Builder b) {
        super("AdamW", "adamw", b);
    }

    /** AdamW with Keras' defaults. */
    public AdamW() {
        this(builder());
    }

    /**
     * A builder with Keras' defaults (weight decay 0.004).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    boolean hasWeightDecay() {
        return true;
    }

    /** The settings of an {@link AdamW}; each setter checks its argument at once. */
    public static final class Builder extends AdamFamily.Builder<Builder> {

        private Builder() {
            super("AdamW");
            weightDecay(0.004);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The optimizer.
         *
         * @return a new AdamW with these settings
         */
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
