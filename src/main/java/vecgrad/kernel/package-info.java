/**
 * Internal (not exported): the numeric kernels every layer and op runs on.
 *
 * <p>The entry point is {@link vecgrad.kernel.KernelProvider#get()}, which returns a
 * {@link vecgrad.kernel.Kernels}: the SIMD implementation on {@code jdk.incubator.vector} when that
 * module is in the boot layer, otherwise {@link vecgrad.kernel.ScalarKernels}, the plain-Java
 * reference that is also the specification every SIMD kernel is tested against. Only the
 * {@code Simd*} classes import the incubator package, and they are loaded by name after the check.
 * {@link vecgrad.kernel.Parallel} sets how many threads the matrix products use; the results are the
 * same bits for any thread count, any vector width, and the scalar kernels.
 */
package vecgrad.kernel;
