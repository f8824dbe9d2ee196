package vecgrad.optim;

import java.util.List;
import java.util.Map;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Updates variables in place from their gradients, one step per call, as Keras'
 * {@code optimizer.apply_gradients(zip(grads, vars))}.
 *
 * <p>Implementations keep per-variable state (slots such as Adam's moments), created the first time a
 * variable is seen and reused afterwards, so a step allocates nothing once every variable has been seen.
 * Each step, in Keras' order: the gradients are checked, clipped (into scratch arrays of the optimizer:
 * the caller's tensors are never modified), then each variable gets the optional decoupled weight
 * decay and its update in one fused pass; the learning rate is the constant one or the schedule's
 * value at {@link #iterations()} before the step.
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
     * The learning rate the next step uses: the constant rate, or the schedule's value at
     * {@link #iterations()} (Keras' {@code optimizer.learning_rate}).
     *
     * @return the learning rate of the next step, finite
     */
    float learningRate();

    /**
     * Sets the learning rate of the following steps (Keras' {@code optimizer.learning_rate = x}), as
     * ReduceLROnPlateau does; the optimizer's other state (slots, iterations) is kept.
     *
     * @param learningRate the new rate, finite and {@code > 0}
     * @throws IllegalArgumentException unless {@code learningRate} is finite and {@code > 0}
     * @throws IllegalStateException if the optimizer was built with a {@link LearningRateSchedule} (Keras
     *     raises a TypeError there)
     */
    void setLearningRate(float learningRate);

    /**
     * The schedule the learning rate comes from, if any: then {@link #setLearningRate} is refused, and
     * callbacks that set the rate (ReduceLROnPlateau, LearningRateScheduler) refuse to start.
     *
     * @return the schedule, or {@code null} for a constant, settable learning rate (the default)
     */
    default LearningRateSchedule learningRateSchedule() {
        return null;
    }

    /**
     * The optimizer's state, as Keras' {@code optimizer.variables}: the step count under
     * {@code "<name>/iteration"} (a scalar), then every slot of every variable seen so far, in the order
     * the variables were first seen, under Keras-style names such as {@code "adam/momentum_dense_kernel"}.
     * The tensors are copies.
     *
     * @return an unmodifiable, ordered map from name to value
     * @throws IllegalStateException if the step count exceeds 2^24, the largest a float holds exactly
     * @throws UnsupportedOperationException if this optimizer does not expose its state
     */
    default Map<String, Tensor> variables() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose its state");
    }

    /**
     * Replaces this optimizer's state by one read from {@link #variables()} of an optimizer of the same kind
     * and settings, for the given variables (Keras' {@code build(variables)} then {@code load_own_variables}),
     * so that training continues exactly where that optimizer stopped.
     *
     * @param variables the variables the state belongs to, matched to it by name
     * @param state     the state, with exactly the names {@link #variables()} gives for these variables
     * @throws IllegalArgumentException if a name is missing or extra, a shape differs from its variable's,
     *     two variables share a name, or the iteration is not a whole number {@code >= 0}
     * @throws IllegalStateException if a step of this optimizer is running
     * @throws UnsupportedOperationException if this optimizer does not expose its state
     */
    default void loadVariables(List<Variable> variables, Map<String, Tensor> state) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not expose its state");
    }

    /**
     * The settings by Keras' names ({@code name}, {@code learning_rate}, {@code weight_decay},
     * {@code clipnorm}, {@code global_clipnorm}, {@code clipvalue}, then the optimizer's own such as
     * {@code beta_1}); a schedule appears as a map with {@code class_name} and {@code config}.
     *
     * @return an unmodifiable, ordered map; unset options map to {@code null}, as Keras' None
     * @throws UnsupportedOperationException if this optimizer has no config
     */
    default Map<String, Object> config() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no config");
    }
}
