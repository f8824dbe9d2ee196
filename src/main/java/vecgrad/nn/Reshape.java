package vecgrad.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/**
 * Gives each sample another shape of the same size, {@code (batch, ...) -> (batch, targetShape...)},
 * as Keras' {@code Reshape(target_shape)}: a view, no copy. One dimension of the target may be
 * {@code -1}, worked out from the input's size. {@code Reshape(28, 28, 1)} turns flat MNIST rows into
 * images.
 */
public final class Reshape extends Layer {

    private final int[] targetShape;

    /**
     * A reshape to {@code targetShape}, without the batch axis.
     *
     * @param targetShape the new shape of one sample: at least one dimension, each {@code >= 1} except
     *     at most one {@code -1}
     * @throws IllegalArgumentException if the target is empty, has a dimension of 0 or below other than
     *     one {@code -1}, or two {@code -1}
     */
    public Reshape(int... targetShape) {
        Objects.requireNonNull(targetShape, "targetShape");
        int unknown = 0;
        for (int d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d < 1) {
                unknown = 2;
            }
        }
        if (targetShape.length == 0 || unknown > 1) {
            throw new IllegalArgumentException("Reshape: expected a target shape of dimensions >= 1, at most one of"
                    + " them -1, got " + Tensor.shapeString(targetShape));
        }
        this.targetShape = targetShape.clone();
    }

    @Override
    protected void build(int[] inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        long size = 1;
        for (int d : inputShape) {
            size *= d;
        }
        long known = 1;
        int unknownAt = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                unknownAt = i;
            } else {
                known *= targetShape[i];
            }
        }
        int[] out = targetShape.clone();
        if (unknownAt >= 0 && size % known == 0) {
            out[unknownAt] = (int) (size / known);
            known = size;
        }
        if (known != size) {
            throw new IllegalArgumentException("Reshape " + name() + ": cannot reshape inputs " + LayerInputs.batchShape(
                    inputShape) + " (" + size + " values per sample) to " + LayerInputs.batchShape(targetShape));
        }
        return out;
    }

    /** {@return the target shape as given (it may hold a -1)} */
    public int[] targetShape() {
        return targetShape.clone();
    }

    /**
     * {@code x} as {@code (batch, targetShape...)}, a view of its data.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "Reshape", x);
        int[] out = outputShape();
        int[] shape = new int[out.length + 1];
        shape[0] = x.dim(0);
        System.arraycopy(out, 0, shape, 1, out.length);
        return Ops.reshape(x, shape);
    }

    /** Keras' key {@code target_shape}. */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("target_shape", Arrays.stream(targetShape).boxed().toList());
        return c;
    }

    static Reshape fromConfig(LayerRegistry.Config c) {
        return new Reshape(c.getIntArray("target_shape"));
    }

    @Override
    public String toString() {
        return "Reshape" + Tensor.shapeString(targetShape);
    }
}
