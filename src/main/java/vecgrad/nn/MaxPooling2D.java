package vecgrad.nn;

import vecgrad.autodiff.ConvOps;
import vecgrad.autodiff.Padding;
import vecgrad.tensor.Tensor;

/**
 * Max pooling over windows of images {@code (batch, height, width, channels)}, each channel apart, as
 * Keras' {@code MaxPooling2D}: defaults pool 2×2, strides equal to the pool, {@code "valid"}. The
 * gradient goes to the first maximum of each window in row-major order ({@link ConvOps#maxPool2d}).
 */
public final class MaxPooling2D extends Pooling2D {

    /** A 2×2 pool with stride 2, "valid": Keras' defaults. */
    public MaxPooling2D() {
        this(2);
    }

    /**
     * A square pool with strides equal to the pool, "valid".
     *
     * @param poolSize the window's height and width, at least 1
     * @throws IllegalArgumentException if {@code poolSize < 1}
     */
    public MaxPooling2D(int poolSize) {
        this(new int[] {poolSize, poolSize}, null, Padding.VALID);
    }

    /**
     * A pool with every setting given.
     *
     * @param poolSize the window {@code {height, width}}, each at least 1
     * @param strides the strides {@code {down, across}}, each at least 1, or null for the pool size
     * @param padding {@link Padding#VALID} or {@link Padding#SAME} (padded cells are never the maximum)
     * @throws IllegalArgumentException if a size or stride is not two values of at least 1
     */
    public MaxPooling2D(int[] poolSize, int[] strides, Padding padding) {
        super(poolSize, strides, padding);
    }

    /** The maximum of each window. */
    @Override
    Tensor pool(Tensor x) {
        return ConvOps.maxPool2d(x, window.poolSize(), window.strides(), window.padding());
    }

    /** Keras' base name, {@code max_pooling2d}. */
    @Override
    public String baseName() {
        return "max_pooling2d";
    }

    static MaxPooling2D fromConfig(LayerRegistry.Config c) {
        PoolWindow w = PoolWindow.fromConfig("MaxPooling2D", c);
        return new MaxPooling2D(w.poolSize(), w.strides(), w.padding());
    }
}
