package vecgrad.optim;

import java.util.Map;

/**
 * Polynomial decay from an initial to an end rate, as Keras' {@code PolynomialDecay}
 * (keras/src/optimizers/schedules/learning_rate_schedule.py):
 * <pre>
 * cycle:     d = decay_steps · max(1, ceil(step / decay_steps)),  s = step
 * otherwise: d = decay_steps,  s = min(step, decay_steps)
 * lr(step) = (initial_learning_rate - end_learning_rate) · (1 - s / d)^power + end_learning_rate
 * </pre>
 * Computed in double, rounded once to float.
 */
public final class PolynomialDecay implements LearningRateSchedule {

    private final double initialLearningRate;
    private final long decaySteps;
    private final double endLearningRate;
    private final double power;
    private final boolean cycle;

    /**
     * A linear decay to Keras' default end rate 1e-4, without cycles.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps to reach the end rate, {@code > 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 1e-4, 1.0, false);
    }

    /**
     * A polynomial decay.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps to reach the end rate, {@code > 0}
     * @param endLearningRate     the rate after {@code decaySteps}, finite and {@code >= 0}
     * @param power               the exponent, finite and {@code >= 0} (1 for linear)
     * @param cycle               whether to restart past {@code decaySteps}, over ever longer periods
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public PolynomialDecay(double initialLearningRate, long decaySteps, double endLearningRate, double power,
                           boolean cycle) {
        String s = "PolynomialDecay";
        this.initialLearningRate = Schedules.nonNegative(s, "initialLearningRate", initialLearningRate);
        this.decaySteps = Schedules.positiveSteps(s, "decaySteps", decaySteps);
        this.endLearningRate = Schedules.nonNegative(s, "endLearningRate", endLearningRate);
        this.power = Schedules.nonNegative(s, "power", power);
        this.cycle = cycle;
    }

    @Override
    public float value(long step) {
        Schedules.step("PolynomialDecay", step);
        double s = step;
        double d = decaySteps;
        if (cycle) {
            d *= step == 0 ? 1 : Math.ceil((double) step / decaySteps);
        } else {
            s = Math.min(s, d);
        }
        return (float) ((initialLearningRate - endLearningRate) * Math.pow(1 - s / d, power) + endLearningRate);
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                "end_learning_rate", endLearningRate, "power", power, "cycle", cycle, "name", "PolynomialDecay");
    }
}
