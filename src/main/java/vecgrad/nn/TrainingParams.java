package vecgrad.nn;

/**
 * What a callback learns of the call it serves, as Keras 3's {@code callback.params}
 * ({@code {"epochs", "steps", "verbose"}}, keras/src/callbacks/callback_list.py). Keras 3 does not tell
 * callbacks the batch size; here {@link #batchSize()} does, and {@link BatchLogs#size()} gives each
 * batch's actual sample count (the last batch of an epoch may be smaller).
 *
 * @param epochs    the epochs asked for (1 for evaluate and predict)
 * @param steps     the steps per epoch (or batches of the evaluation or prediction), or -1 when
 *                  unknown (Keras' {@code None}: a batch source of unknown length)
 * @param verbose   the verbosity: 0 silent, 1 progress bar, 2 one line per epoch
 * @param batchSize the batch size asked for, or -1 when the batches come as a source made them
 */
public record TrainingParams(int epochs, int steps, int verbose, int batchSize) {

    /**
     * Checks the values.
     *
     * @param epochs    the epochs asked for, at least 1
     * @param steps     the steps per epoch, at least 1, or -1 when unknown
     * @param verbose   0, 1 or 2
     * @param batchSize the batch size, at least 1, or -1 when the source decides
     * @throws IllegalArgumentException if epochs is below 1, steps or batchSize below -1 or 0, or
     *     verbose is not 0, 1 or 2
     */
    public TrainingParams {
        if (epochs < 1 || steps < -1 || steps == 0 || verbose < 0 || verbose > 2 || batchSize < -1 || batchSize == 0) {
            throw new IllegalArgumentException("TrainingParams: expected epochs >= 1, steps >= 1 or -1, verbose 0..2,"
                    + " batchSize >= 1 or -1, got epochs=" + epochs + ", steps=" + steps + ", verbose=" + verbose
                    + ", batchSize=" + batchSize);
        }
    }
}
