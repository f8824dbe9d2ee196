package vecgrad.app.report;

/**
 * The metrics after one epoch of one run. A value that was not measured (no validation split) is
 * {@code NaN}: it is written as JSON {@code null} and left out of the curves.
 *
 * @param epoch       1-based epoch number
 * @param loss        mean training loss over the epoch
 * @param accuracy    training accuracy over the epoch, in [0, 1]
 * @param valLoss     validation loss after the epoch
 * @param valAccuracy validation accuracy after the epoch, in [0, 1]
 * @param seconds     wall-clock time of the epoch
 */
public record EpochStats(int epoch, double loss, double accuracy, double valLoss, double valAccuracy, double seconds) {

    /** Checks the epoch number and that the accuracies lie in [0, 1] (or are NaN). */
    public EpochStats {
        Checks.positive("epoch", epoch);
        Checks.fractionOrNaN("accuracy", accuracy);
        Checks.fractionOrNaN("valAccuracy", valAccuracy);
    }
}
