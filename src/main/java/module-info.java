/**
 * vecgrad: float32 tensors, SIMD matrix kernels on {@code jdk.incubator.vector}, an explicit
 * {@link vecgrad.autodiff.GradientTape}, layers, losses, metrics and optimizers.
 *
 * <p>The library reads {@code java.base} and {@code jdk.incubator.vector} only, and has no dependency.
 * Only the API packages are exported; {@code vecgrad.kernel} is internal. The program {@code mnist.jar}
 * is a module of its own, {@code vecgrad.app}, that uses this API.
 *
 * <p>The Vector API module is required here, but on the class path ({@code java -jar}) it must still be
 * added with {@code --add-modules jdk.incubator.vector}; without it the scalar kernels are used.
 */
module vecgrad {
    requires jdk.incubator.vector;

    exports vecgrad.tensor;
    exports vecgrad.optim;
    exports vecgrad.io;
    exports vecgrad.data;
    exports vecgrad.autodiff;
    exports vecgrad.nn;
}
