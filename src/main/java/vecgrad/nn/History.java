package vecgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The per-epoch record of one {@link Model#fit} call, as Keras' {@code History}. */
public final class History {

    private final List<EpochLogs> epochs = new ArrayList<>();

    History() {
    }

    void add(EpochLogs logs) {
        epochs.add(logs);
    }

    /** {@return the epochs run, in order (fewer than asked for if a callback stopped training)} */
    public List<EpochLogs> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /**
     * One logged name across epochs, e.g. {@code history.get("val_accuracy")}: {@code loss}, a compiled
     * metric's name, or either with {@code val_} when fit validated.
     *
     * @param metric a logged name, e.g. {@code loss} or {@code val_accuracy}
     * @return its value at each epoch, in order (a new array)
     * @throws IllegalArgumentException for a name that was not logged (the message lists those that were)
     */
    public double[] get(String metric) {
        double[] v = new double[epochs.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = epochs.get(i).get(metric);
        }
        return v;
    }

    /** {@return the names logged each epoch, in logging order (empty before any epoch)} */
    public java.util.Set<String> names() {
        return epochs.isEmpty() ? java.util.Set.of() : epochs.get(0).values().keySet();
    }

    /** {@return the last epoch's logs} */
    public EpochLogs last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("no epoch was run");
        }
        return epochs.get(epochs.size() - 1);
    }

    @Override
    public String toString() {
        return "History" + epochs;
    }
}
