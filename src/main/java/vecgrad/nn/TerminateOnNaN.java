package vecgrad.nn;

/**
 * Stops training as soon as the running loss in a step's logs is NaN or infinite (which it becomes
 * at the first step whose loss is), as Keras 3's {@code TerminateOnNaN}
 * (keras/src/callbacks/terminate_on_nan.py, on_batch_end reads {@code logs["loss"]}), and
 * remembers where that happened: {@link Model#fit} then returns normally after that step (its epoch
 * still ends with validation), where without this callback it throws
 * {@link vecgrad.tensor.NonFiniteException}. The step with the non-finite loss is not applied, so the
 * weights are those of the step before.
 */
public final class TerminateOnNaN implements Callback {

    private Model model;
    private int epoch;
    private int batch;

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        this.epoch = 0;
        this.batch = 0;
    }

    @Override
    public void onTrainBatchEnd(int batch, BatchLogs logs) {
        if (this.epoch == 0 && !Double.isFinite(logs.loss())) {
            this.epoch = logs.epoch();
            this.batch = batch;
            model.stopTraining();
        }
    }

    /** {@return whether training was terminated} */
    public boolean terminated() {
        return epoch > 0;
    }

    /** {@return a description of where the loss became invalid, or null} */
    public String where() {
        return terminated() ? "epoch " + epoch + ", step " + batch : null;
    }
}
