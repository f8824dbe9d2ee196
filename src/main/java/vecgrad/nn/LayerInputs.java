package vecgrad.nn;

import java.util.Objects;
import vecgrad.tensor.Tensor;

/** Input checks shared by the layers that keep their input's shape (Dropout and the normalisations). */
final class LayerInputs {

    private LayerInputs() {
    }

    /**
     * Throws unless {@code layer} is built and {@code x} is a batch {@code (batch, inputShape...)} of its
     * input shape, naming the layer and both shapes.
     */
    static void requireBatch(Layer layer, String kind, Tensor x) {
        int[] inputShape = layer.inputShape();     // throws first if the layer is not built
        String name = layer.name();
        Objects.requireNonNull(x, () -> kind + " " + name + ": expected an input tensor, got null");
        int[] s = x.shape();
        boolean fits = s.length == inputShape.length + 1;
        for (int i = 0; fits && i < inputShape.length; i++) {
            fits = s[i + 1] == inputShape[i];
        }
        if (!fits) {
            throw new IllegalArgumentException(kind + " " + name + ": expected inputs of shape " + batchShape(inputShape)
                    + ", got " + x.shapeString());
        }
    }

    /** {@code (batch, 28, 28, 1)} for {@code {28, 28, 1}}; {@code (batch)} for {@code {}}. */
    static String batchShape(int[] inputShape) {
        String rest = Tensor.shapeString(inputShape);         // "(28, 28, 1)" or "()"
        return inputShape.length == 0 ? "(batch)" : "(batch, " + rest.substring(1);
    }

    /**
     * Throws unless the input has a feature axis (rank 1 or more without the batch axis), for a layer
     * that normalises or scales along the last axis.
     */
    static void requireFeatureAxis(String kind, String name, int[] inputShape) {
        if (inputShape.length == 0) {
            throw new IllegalArgumentException(kind + " " + name + ": expected inputs with a feature axis"
                    + " (batch, ..., features), got " + batchShape(inputShape));
        }
    }
}
