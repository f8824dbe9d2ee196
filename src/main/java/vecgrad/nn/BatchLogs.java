package vecgrad.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a callback receives after a training or evaluation batch: the running value of each name
 * ({@code loss}, then each compiled metric) over the epoch's (or evaluation's) batches so far, as Keras
 * 3's batch-end logs hold the metrics' results so far; plus the epoch, the batch number and the
 * batch's own sample count.
 */
public final class BatchLogs {

    private final int epoch;
    private final int batch;
    private final int size;
    private final Map<String, Double> values;

    /**
     * Logs of the names and values given, in that order.
     *
     * @param epoch  the epoch, from 1 (0 for an evaluation outside fit)
     * @param batch  the batch number within the epoch or evaluation, from 1
     * @param size   the number of samples in this batch
     * @param values the running value of each name; must hold {@code loss}
     * @throws IllegalArgumentException if {@code loss} is missing, batch or size is below 1, or epoch below 0
     */
    public BatchLogs(int epoch, int batch, int size, Map<String, Double> values) {
        Objects.requireNonNull(values, "values");
        if (!values.containsKey("loss") || epoch < 0 || batch < 1 || size < 1) {
            throw new IllegalArgumentException("BatchLogs: expected epoch >= 0, batch >= 1, size >= 1 and a 'loss',"
                    + " got epoch=" + epoch + ", batch=" + batch + ", size=" + size + ", names " + values.keySet());
        }
        this.epoch = epoch;
        this.batch = batch;
        this.size = size;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** {@return the epoch, from 1; 0 for an evaluation outside fit} */
    public int epoch() {
        return epoch;
    }

    /** {@return the batch number within the epoch or evaluation, from 1} */
    public int batch() {
        return batch;
    }

    /** {@return the number of samples in this batch (the last one of an epoch may be smaller)} */
    public int size() {
        return size;
    }

    /** {@return the running mean loss per sample over the batches so far} */
    public double loss() {
        return values.get("loss");
    }

    /** {@return every name and its running value, in logging order} */
    public Map<String, Double> values() {
        return values;
    }

    /**
     * The running value of a logged name.
     *
     * @param name {@code loss} or a compiled metric's name
     * @return its value over the batches so far
     * @throws IllegalArgumentException for a name that was not logged (the message lists those that were)
     */
    public double get(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "': batch " + batch + " logged "
                    + String.join(", ", values.keySet()));
        }
        return v;
    }

    @Override
    public String toString() {
        return "BatchLogs[epoch=" + epoch + ", batch=" + batch + ", size=" + size + ", " + values + "]";
    }
}
