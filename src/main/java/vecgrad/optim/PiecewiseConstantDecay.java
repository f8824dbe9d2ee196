package vecgrad.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A constant rate per interval of steps, as Keras' {@code PiecewiseConstantDecay}
 * (keras/src/optimizers/schedules/learning_rate_schedule.py):
 * <pre>
 * lr(step) = values[0]        for step &lt;= boundaries[0]
 *            values[i + 1]    for boundaries[i] &lt; step &lt;= boundaries[i + 1]
 *            values[n]        for step &gt; boundaries[n - 1]
 * </pre>
 */
public final class PiecewiseConstantDecay implements LearningRateSchedule {

    private final long[] boundaries;
    private final double[] values;

    /**
     * A piecewise constant schedule.
     *
     * @param boundaries the steps where the rate changes, strictly increasing, at least one
     * @param values     the rates, one more than the boundaries, each finite and {@code >= 0}
     * @throws IllegalArgumentException if the boundaries are empty or not strictly increasing, the counts
     *     do not match, or a value is out of range
     * @throws NullPointerException if an array is null
     */
    public PiecewiseConstantDecay(long[] boundaries, double[] values) {
        String s = "PiecewiseConstantDecay";
        if (boundaries.length == 0) {
            throw new IllegalArgumentException(s + ": boundaries must hold at least one step, got none");
        }
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException(s + ": values must hold one more element than boundaries, got "
                    + values.length + " values for " + boundaries.length + " boundaries");
        }
        for (int i = 1; i < boundaries.length; i++) {
            if (boundaries[i] <= boundaries[i - 1]) {
                throw new IllegalArgumentException(s + ": boundaries must be strictly increasing, got "
                        + Arrays.toString(boundaries));
            }
        }
        for (int i = 0; i < values.length; i++) {
            Schedules.nonNegative(s, "values[" + i + "]", values[i]);
        }
        this.boundaries = boundaries.clone();
        this.values = values.clone();
    }

    @Override
    public float value(long step) {
        Schedules.step("PiecewiseConstantDecay", step);
        int i = 0;
        while (i < boundaries.length && step > boundaries[i]) {
            i++;
        }
        return (float) values[i];
    }

    @Override
    public Map<String, Object> config() {
        return Schedules.config("boundaries", Arrays.stream(boundaries).boxed().toList(),
                "values", List.copyOf(Arrays.stream(values).boxed().toList()), "name", "PiecewiseConstant");
    }
}
