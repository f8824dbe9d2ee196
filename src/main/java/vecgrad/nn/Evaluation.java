package vecgrad.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Model#evaluate}, as Keras' {@code evaluate(return_dict=True)}: the mean loss and
 * every compiled metric by name, over the samples evaluated.
 *
 * <pre>{@code
 * Evaluation e = model.evaluate(xTest, yTest);
 * double loss = e.loss();
 * double auc = e.get("auc");
 * }</pre>
 */
public final class Evaluation {

    private final Map<String, Double> values;
    private final int samples;

    Evaluation(Map<String, Double> values, int samples) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.samples = samples;
    }

    /** {@return the loss averaged over the samples} */
    public double loss() {
        return values.get("loss");
    }

    /** {@return the compiled {@code accuracy} ({@link Metric#ACCURACY}), or NaN if it was not compiled} */
    public double accuracy() {
        return values.getOrDefault("accuracy", Double.NaN);
    }

    /** {@return the number of samples evaluated} */
    public int samples() {
        return samples;
    }

    /** {@return {@code loss} then each compiled metric, in compile order} */
    public Map<String, Double> values() {
        return values;
    }

    /**
     * The value of {@code loss} or of a compiled metric.
     *
     * @param name {@code loss} or a compiled metric's name, e.g. {@code accuracy}
     * @return the value over the evaluated samples
     * @throws IllegalArgumentException for another name (the message lists the names there are)
     */
    public double get(String name) {
        Objects.requireNonNull(name, "name");
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "': evaluate measured "
                    + String.join(", ", values.keySet()));
        }
        return v;
    }

    /** Equal when the same names have the same values (bit for bit) over the same number of samples. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Evaluation e && e.samples == samples && e.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, samples);
    }

    @Override
    public String toString() {
        return "Evaluation" + values + " on " + samples + " samples";
    }
}
