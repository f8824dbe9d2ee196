package vecgrad.nn;

import vecgrad.tensor.Tensor;

/**
 * Hooks into {@link Model#fit}, {@link Sequential#evaluate} and {@link Sequential#predict}, as Keras 3's
 * {@code keras.callbacks.Callback}. Every method does nothing by default: override the ones you need.
 *
 * <p>Order within fit (keras/src/backend/tensorflow/trainer.py, fit): {@link #setParams},
 * {@link #setModel}, {@link #onTrainBegin}; per epoch {@link #onEpochBegin}, per step
 * {@link #onTrainBatchBegin} and {@link #onTrainBatchEnd}; with validation {@link #onTestBegin}, per
 * validation batch {@link #onTestBatchBegin}/{@link #onTestBatchEnd}, {@link #onTestEnd}; then
 * {@link #onEpochEnd}; finally {@link #onTrainEnd}.
 *
 * <p>Unlike Keras, epochs and batches are numbered from 1 (as "Epoch 1/5" prints and
 * {@link EpochLogs#epoch()} says). The batch logs hold the RUNNING values of the epoch (or of the
 * evaluation) so far, as Keras 3's stateful metrics give them: {@code loss} is the mean loss per sample
 * over the steps so far, not the last batch's.
 *
 * <p>To stop training, call {@link Model#stopTraining()} on the model given to {@link #setModel}.
 *
 * <p>Evaluation and prediction batches hold 32 rows (the last may hold fewer), as Keras'
 * {@code batch_size=32}, and their hooks run once per batch, in order. On in-memory data the model
 * computes the outputs of up to 256 rows in one pass, when its first batch begins: the test and
 * predict batch hooks read the model, they must not change its weights.
 */
public interface Callback {

    /**
     * Called first, with fit's, evaluate's or predict's parameters (Keras' {@code set_params}).
     *
     * @param params the epochs, steps per epoch, verbosity and batch size of the call
     */
    default void setParams(TrainingParams params) {
    }

    /**
     * Called after {@link #setParams}, before any begin hook, with the model the call runs on.
     *
     * @param model the model being trained, evaluated or run
     */
    default void setModel(Model model) {
    }

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
     * Called before each training step.
     *
     * @param batch the step about to run within the epoch, numbered from 1
     */
    default void onTrainBatchBegin(int batch) {
    }

    /**
     * Called after each training step with the epoch's running values: {@code loss} (mean per sample
     * so far) and every compiled metric's result so far.
     *
     * @param batch the step just taken within the epoch, numbered from 1
     * @param logs  the running values, the epoch, the batch number and the batch's sample count
     */
    default void onTrainBatchEnd(int batch, BatchLogs logs) {
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

    /** Called before an evaluation: fit's validation at the end of an epoch, or {@code evaluate}. */
    default void onTestBegin() {
    }

    /**
     * Called before each evaluation batch.
     *
     * @param batch the batch about to be evaluated, numbered from 1
     */
    default void onTestBatchBegin(int batch) {
    }

    /**
     * Called after each evaluation batch with the evaluation's running values so far.
     *
     * @param batch the batch just evaluated, numbered from 1
     * @param logs  the running loss and metrics over the batches evaluated so far
     */
    default void onTestBatchEnd(int batch, BatchLogs logs) {
    }

    /**
     * Called after an evaluation with its result (names without {@code val_}).
     *
     * @param result the loss and metrics over every sample evaluated
     */
    default void onTestEnd(Evaluation result) {
    }

    /** Called before {@code predict} runs its first batch. */
    default void onPredictBegin() {
    }

    /**
     * Called before each prediction batch.
     *
     * @param batch the batch about to run, numbered from 1
     */
    default void onPredictBatchBegin(int batch) {
    }

    /**
     * Called after each prediction batch with its outputs (Keras passes {@code {"outputs": ...}}).
     *
     * @param batch   the batch just run, numbered from 1
     * @param outputs the batch's outputs {@code (rows, outputs)}; valid during the call only
     */
    default void onPredictBatchEnd(int batch, Tensor outputs) {
    }

    /** Called after {@code predict} ran its last batch. */
    default void onPredictEnd() {
    }
}
