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

    /**
     * A new built-in schedule of class {@code className} with the parameters of {@code config}, in the
     * form {@link #config()} gives, as Keras' {@code LearningRateSchedule.from_config}
     * (keras/src/optimizers/schedules/learning_rate_schedule.py, {@code serialize} / {@code deserialize}).
     * A parameter left out takes Keras' default where Keras has one.
     *
     * @param className one of {@code ExponentialDecay}, {@code InverseTimeDecay}, {@code PiecewiseConstantDecay},
     *                  {@code PolynomialDecay}, {@code CosineDecay}, {@code CosineDecayRestarts}
     * @param config    the parameters by Keras' names, numbers as Long or Double (as {@code vecgrad.io.Json} reads them)
     * @return the schedule
     * @throws IllegalArgumentException if the class is unknown, a key is unknown, missing without a default or
     *     of the wrong type, or a value is out of range (naming the class and the key)
     * @throws NullPointerException if an argument is null
     */
    static LearningRateSchedule fromConfig(String className, Map<String, Object> config) {
        return Schedules.fromConfig(className, config);
    }

    /**
     * Whether {@code schedule} is one of the library's schedules, which {@link #fromConfig} rebuilds.
     *
     * @param schedule a schedule
     * @return true for the six built-in schedules, false for one of your own
     * @throws NullPointerException if {@code schedule} is null
     */
    static boolean isBuiltin(LearningRateSchedule schedule) {
        return Schedules.BUILTIN.contains(java.util.Objects.requireNonNull(schedule, "schedule").getClass());
    }
}
