/**
 * vecgrad: float32 tensors, SIMD matrix kernels on {@code jdk.incubator.vector}, an explicit
 * {@link vecgrad.autodiff.GradientTape}, layers, optimizers, and the MNIST experiment built on them.
 *
 * <p>Only the API packages are exported. {@code vecgrad.kernel} and {@code vecgrad.app} are internal.
 * The Vector API module is required here, but on the class path ({@code java -jar}) it must still be
 * added with {@code --add-modules jdk.incubator.vector}; without it the scalar kernels are used.
 */
module vecgrad {
    requires jdk.incubator.vector;
    requires java.desktop; // javax.imageio for `mnist.jar predict IMAGE`

    exports vecgrad.tensor;
    exports vecgrad.optim;
    exports vecgrad.io;
    exports vecgrad.data;
    exports vecgrad.autodiff;
    exports vecgrad.nn;
}
