package vecgrad.tensor;

import java.util.Objects;

/**
 * A NaN or an infinity where the library refuses one: a training step whose loss, gradients or
 * updated weights are not finite, or weights about to be saved or just loaded. The message names the
 * tensor, how many of its values are not finite and the first of them, and, when training, the epoch
 * and step.
 *
 * <p>It is an {@link ArithmeticException}, so a caller that wants to go on after a diverged run catches
 * it explicitly; nothing in the library swallows it.
 */
public final class NonFiniteException extends ArithmeticException {

    private static final long serialVersionUID = 1L;

    private final String tensor;
    private final long count;
    private final long firstIndex;
    private final float firstValue;
    private final String where;

    private NonFiniteException(String where, String tensor, long count, long firstIndex, float firstValue) {
        super(where + (firstIndex < 0 ? tensor + " is " + firstValue
                : tensor + (count == 1 ? " has 1 non-finite value" : " has " + count + " non-finite values")
                        + " (the first, " + firstValue + ", at index " + firstIndex + ")"));
        this.where = where;
        this.tensor = tensor;
        this.count = count;
        this.firstIndex = firstIndex;
        this.firstValue = firstValue;
    }

    /**
     * Throws if {@code t} holds a NaN or an infinity, naming it {@code name}.
     *
     * @param context a prefix for the message, e.g. {@code "saveWeights: "}; may be empty
     * @throws NonFiniteException naming {@code name}, the count and the first non-finite value
     */
    public static void requireFinite(String context, String name, Tensor t) {
        Objects.requireNonNull(t, "t");
        int first = firstNonFinite(t.data());
        if (first >= 0) {
            throw of(context, name, t.data(), first);
        }
    }

    /** The index of the first NaN or infinity in {@code values}, or -1 when every value is finite. */
    public static int firstNonFinite(float[] values) {
        for (int i = 0; i < values.length; i++) {
            // x - x is 0 for every finite x and NaN for NaN and both infinities: one test per value.
            if (values[i] - values[i] != 0f) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The exception for {@code values}, whose first non-finite value is at {@code first}.
     *
     * @param context a prefix for the message, e.g. {@code "epoch 1, step 4: "}
     */
    public static NonFiniteException of(String context, String name, float[] values, int first) {
        long count = 0;
        for (int i = first; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                count++;
            }
        }
        return new NonFiniteException(context, name, count, first, values[first]);
    }

    /** A non-finite scalar such as a loss: {@code "epoch 1, step 4: the loss is NaN"}. */
    public static NonFiniteException scalar(String context, String name, double value) {
        return new NonFiniteException(context, name, 1, -1, (float) value);
    }

    /** The same failure with {@code context} put before the message, e.g. the epoch and step. */
    public NonFiniteException within(String context) {
        return new NonFiniteException(context + where, tensor, count, firstIndex, firstValue);
    }

    /** The name of the tensor that holds the non-finite values, e.g. {@code dense_1/kernel} or {@code loss}. */
    public String tensor() {
        return tensor;
    }

    /** How many of its values are NaN or infinite. */
    public long count() {
        return count;
    }

    /** The flat index of the first non-finite value, or -1 for a scalar. */
    public long firstIndex() {
        return firstIndex;
    }

    /** The first non-finite value. */
    public float firstValue() {
        return firstValue;
    }
}
