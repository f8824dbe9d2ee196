package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/**
 * Flattens each sample to a vector, {@code (batch, d1, d2, ...) -> (batch, d1·d2·...)}, in row-major
 * order, as Keras' {@code Flatten} on channels-last data: a view, no copy ({@link Ops#reshape}).
 *
 * <p>Unlike Keras, which passes a {@code (batch, features)} input through unchanged, this layer
 * refuses one at build time: a Flatten there does nothing and usually means the model is not what
 * was meant (the issue this layer came with asks for that check).
 */
public final class Flatten extends Layer {

    /** The layer; it has no settings. */
    public Flatten() {
    }

    @Override
    protected void build(int[] inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        if (inputShape.length < 2) {
            throw new IllegalArgumentException("Flatten " + name() + ": expected inputs of rank 3 or more (batch, d1, d2,"
                    + " ...), got " + LayerInputs.batchShape(inputShape) + ", which is flat already");
        }
        long size = 1;
        for (int d : inputShape) {
            size *= d;
        }
        return new int[] {Math.toIntExact(size)};
    }

    /**
     * {@code x} as {@code (batch, features)}, a view of its data.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "Flatten", x);
        return Ops.reshape(x, x.dim(0), outputShape()[0]);
    }

    /** Keras' key {@code data_format}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data_format", "channels_last");
        return c;
    }

    static Flatten fromConfig(LayerRegistry.Config c) {
        Conv2D.requireChannelsLast(c);
        return new Flatten();
    }

    @Override
    public String toString() {
        return "Flatten()";
    }
}
