/**
 * Reverse-mode automatic differentiation with an explicit tape, in TensorFlow's style.
 *
 * <p>The entry point is {@link vecgrad.autodiff.GradientTape}: open one in a try-with-resources
 * block, run differentiable ops from {@link vecgrad.autodiff.Ops} on trainable
 * {@link vecgrad.tensor.Variable}s or watched tensors, and ask the tape for gradients.
 * {@link vecgrad.autodiff.Ops#custom} defines an op with a user-written backward rule (as
 * {@code tf.custom_gradient}). {@link vecgrad.autodiff.ManualGradients} computes the same gradients
 * for a Dense-ReLU-softmax network from the hand-derived equations, without a tape. A tape
 * describes what it recorded as a {@link vecgrad.autodiff.ComputationGraph} (forward and backward),
 * which renders itself as Graphviz DOT.
 */
package vecgrad.autodiff;
