package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vecgrad.autodiff.ConvOps;
import vecgrad.autodiff.Padding;

/**
 * The settings shared by MaxPooling2D and AveragePooling2D (Keras' base_pooling.py): the window,
 * the strides (the window by default) and the padding, their checks, output shape and config.
 */
record PoolWindow(String kind, int[] poolSize, int[] strides, Padding padding) {

    PoolWindow {
        poolSize = Conv2D.pair(kind, "poolSize", poolSize);
        strides = Conv2D.pair(kind, "strides", strides == null ? poolSize : strides);
        Objects.requireNonNull(padding, "padding");
    }

    /** The output shape {@code (oh, ow, c)} of an image shape; throws naming the layer and both shapes. */
    int[] outputShape(String name, int[] inputShape) {
        Conv2D.requireImageShape(kind, name, inputShape);
        try {
            return new int[] {
                ConvOps.outputLength(inputShape[0], poolSize[0], strides[0], padding, 1),
                ConvOps.outputLength(inputShape[1], poolSize[1], strides[1], padding, 1),
                inputShape[2]};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(kind + " " + name + ": the pool " + poolSize[0] + "x" + poolSize[1]
                    + " does not fit inputs " + LayerInputs.batchShape(inputShape) + " with \"" + padding.kerasName()
                    + "\" padding: " + e.getMessage(), e);
        }
    }

    /** Keras' keys. */
    Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("pool_size", List.of(poolSize[0], poolSize[1]));
        c.put("strides", List.of(strides[0], strides[1]));
        c.put("padding", padding.kerasName());
        c.put("data_format", "channels_last");
        return c;
    }

    /** The settings of a saved config ({@code strides} null, as Keras may save it, means the window). */
    static PoolWindow fromConfig(String kind, LayerRegistry.Config c) {
        Conv2D.requireChannelsLast(c);
        int[] strides = c.has("strides") && c.get("strides") != null ? c.getIntArray("strides") : null;
        return new PoolWindow(kind, c.getIntArray("pool_size"), strides, Padding.of(c.getString("padding")));
    }

    @Override
    public String toString() {
        return poolSize[0] + "x" + poolSize[1] + ", strides " + strides[0] + "x" + strides[1] + ", " + padding.kerasName();
    }
}
