package vecgrad.nn;

/**
 * What one epoch of {@link Model#fit} measured, as Keras' epoch logs.
 *
 * @param epoch the epoch number, from 1 (as printed: "Epoch 1/5")
 * @param loss the mean training loss over the epoch's samples
 * @param accuracy the training accuracy over the epoch's samples
 * @param valLoss the validation loss at the end of the epoch, or NaN without validation data
 * @param valAccuracy the validation accuracy at the end of the epoch, or NaN without validation data
 * @param seconds the wall-clock time of the epoch, validation included
 */
public record EpochLogs(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {

    /** Whether the epoch was validated. */
    public boolean hasValidation() {
        return !Double.isNaN(valLoss);
    }

    /**
     * The value of a Keras metric name: {@code loss}, {@code accuracy}, {@code val_loss} or
     * {@code val_accuracy}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public double get(String metric) {
        switch (metric) {
            case "loss":
                return loss;
            case "accuracy":
                return accuracy;
            case "val_loss":
                return valLoss;
            case "val_accuracy":
                return valAccuracy;
            default:
                throw new IllegalArgumentException("unknown metric '" + metric
                        + "': expected loss, accuracy, val_loss or val_accuracy");
        }
    }
}
