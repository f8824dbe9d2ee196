package vecgrad.tensor;

import java.util.Objects;

/**
 * A NaN or an infinity where the library refuses one: a training step whose loss, gradients or
 * updated weights are not finite, or weights about to be saved or just loaded. The message names the
 * tensor, how many of its values are not finite and the first of them, and, when training, the epoch
 * and step, e.g. {@code epoch 1, step 4: Adam step 4: the gradient of dense/kernel has 200704
 * non-finite values (the first, NaN, at index 0); no variable was updated}.
 *
 * <p>It is an {@link ArithmeticException}, so a caller that wants to go on after a diverged run catches
 * it explicitly; nothing in the library swallows it.
 */
public final class NonFiniteException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    /** The message prefix saying where the check ran, e.g. {@code "epoch 1, step 4: "}; may be empty. */
    private final String where;
    /** The name of what holds the non-finite values. */
    private final String tensor;
    /** How many values are NaN or infinite. */
    private final long count;
    /** The flat index of the first non-finite value, or -1 for a scalar. */
    private final long firstIndex;
    /** The first non-finite value. */
    private final float firstValue;
    /** What follows for the caller, e.g. {@code "no variable was updated"}; may be empty. */
    private final String note;

    private NonFiniteException(String where, String tensor, long count, long firstIndex, float firstValue, String note) {
        super(where + (firstIndex < 0 ? tensor + " is " + firstValue
                : tensor + (count == 1 ? " has 1 non-finite value" : " has " + count + " non-finite values")
                        + " (the first, " + firstValue + ", at index " + firstIndex + ")")
                + (note.isEmpty() ? "" : "; " + note));
        this.where = where;
        this.tensor = tensor;
        this.count = count;
        this.firstIndex = firstIndex;
        this.firstValue = firstValue;
        this.note = note;
    }

    /**
     * Throws if {@code t} holds a NaN or an infinity, naming it {@code name}.
     *
     * @param context a prefix for the message, e.g. {@code "saveWeights: "}; may be empty
     * @param name    what {@code t} is, e.g. {@code "dense/kernel"}
     * @param t       the tensor to check
     * @throws NonFiniteException naming {@code name}, the count and the first non-finite value
     */
    public static void requireFinite(String context, String name, Tensor t) {
        Objects.requireNonNull(t, "t");
        float[] values = t.data();
        int n = t.size();
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(values[i])) {
                throw of(context, name, values, n, i, "");
            }
        }
    }

    /**
     * The exception for the first {@code n} of {@code values}, whose first non-finite value is at
     * {@code first}.
     *
     * @param context a prefix for the message, e.g. {@code "Adam step 4: "}
     * @param name    what the values are, e.g. {@code "the gradient of dense/kernel"}
     * @param values  the values; only the first {@code n} count
     * @param n       how many values count
     * @param first   the index of the first non-finite value
     * @param note    what follows for the caller, e.g. {@code "no variable was updated"}; may be empty
     * @return the exception, to throw
     */
    public static NonFiniteException of(String context, String name, float[] values, int n, int first, String note) {
        long count = 0;
        for (int i = first; i < n; i++) {
            if (!Float.isFinite(values[i])) {
                count++;
            }
        }
        return new NonFiniteException(context, name, count, first, values[first], note);
    }

    /**
     * A non-finite scalar such as a loss: {@code "epoch 1, step 4: the loss is NaN"}.
     *
     * @param context a prefix for the message; may be empty
     * @param name    what the value is, e.g. {@code "the loss"}
     * @param value   the value, NaN or infinite
     * @return the exception, to throw
     */
    public static NonFiniteException scalar(String context, String name, double value) {
        return new NonFiniteException(context, name, 1, -1, (float) value, "");
    }

    /**
     * The same failure with {@code context} put before the message, e.g. the epoch and step.
     *
     * @param context the prefix, e.g. {@code "epoch 1, step 4: "}
     * @return a new exception with the longer message
     */
    public NonFiniteException within(String context) {
        NonFiniteException e = new NonFiniteException(context + where, tensor, count, firstIndex, firstValue, note);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * The name of what holds the non-finite values, e.g. {@code dense_1/kernel} or {@code the loss}.
     *
     * @return the name given when the exception was made
     */
    public String tensor() {
        return tensor;
    }

    /**
     * How many of its values are NaN or infinite.
     *
     * @return the count, at least 1
     */
    public long count() {
        return count;
    }

    /**
     * The flat index of the first non-finite value, or -1 for a scalar.
     *
     * @return the row-major index, or -1
     */
    public long firstIndex() {
        return firstIndex;
    }

    /**
     * The first non-finite value.
     *
     * @return NaN or an infinity
     */
    public float firstValue() {
        return firstValue;
    }
}
