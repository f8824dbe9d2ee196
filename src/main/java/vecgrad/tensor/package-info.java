/**
 * Dense float32 tensors on plain {@code float[]} arrays, row-major. The entry point is
 * {@link vecgrad.tensor.Tensor}; {@link vecgrad.tensor.Variable} is the mutable, named tensor used
 * for weights. This package depends on nothing else in the library.
 */
package vecgrad.tensor;
