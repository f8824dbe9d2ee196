package vecgrad.optim;

import java.util.Map;

/**
 * Cosine decay with warm restarts (SGDR, Loshchilov and Hutter, 2017), as Keras'
 * {@code CosineDecayRestarts} (keras/src/optimizers/schedules/learning_rate_schedule.py): period i
 * lasts {@code first_decay_steps · t_mul^i} steps and starts at {@code initial_learning_rate · m_mul^i};
 * <pre>
 * f = step / first_decay_steps
 * t_mul = 1:  i = floor(f),  f = f - i
 * otherwise:  i = floor(log(1 - f · (1 - t_mul)) / log(t_mul)),  f = (f - (1 - t_mul^i) / (1 - t_mul)) / t_mul^i
 * lr(step) = initial_learning_rate · ((1 - alpha) · 0.5 · m_mul^i · (1 + cos(π · f)) + alpha)
 * </pre>
 * Computed in double, rounded once to float.
 */
public final class CosineDecayRestarts implements LearningRateSchedule {

    private final double initialLearningRate;
    private final long firstDecaySteps;
    private final double tMul;
    private final double mMul;
    private final double alpha;

    /**
     * Restarts with Keras' defaults: periods doubling ({@code t_mul} 2), the same peak ({@code m_mul} 1),
     * decay to 0 ({@code alpha} 0).
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param firstDecaySteps     the length of the first period, {@code > 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps) {
        this(initialLearningRate, firstDecaySteps, 2.0, 1.0, 0.0);
    }

    /**
     * Restarts with every parameter given.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param firstDecaySteps     the length of the first period, {@code > 0}
     * @param tMul                the factor from one period's length to the next, finite and {@code > 0}
     * @param mMul                the factor from one period's peak rate to the next, finite and {@code >= 0}
     * @param alpha               the end rate as a fraction of the initial rate, finite and {@code >= 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public CosineDecayRestarts(double initialLearningRate, long firstDecaySteps, double tMul, double mMul,
                               double alpha) {
        String s = "CosineDecayRestarts";
        this.initialLearningRate = Schedules.nonNegative(s, "initialLearningRate", initialLearningRate);
        this.firstDecaySteps = Schedules.positiveSteps(s, "firstDecaySteps", firstDecaySteps);
        this.tMul = Schedules.positive(s, "tMul", tMul);
        this.mMul = Schedules.nonNegative(s, "mMul", mMul);
        this.alpha = Schedules.nonNegative(s, "alpha", alpha);
    }

    @Override
    public float value(long step) {
        Schedules.step("CosineDecayRestarts", step);
        double f = (double) step / firstDecaySteps;
        double i;
        if (tMul == 1.0) {
            i = Math.floor(f);
            f -= i;
        } else {
            i = Math.floor(Math.log(1.0 - f * (1.0 - tMul)) / Math.log(tMul));
            double sumR = (1.0 - Math.pow(tMul, i)) / (1.0 - tMul);
            f = (f - sumR) / Math.pow(tMul, i);
        }
        double cosine = 0.5 * Math.pow(mMul, i) * (1.0 + Math.cos(Math.PI * f));
        return (float) (initialLearningRate * ((1 - alpha) * cosine + alpha));
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("initial_learning_rate", initialLearningRate, "first_decay_steps", firstDecaySteps,
                "t_mul", tMul, "m_mul", mMul, "alpha", alpha, "name", "SGDRDecay");
    }
}
