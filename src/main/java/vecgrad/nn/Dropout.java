package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/**
 * Inverted dropout, as Keras' {@code Dropout(rate)}: in training each input value is kept with
 * probability {@code 1 − rate} and scaled by {@code 1/(1 − rate)}, otherwise set to 0, so the
 * expected output equals the input; in inference the layer passes its input through unchanged.
 *
 * <p>The masks come from a generator held by the layer, seeded with the given seed or, by default,
 * with the layer's seed from the model ({@link Layer#layerSeed()}); they are drawn one value per
 * input element in row-major order, once per training call. Two models built with the same seeds
 * and called in training mode on the same batches in the same order therefore draw the same masks:
 * {@code fit} and a custom tape loop calling {@code model.call(x, true)} train identically.
 */
public final class Dropout extends Layer {

    /*
     * Keras 3 (keras/src/layers/regularization/dropout.py) calls backend.random.dropout only when
     * training and rate > 0; the TensorFlow backend (keras/src/backend/tensorflow/random.py) uses
     * tf.nn.experimental.stateless_dropout, which keeps an element when its uniform draw is >= rate
     * and multiplies it by 1/(1 − rate). Here the mask holds 0 or 1/(1 − rate) and the output is
     * mul(x, mask): one recorded op whose gradient g ⊙ mask the tape already knows.
     */

    private final double rate;
    private final Long seed;
    private MaskStream rng;

    /**
     * A dropout layer seeded from its model.
     *
     * @param rate the fraction of inputs dropped in training, in {@code [0, 1)}
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)} or NaN
     */
    public Dropout(double rate) {
        this.rate = checkRate(rate);
        this.seed = null;
    }

    /**
     * A dropout layer with its own seed for the masks.
     *
     * @param rate the fraction of inputs dropped in training, in {@code [0, 1)}
     * @param seed the masks' seed
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)} or NaN
     */
    public Dropout(double rate, long seed) {
        this.rate = checkRate(rate);
        this.seed = seed;
    }

    private static double checkRate(double rate) {
        if (!(rate >= 0 && (float) rate < 1f)) {     // in float too: 1 − rate is used as a float
            throw new IllegalArgumentException("Dropout: expected a rate in [0, 1), got " + rate);
        }
        return rate;
    }

    /** {@return the fraction of inputs dropped in training} */
    public double rate() {
        return rate;
    }

    @Override
    protected void build(int[] inputShape) {
        rng = new MaskStream(seed != null ? seed : layerSeed());
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * In training, {@code x ⊙ mask} with a fresh mask of 0 and {@code 1/(1 − rate)}; otherwise
     * {@code x} itself.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "Dropout", x);
        if (!training || rate == 0) {
            return x;
        }
        float drop = (float) rate;
        float kept = 1f / (1f - drop);
        // The mask comes from the step's buffer pool, as the ops' outputs do: no allocation per step.
        Tensor mask = BufferPool.tensor(x.shape());
        float[] m = mask.data();
        rng.fill(m, drop, kept);
        return Ops.mul(x, mask);
    }

    /**
     * The uniform draws of {@code new java.util.Random(seed).nextFloat()}, in the same order, without
     * Random's atomic update per draw: the same 48-bit linear
     * congruential generator, from java.util.Random's specification.
     */
    static final class MaskStream {
        private static final long MULTIPLIER = 0x5DEECE66DL;
        private static final long ADDEND = 0xBL;
        private static final long MASK = (1L << 48) - 1;

        private long state;

        MaskStream(long seed) {
            state = (seed ^ MULTIPLIER) & MASK;     // Random(long)'s scramble
        }

        /**
         * The least k in [0, 2^24] with {@code k · 2^-24 >= drop}. Random.nextFloat() is the state's top
         * 24 bits k times 2^-24, and drop · 2^24 is exact in double, so a draw is {@code >= drop} exactly
         * when its k is at least this.
         */
        static int threshold(float drop) {
            return (int) Math.ceil(drop * (double) (1 << 24));
        }

        /** Sets {@code m[i]} to {@code kept} where the i-th draw is {@code >= drop}, else to 0. */
        synchronized void fill(float[] m, float drop, float kept) {
            int threshold = threshold(drop);
            int keptBits = Float.floatToRawIntBits(kept);
            long s = state;
            for (int i = 0; i < m.length; i++) {
                s = (s * MULTIPLIER + ADDEND) & MASK;
                // k >= threshold without a branch (kept or dropped is a coin flip, so a branch would be
                // mispredicted half the time: 5x slower): all the bits of kept, or none (+0).
                m[i] = Float.intBitsToFloat(keptBits & ~(((int) (s >>> 24) - threshold) >> 31));
            }
            state = s;
        }
    }

    /** Keras' keys: {@code rate}, and {@code seed} when one was given. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("rate", rate);
        if (seed != null) {
            c.put("seed", seed);
        }
        return c;
    }

    @Override
    public String toString() {
        return "Dropout(" + rate + ")";
    }
}
