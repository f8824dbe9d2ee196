package vecgrad.optim;

import java.util.Map;

/**
 * A learning rate that changes with the optimizer's step count, as Keras'
 * {@code keras.optimizers.schedules.LearningRateSchedule}: an optimizer built with a schedule uses
 * {@code value(iterations())} for its next step, {@code iterations()} counted before that step.
 *
 * <p>The built-in schedules are {@link ExponentialDecay}, {@link InverseTimeDecay},
 * {@link PiecewiseConstantDecay}, {@link PolynomialDecay}, {@link CosineDecay} (with linear warm-up)
 * and {@link CosineDecayRestarts}. Each computes its value in double from its double parameters and
 * rounds once to float; Keras computes in float32, so a value may differ from Keras' in the last bit.
 */
public interface LearningRateSchedule {

    /**
     * The learning rate at a step.
     *
     * @param step the number of steps applied so far (Keras' {@code optimizer.iterations}), {@code >= 0}
     * @return the learning rate for the step that follows
     * @throws IllegalArgumentException if {@code step < 0}
     */
    float value(long step);

    /**
     * The parameters, by Keras' names ({@code initial_learning_rate}, {@code decay_steps}, ...), so the
     * schedule can be saved.
     *
     * @return an unmodifiable map from parameter name to value (numbers, booleans, lists of numbers)
     */
    Map<String, Object> config();
}
