package vecgrad.nn;

/** The metrics {@link Model#fit} and {@link Model#evaluate} can report besides the loss. */
public enum Metric {
    /**
     * The fraction of samples whose arg-max output is the true class: against the arg-max of one-hot
     * targets, or against integer targets with a sparse loss (Keras resolves "accuracy" the same way).
     */
    ACCURACY
}
