package vecgrad.nn;

import java.util.Map;
import vecgrad.autodiff.Padding;
import vecgrad.tensor.Tensor;

/**
 * What max and average pooling share, as Keras' {@code BasePooling}: the window, the output shape, the
 * config; each subclass says how a window is reduced.
 */
abstract class Pooling2D extends Layer {

    final PoolWindow window;

    Pooling2D(int[] poolSize, int[] strides, Padding padding) {
        this.window = new PoolWindow(getClass().getSimpleName(), poolSize, strides, padding);
    }

    /** The op that reduces each window of {@code x}, with this layer's window. */
    abstract Tensor pool(Tensor x);

    @Override
    protected final void build(int[] inputShape) {
        window.outputShape(name(), inputShape);
    }

    @Override
    public final int[] computeOutputShape(int[] inputShape) {
        return window.outputShape(name(), inputShape);
    }

    /** {@return the window {@code {height, width}}} */
    public final int[] poolSize() {
        return window.poolSize().clone();
    }

    /** {@return the strides {@code {down, across}}} */
    public final int[] strides() {
        return window.strides().clone();
    }

    /** {@return the padding} */
    public final Padding padding() {
        return window.padding();
    }

    /**
     * Each window reduced, channel by channel.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public final Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, className(), x);
        return pool(x);
    }

    /** Keras' keys: {@code pool_size}, {@code strides}, {@code padding}, {@code data_format}. */
    @Override
    public final Map<String, Object> config() {
        return window.config();
    }

    @Override
    public final String toString() {
        return className() + "(" + window + ")";
    }
}
