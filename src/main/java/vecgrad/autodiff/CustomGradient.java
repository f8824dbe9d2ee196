package vecgrad.autodiff;

import vecgrad.tensor.Tensor;

/**
 * The backward rule of a user-defined op made with {@link Ops#custom}, as the {@code grad_fn} of
 * TensorFlow's {@code tf.custom_gradient}.
 *
 * <p>{@code upstream}, and the tensors the rule creates with the ops, may be recycled buffers of the
 * tape's backward pass (see {@link GradientTape#gradient}): return them or use them within the call,
 * and copy ({@code upstream.copy()}) whatever must outlive it.
 */
@FunctionalInterface
public interface CustomGradient {

    /**
     * The gradients of the op's inputs, one per input in order ({@code null} for an input that is not
     * differentiable), each of its input's shape.
     *
     * @param upstream the gradient of the loss with respect to the op's output (the output's shape)
     * @param output   the op's output, as the forward function returned it
     * @param inputs   the op's inputs, in the order they were passed to {@link Ops#custom}
     * @return one gradient per input, as many as {@code inputs}; the tape checks their number and shapes
     */
    Tensor[] gradients(Tensor upstream, Tensor output, Tensor[] inputs);
}
