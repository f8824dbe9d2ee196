package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import vecgrad.autodiff.ConvOps;
import vecgrad.tensor.Tensor;

/**
 * The mean of each channel over the whole image, {@code (batch, height, width, channels) -> (batch,
 * channels)}, as Keras' {@code GlobalAveragePooling2D} with its default {@code keepdims=False}
 * ({@link ConvOps#globalAveragePool2d}).
 */
public final class GlobalAveragePooling2D extends Layer {

    /** The layer; it has no settings. */
    public GlobalAveragePooling2D() {
    }

    @Override
    protected void build(int[] inputShape) {
        Conv2D.requireImageShape("GlobalAveragePooling2D", name(), inputShape);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        Conv2D.requireImageShape("GlobalAveragePooling2D", name(), inputShape);
        return new int[] {inputShape[2]};
    }

    /**
     * The channel means.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "GlobalAveragePooling2D", x);
        return ConvOps.globalAveragePool2d(x);
    }

    /** Keras' base name, {@code global_average_pooling2d}. */
    @Override
    public String baseName() {
        return "global_average_pooling2d";
    }

    /** Keras' keys: {@code data_format} and {@code keepdims} (false). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data_format", "channels_last");
        c.put("keepdims", false);
        return c;
    }

    static GlobalAveragePooling2D fromConfig(LayerRegistry.Config c) {
        Conv2D.requireChannelsLast(c);
        if (c.has("keepdims") && c.getBoolean("keepdims")) {
            throw new IllegalArgumentException("expected 'keepdims' false, the only form this library has, got true");
        }
        return new GlobalAveragePooling2D();
    }

    @Override
    public String toString() {
        return "GlobalAveragePooling2D()";
    }
}
