package vecgrad.optim;

import java.util.Map;

/**
 * Cosine decay (Loshchilov and Hutter, SGDR) with an optional linear warm-up, as Keras 3's
 * {@code CosineDecay} (keras/src/optimizers/schedules/learning_rate_schedule.py):
 * <pre>
 * decay(s, from) = from · ((1 - alpha) · 0.5 · (1 + cos(π · s / decay_steps)) + alpha)
 * no warm-up:  lr(step) = decay(min(step, decay_steps), initial_learning_rate)
 * warm-up:     s = min(step, warmup_steps + decay_steps)
 *              lr = (warmup_target - initial_learning_rate) · s / warmup_steps + initial_learning_rate   if s &lt; warmup_steps
 *              lr = decay(s - warmup_steps, warmup_target)                                              otherwise
 * </pre>
 * Computed in double, rounded once to float.
 */
public final class CosineDecay implements LearningRateSchedule {

    private final double initialLearningRate;
    private final long decaySteps;
    private final double alpha;
    private final Double warmupTarget;
    private final long warmupSteps;

    /**
     * A cosine decay to 0, without warm-up.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps of the decay, {@code > 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public CosineDecay(double initialLearningRate, long decaySteps) {
        this(initialLearningRate, decaySteps, 0.0);
    }

    /**
     * A cosine decay to {@code alpha · initialLearningRate}, without warm-up.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0}
     * @param decaySteps          the steps of the decay, {@code > 0}
     * @param alpha               the end rate as a fraction of the start, finite and {@code >= 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha) {
        this(initialLearningRate, decaySteps, alpha, null, 0);
    }

    /**
     * A linear warm-up from {@code initialLearningRate} to {@code warmupTarget} over {@code warmupSteps},
     * then a cosine decay from {@code warmupTarget} over {@code decaySteps}.
     *
     * @param initialLearningRate the rate at step 0, finite and {@code >= 0} (often 0 with a warm-up)
     * @param decaySteps          the steps of the decay, after the warm-up, {@code > 0}
     * @param alpha               the end rate as a fraction of the decay's start, finite and {@code >= 0}
     * @param warmupTarget        the rate the warm-up reaches, finite and {@code >= 0}, or {@code null} for no warm-up
     * @param warmupSteps         the steps of the warm-up, {@code >= 0}
     * @throws IllegalArgumentException if a parameter is out of range, naming it
     */
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha, Double warmupTarget,
                       long warmupSteps) {
        String s = "CosineDecay";
        this.initialLearningRate = Schedules.nonNegative(s, "initialLearningRate", initialLearningRate);
        this.decaySteps = Schedules.positiveSteps(s, "decaySteps", decaySteps);
        this.alpha = Schedules.nonNegative(s, "alpha", alpha);
        if (warmupTarget != null) {
            Schedules.nonNegative(s, "warmupTarget", warmupTarget);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException(s + ": warmupSteps must be >= 0, got " + warmupSteps);
        }
        this.warmupTarget = warmupTarget;
        this.warmupSteps = warmupSteps;
    }

    private double decay(double s, double from) {
        return from * ((1 - alpha) * (0.5 * (1 + Math.cos(Math.PI * (s / decaySteps)))) + alpha);
    }

    @Override
    public float value(long step) {
        Schedules.step("CosineDecay", step);
        if (warmupTarget == null) {
            return (float) decay(Math.min(step, decaySteps), initialLearningRate);
        }
        double s = Math.min(step, (double) decaySteps + warmupSteps);
        if (s < warmupSteps) {
            return (float) ((warmupTarget - initialLearningRate) * (s / warmupSteps) + initialLearningRate);
        }
        return (float) decay(s - warmupSteps, warmupTarget);
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("initial_learning_rate", initialLearningRate, "decay_steps", decaySteps,
                "alpha", alpha, "name", "CosineDecay", "warmup_target", warmupTarget, "warmup_steps", warmupSteps);
    }
}
