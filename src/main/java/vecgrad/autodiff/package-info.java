/**
 * Reverse-mode automatic differentiation with an explicit tape, in TensorFlow's style.
 *
 * <p>The entry point is {@link vecgrad.autodiff.GradientTape}: open one in a try-with-resources
 * block, run differentiable ops on trainable {@link vecgrad.tensor.Variable}s or watched tensors,
 * and ask the tape for gradients. The ops are grouped by family: {@link vecgrad.autodiff.Ops} holds
 * the core math (matmul, the broadcasting elementwise ops, scale, square, exp, log, the reductions,
 * reshape), {@link vecgrad.autodiff.ActivationOps} the activations (relu, sigmoid, tanh, softmax,
 * logSoftmax and Keras' others), {@link vecgrad.autodiff.LossOps} the losses (the cross-entropies,
 * weighted or not, and Keras' others), {@link vecgrad.autodiff.NormalizationOps} batch and layer
 * normalisation, and {@link vecgrad.autodiff.ConvOps} the image ops on NHWC tensors (conv2d on the
 * matrix kernels, max and average pooling, global average pooling, with TensorFlow's
 * {@link vecgrad.autodiff.Padding}). {@link vecgrad.autodiff.Ops#custom} defines an op with a user-written backward rule (as
 * {@code tf.custom_gradient}). {@link vecgrad.autodiff.ManualGradients} computes the same gradients
 * for a Dense-ReLU-softmax network from the hand-derived equations, without a tape. A tape
 * describes what it recorded as a {@link vecgrad.autodiff.ComputationGraph} (forward and backward),
 * which renders itself as Graphviz DOT.
 */
package vecgrad.autodiff;
