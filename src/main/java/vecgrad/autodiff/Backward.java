package vecgrad.autodiff;

import vecgrad.tensor.Tensor;

/** The backward rule of one recorded op: the row of the derivatives table for that op. */
@FunctionalInterface
interface Backward {

    /**
     * The gradients of the op's inputs, one per input in order, given {@code g}, the gradient of the
     * loss with respect to the op's output. Entry {@code i} may be {@code null} when {@code need[i]}
     * is false (the tape does not want that input's gradient), or when the input is not
     * differentiable. The returned tensors may be {@code g} itself; they are never written to
     * afterwards by the rule. {@code need} is the tape's, reused for the next rule: read it during the
     * call only.
     */
    Tensor[] apply(Tensor g, boolean[] need);
}
