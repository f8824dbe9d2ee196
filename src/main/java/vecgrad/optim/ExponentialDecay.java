package vecgrad.optim;

import java.util.Map;

/**
 * Exponential decay, as Keras' {@code ExponentialDecay}
 * (keras/src/optimizers/schedules/learning_rate_schedule.py):
 * <pre>
 * p = step / decay_steps            (floor(step / decay_steps) when staircase)
 * lr(step) = initial_learning_rate · decay_rate^p
 * </pre>
 * Computed in double, rounded once to float.
 */
public final class ExponentialDecay implements LearningRateSchedule {

    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * A smooth exponential decay.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps over which the rate is multiplied by {@code decayRate}, {@code > 0}
     * @param decayRate           the factor per {@code decaySteps}, finite and {@code > 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate) {
        this(initialLearningRate, decaySteps, decayRate, false);
    }

    /**
     * An exponential decay, smooth or by whole intervals.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps over which the rate is multiplied by {@code decayRate}, {@code > 0}
     * @param decayRate           the factor per {@code decaySteps}, finite and {@code > 0}
     * @param staircase           whether the rate drops only at whole multiples of {@code decaySteps}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        String s = "ExponentialDecay";
        this.initialLearningRate = Schedules.nonNegative(s, "initialLearningRate", initialLearningRate);
        this.decaySteps = Schedules.positiveSteps(s, "decaySteps", decaySteps);
        this.decayRate = Schedules.positive(s, "decayRate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public float value(long step) {
        Schedules.step("ExponentialDecay", step);
        double p = (double) step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return (float) (initialLearningRate * Math.pow(decayRate, p));
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                "decay_rate", decayRate, "staircase", staircase, "name", "ExponentialDecay");
    }
}
