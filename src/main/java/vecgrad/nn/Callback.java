package vecgrad.nn;

/**
 * Hooks into {@link Model#fit}, as Keras' callbacks. Every method does nothing by default: override
 * the ones you need. Epochs are numbered from 1 and batches from 1 within their epoch.
 *
 * <p>To stop training, call {@link Model#stopTraining()} on the model given to {@link #onTrainBegin}.
 */
public interface Callback {

    /** Called once before the first epoch, with the model being trained. */
    default void onTrainBegin(Model model) {
    }

    /** Called before each epoch. */
    default void onEpochBegin(int epoch) {
    }

    /**
     * Called after each training step with the step's loss and the compiled {@code accuracy} on that
     * batch (NaN if accuracy is not compiled); the running values of every metric are in the epoch's logs.
     */
    default void onBatchEnd(int epoch, int batch, double loss, double accuracy) {
    }

    /** Called after each epoch (after validation) with its logs. */
    default void onEpochEnd(EpochLogs logs) {
    }

    /** Called once after the last epoch, also when training was stopped early. */
    default void onTrainEnd(History history) {
    }
}
