package vecgrad.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one epoch of {@link Model#fit} measured, as Keras' epoch logs: a value per name ({@code loss},
 * each compiled metric by its name, and with validation {@code val_loss} and {@code val_} + each metric),
 * plus the epoch number and its wall-clock time; {@code learning_rate} when {@link ReduceLROnPlateau} or
 * {@link LearningRateScheduler} ran (they add it, as in Keras 3).
 *
 * <pre>{@code
 * double auc = history.last().get("val_auc");
 * }</pre>
 */
public final class EpochLogs {

    private final int epoch;
    private final Map<String, Double> values;
    private final Map<String, Double> view;
    private final double seconds;

    /**
     * Logs of the names and values given, in that order.
     *
     * @param epoch the epoch number, from 1 (as printed: "Epoch 1/5")
     * @param values the value of each logged name; must hold {@code loss}
     * @param seconds the wall-clock time of the epoch, validation included
     * @throws IllegalArgumentException if {@code loss} is missing or a name is empty
     */
    public EpochLogs(int epoch, Map<String, Double> values, double seconds) {
        Objects.requireNonNull(values, "values");
        if (!values.containsKey("loss")) {
            throw new IllegalArgumentException("EpochLogs: expected a 'loss' among the values, got " + values.keySet());
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("EpochLogs: expected non-empty names, got '" + name + "'");
            }
            copy.put(name, Objects.requireNonNull(value, name));
        });
        this.epoch = epoch;
        this.values = copy;
        this.view = Collections.unmodifiableMap(copy);
        this.seconds = seconds;
    }

    /**
     * Logs of a model compiled with accuracy only, as a custom loop makes them: {@code loss},
     * {@code accuracy} unless NaN, and {@code val_loss}, {@code val_accuracy} unless {@code valLoss} is NaN
     * (no validation).
     *
     * @param epoch       the epoch number, from 1
     * @param loss        the mean training loss over the epoch's samples
     * @param accuracy    the training accuracy, or NaN if not compiled
     * @param valLoss     the validation loss, or NaN without validation
     * @param valAccuracy the validation accuracy, or NaN without validation or accuracy
     * @param seconds     the wall-clock time of the epoch in seconds
     */
    public EpochLogs(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {
        this(epoch, legacy(loss, accuracy, valLoss, valAccuracy), seconds);
    }

    private static Map<String, Double> legacy(double loss, double accuracy, double valLoss, double valAccuracy) {
        Map<String, Double> v = new LinkedHashMap<>();
        v.put("loss", loss);
        if (!Double.isNaN(accuracy)) {
            v.put("accuracy", accuracy);
        }
        if (!Double.isNaN(valLoss)) {
            v.put("val_loss", valLoss);
            if (!Double.isNaN(valAccuracy)) {
                v.put("val_accuracy", valAccuracy);
            }
        }
        return v;
    }

    /** {@return the epoch number, from 1} */
    public int epoch() {
        return epoch;
    }

    /** {@return the mean training loss over the epoch's samples} */
    public double loss() {
        return values.get("loss");
    }

    /** {@return the training {@code accuracy}, or NaN if it was not compiled} */
    public double accuracy() {
        return values.getOrDefault("accuracy", Double.NaN);
    }

    /** {@return the validation loss at the end of the epoch, or NaN without validation data} */
    public double valLoss() {
        return values.getOrDefault("val_loss", Double.NaN);
    }

    /** {@return the validation {@code accuracy}, or NaN without validation data or accuracy} */
    public double valAccuracy() {
        return values.getOrDefault("val_accuracy", Double.NaN);
    }

    /** {@return the wall-clock time of the epoch in seconds, validation included} */
    public double seconds() {
        return seconds;
    }

    /** {@return whether the epoch was validated} */
    public boolean hasValidation() {
        return values.containsKey("val_loss");
    }

    /** {@return every logged name and its value, in logging order (loss, metrics, then their {@code val_} twins)} */
    public Map<String, Double> values() {
        return view;
    }

    /**
     * Adds a name during {@code onEpochEnd}, as Keras 3's ReduceLROnPlateau and LearningRateScheduler
     * add {@code learning_rate} to the logs dict they are given: the callbacks after them, the
     * progress bar and the history see it.
     */
    void put(String name, double value) {
        values.put(name, value);
    }

    /**
     * Whether {@code name} was logged.
     *
     * @param name a Keras name, e.g. {@code loss} or {@code val_accuracy}
     * @return true if the epoch logged a value under {@code name}
     */
    public boolean has(String name) {
        return values.containsKey(name);
    }

    /**
     * The value logged under a Keras name: {@code loss}, a metric's name, or either with {@code val_}.
     *
     * @param name a logged name, e.g. {@code loss} or {@code val_accuracy}
     * @return the value logged under {@code name}
     * @throws IllegalArgumentException for a name that was not logged (the message lists those that were)
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "': epoch " + epoch + " logged "
                    + String.join(", ", values.keySet()));
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EpochLogs e && e.epoch == epoch && e.values.equals(values)
                && Double.compare(e.seconds, seconds) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(epoch, values, seconds);
    }

    @Override
    public String toString() {
        return "EpochLogs[epoch=" + epoch + ", " + values + ", seconds=" + seconds + "]";
    }
}
