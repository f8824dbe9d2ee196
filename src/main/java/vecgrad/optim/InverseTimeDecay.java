package vecgrad.optim;

import java.util.Map;

/**
 * Inverse time decay, as Keras' {@code InverseTimeDecay}
 * (keras/src/optimizers/schedules/learning_rate_schedule.py):
 * <pre>
 * p = step / decay_steps            (floor(step / decay_steps) when staircase)
 * lr(step) = initial_learning_rate / (1 + decay_rate · p)
 * </pre>
 * Computed in double, rounded once to float.
 */
public final class InverseTimeDecay implements LearningRateSchedule {

    private final double initialLearningRate;
    private final long decaySteps;
    private final double decayRate;
    private final boolean staircase;

    /**
     * An inverse time decay.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the unit of steps of {@code p}, {@code > 0}
     * @param decayRate           the growth of the denominator per {@code decaySteps}, finite and {@code >= 0}
     * @param staircase           whether {@code p} is rounded down to a whole number
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public InverseTimeDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase) {
        String s = "InverseTimeDecay";
        this.initialLearningRate = Schedules.nonNegative(s, "initialLearningRate", initialLearningRate);
        this.decaySteps = Schedules.positiveSteps(s, "decaySteps", decaySteps);
        this.decayRate = Schedules.nonNegative(s, "decayRate", decayRate);
        this.staircase = staircase;
    }

    @Override
    public float value(long step) {
        Schedules.step("InverseTimeDecay", step);
        double p = (double) step / decaySteps;
        if (staircase) {
            p = Math.floor(p);
        }
        return (float) (initialLearningRate / (1 + decayRate * p));
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                "decay_rate", decayRate, "staircase", staircase, "name", "InverseTimeDecay");
    }
}
