package vecgrad.nn;

import vecgrad.autodiff.ConvOps;
import vecgrad.autodiff.Padding;
import vecgrad.tensor.Tensor;

/**
 * Average pooling over windows of images {@code (batch, height, width, channels)}, each channel apart, as
 * Keras' {@code AveragePooling2D}: defaults pool 2×2, strides equal to the pool, {@code "valid"}.
 * With {@code "same"} each window's mean is over its cells inside the image, as TensorFlow's
 * {@code avg_pool2d} ({@link ConvOps#avgPool2d}).
 */
public final class AveragePooling2D extends Pooling2D {

    /** A 2×2 pool with stride 2, "valid": Keras' defaults. */
    public AveragePooling2D() {
        this(2);
    }

    /**
     * A square pool with strides equal to the pool, "valid".
     *
     * @param poolSize the window's height and width, at least 1
     * @throws IllegalArgumentException if {@code poolSize < 1}
     */
    public AveragePooling2D(int poolSize) {
        this(new int[] {poolSize, poolSize}, null, Padding.VALID);
    }

    /**
     * A pool with every setting given.
     *
     * @param poolSize the window {@code {height, width}}, each at least 1
     * @param strides the strides {@code {down, across}}, each at least 1, or null for the pool size
     * @param padding {@link Padding#VALID} or {@link Padding#SAME} (the mean is over the cells inside the image, as TensorFlow)
     * @throws IllegalArgumentException if a size or stride is not two values of at least 1
     */
    public AveragePooling2D(int[] poolSize, int[] strides, Padding padding) {
        super(poolSize, strides, padding);
    }

    /** The mean of each window (its cells inside the image). */
    @Override
    Tensor pool(Tensor x) {
        return ConvOps.avgPool2d(x, window.poolSize(), window.strides(), window.padding());
    }

    /** Keras' base name, {@code average_pooling2d}. */
    @Override
    public String baseName() {
        return "average_pooling2d";
    }

    static AveragePooling2D fromConfig(LayerRegistry.Config c) {
        PoolWindow w = PoolWindow.fromConfig("AveragePooling2D", c);
        return new AveragePooling2D(w.poolSize(), w.strides(), w.padding());
    }
}
