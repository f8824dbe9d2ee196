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
 *
 * <p>Unlike Keras, a step never produces non-finite weights silently: a gradient holding a NaN or an
 * infinity is refused before any variable changes, and weights that the update itself overflowed are
 * reported at once (both with {@link vecgrad.tensor.NonFiniteException}, naming the variable and the step).
 *
 * <p>An optimizer is not thread-safe, and it says so: a step started while another step of the same
 * optimizer runs on another thread fails with {@link IllegalStateException} instead of losing updates.
 */
public interface Optimizer {

    /**
     * Applies one step: {@code gradients.get(i)} updates {@code variables.get(i)}. A {@code null} gradient
     * skips its variable (as Keras does for a variable the loss does not depend on); the step counter
     * advances once per call.
     *
     * @param gradients one gradient per variable, each of its variable's shape, or {@code null} to skip it
     * @param variables the trainable variables to update in place, each at most once
     * @throws IllegalArgumentException if the lists differ in length, a gradient's shape differs from its
     *     variable's, a variable is not trainable or appears twice, or every gradient is null
     * @throws vecgrad.tensor.NonFiniteException if a gradient holds a NaN or an infinity (then no variable
     *     changed), or the update made a variable non-finite (the step counter has then advanced)
     * @throws IllegalStateException if another thread is inside this optimizer's {@code applyGradients}
     */
    void applyGradients(List<? extends Tensor> gradients, List<Variable> variables);

    /**
     * The number of steps applied so far (Keras' {@code optimizer.iterations}).
     *
     * @return the number of completed {@code applyGradients} calls, 0 before the first
     */
    long iterations();

    /**
     * The learning rate.
     *
     * @return the learning rate, positive and finite
     */
    float learningRate();

    /**
     * Sets the learning rate used from the next {@link #applyGradients} call on, as assigning Keras'
     * {@code optimizer.learning_rate} does (what ReduceLROnPlateau and LearningRateScheduler use).
     *
     * @param learningRate the new rate, positive and finite
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite
     * @throws IllegalStateException if the optimizer's rate comes from a schedule
     */
    void setLearningRate(float learningRate);
}
