package vecgrad.optim;

import java.util.List;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Updates variables in place from their gradients, one step per call, as Keras'
 * {@code optimizer.apply_gradients(zip(grads, vars))}.
 *
 * <p>Implementations keep per-variable state (slots such as Adam's moments), created the first time a
 * variable is seen and reused afterwards, so a step allocates nothing once every variable has been seen.
 */
public interface Optimizer {

    /**
     * Applies one step: {@code gradients.get(i)} updates {@code variables.get(i)}. A {@code null} gradient
     * skips its variable (as Keras does for a variable the loss does not depend on); the step counter
     * advances once per call.
     *
     * @throws IllegalArgumentException if the lists differ in length, a gradient's shape differs from its
     *     variable's, a variable is not trainable or appears twice, or every gradient is null
     */
    void applyGradients(List<? extends Tensor> gradients, List<Variable> variables);

    /** The number of steps applied so far (Keras' {@code optimizer.iterations}). */
    long iterations();

    /** The learning rate. */
    float learningRate();
}
