package vecgrad.nn;

/**
 * Hooks into {@link Model#fit}, as Keras' callbacks. Every method does nothing by default: override
 * the ones you need. Epochs are numbered from 1 and batches from 1 within their epoch.
 *
 * <p>To stop training, call {@link Model#stopTraining()} on the model given to {@link #onTrainBegin}.
 */
public interface Callback {

    /**
     * Called once before the first epoch, with the model being trained.
     *
     * @param model the model fit is training
     */
    default void onTrainBegin(Model model) {
    }

    /**
     * Called before each epoch.
     *
     * @param epoch the epoch about to run, numbered from 1
     */
    default void onEpochBegin(int epoch) {
    }

    /**
     * Called after each training step with the step's loss and the compiled {@code accuracy} on that
     * batch (NaN if accuracy is not compiled); the running values of every metric are in the epoch's logs.
     *
     * @param epoch    the current epoch, numbered from 1
     * @param batch    the step just taken within the epoch, numbered from 1
     * @param loss     the loss on that batch
     * @param accuracy the compiled {@code accuracy} on that batch, or NaN if it is not compiled
     */
    default void onBatchEnd(int epoch, int batch, double loss, double accuracy) {
    }

    /**
     * Called after each epoch (after validation) with its logs.
     *
     * @param logs the epoch's training and validation values
     */
    default void onEpochEnd(EpochLogs logs) {
    }

    /**
     * Called once after the last epoch, also when training was stopped early.
     *
     * @param history the logs of every epoch run
     */
    default void onTrainEnd(History history) {
    }
}
