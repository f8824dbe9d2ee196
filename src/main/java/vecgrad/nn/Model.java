package vecgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import vecgrad.data.Dataset;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A trainable network with Keras' workflow: {@link #compile}, then {@link #fit}, {@link #evaluate} and
 * {@link #predict}. {@link Sequential} is the implementation.
 *
 * <p>{@code fit} has no backward pass of its own: each step runs {@link #call} under a
 * {@link vecgrad.autodiff.GradientTape}, asks the tape for the gradients of the loss and hands them to
 * the optimizer. A custom loop that does the same with the same seeds ends with the same weights, bit
 * for bit.
 *
 * <p>Thread safety: a model is trained by one thread at a time; {@link #fit}, {@link #setWeights} and
 * {@link #loadWeights} refuse to run while another thread's {@code fit} trains it. Reading calls
 * ({@link #call}, {@link #predict}, {@link #evaluate}, {@link #getWeights}) may run on any thread, also
 * during fit, and then see the weights of some step, possibly mid-update. Models do not share state:
 * one model (with its own optimizer) per thread trains safely in parallel.
 */
public interface Model {

    /**
     * The forward pass on a batch {@code x (batch, inputs) -> (batch, outputs)} in inference mode,
     * {@code call(x, false)}, through the ops of {@code vecgrad.autodiff}, so an open tape records it.
     *
     * @param x the inputs {@code (batch, inputs)}
     * @return the outputs {@code (batch, outputs)}
     */
    Tensor call(Tensor x);

    /**
     * The forward pass on a batch, through recorded ops; {@code training} tells layers such as Dropout
     * and BatchNormalization which mode to use ({@code fit} passes true, {@code evaluate} and
     * {@code predict} false; a custom training loop passes true, as Keras' {@code model(x, training=True)}).
     *
     * @param x        the inputs {@code (batch, inputs)}
     * @param training true for training mode, false for inference mode
     * @return the outputs {@code (batch, outputs)}
     */
    Tensor call(Tensor x, boolean training);

    /** {@return the weights the optimizer updates, in layer order (kernel, then bias, per layer)} */
    List<Variable> trainableVariables();

    /**
     * The regularization penalties of the trainable weights, Keras' {@code model.losses}: one scalar
     * {@code ()} per weight that has a {@link Regularizer}, in {@link #trainableVariables()} order,
     * computed now from the current weights through recorded ops, so that inside an open
     * {@link vecgrad.autodiff.GradientTape} their gradients flow to the weights. Empty when no layer
     * has a regularizer.
     *
     * <p>{@link #fit} adds them to the compiled loss of every step, and {@link #evaluate} to the loss it
     * reports, as Keras 3's {@code compute_loss} ({@code keras/src/trainers/trainer.py}); so the logged
     * {@code loss} and {@code val_loss} include them. A custom loop that adds them the same way, in
     * this order, is the same computation as fit, bit for bit:
     * <pre>{@code
     * try (GradientTape tape = new GradientTape()) {
     *     Tensor loss = lossFn.call(batch.y(), model.call(batch.x(), true));
     *     for (Tensor penalty : model.losses()) {
     *         loss = Ops.add(loss, penalty);
     *     }
     *     optimizer.applyGradients(tape.gradient(loss, vars), vars);
     * }
     * }</pre>
     *
     * @return the penalties, a new list
     */
    List<Tensor> losses();

    /**
     * Sets the optimizer, the loss and the metrics ({@link Metric#ACCURACY}, any other {@link Metric}, or
     * none), reported unweighted by name in fit's logs and evaluate's result.
     *
     * @param optimizer the optimizer that applies the gradients in {@link #fit}
     * @param loss      the loss fit minimises and evaluate reports
     * @param metrics   the metrics to report besides the loss, possibly none
     */
    void compile(Optimizer optimizer, Loss loss, Metric... metrics);

    /** {@return the loss given to {@link #compile}, or null before} */
    Loss loss();

    /** {@return the optimizer given to {@link #compile}, or null before} */
    Optimizer optimizer();

    /**
     * Trains on {@code x (samples, inputs)} and {@code y (samples, outputs)}.
     *
     * <p>A step whose loss is NaN or infinite is not applied; unless a callback (such as
     * {@link TerminateOnNaN}) stops training at that step, fit then throws. Gradients or weights that
     * become non-finite stop it too (see {@link vecgrad.optim.Optimizer#applyGradients}).
     *
     * @param x       the training inputs {@code (samples, inputs)}
     * @param y       the training targets {@code (samples, outputs)}, one row per row of {@code x}
     * @param options the epochs, batch size, validation, callbacks and other settings
     * @return the per-epoch logs of the loss, metrics and validation results
     * @throws IllegalStateException before {@link #compile}, or if this model is being trained by another
     *     {@code fit} call (a model is not thread-safe; {@code call}, {@code predict} and {@code evaluate}
     *     may run on other threads meanwhile and see the weights of some step)
     * @throws IllegalArgumentException if x or y do not fit the model or each other, or a validation split
     *     leaves no training or no validation samples; all checked before the first step
     * @throws vecgrad.tensor.NonFiniteException if the loss, a gradient or a weight becomes NaN or infinite;
     *     the message names the epoch, the step and the first non-finite variable
     */
    History fit(Tensor x, Tensor y, FitOptions options);

    /**
     * Trains on a dataset's images and its labels one-hot, batch by batch, without making the whole
     * tensors: see {@link Sequential#fit(Dataset, FitOptions)}.
     *
     * @param train   the training dataset
     * @param options the epochs, batch size, validation, callbacks and other settings
     * @return the per-epoch logs of the loss, metrics and validation results
     */
    History fit(Dataset train, FitOptions options);

    /**
     * The loss and accuracy on {@code x} and {@code y}, in batches of 32 (as Keras' default).
     *
     * @param x the inputs {@code (samples, inputs)}
     * @param y the targets {@code (samples, outputs)}, one row per row of {@code x}
     * @return the loss and the compiled metrics over all samples
     */
    Evaluation evaluate(Tensor x, Tensor y);

    /**
     * The loss and accuracy on a dataset's images and its labels one-hot, in batches of 32.
     *
     * @param data the dataset to evaluate on
     * @return the loss and the compiled metrics over all samples
     */
    Evaluation evaluate(Dataset data);

    /**
     * The model's outputs for {@code x}, in batches (no tape records them).
     *
     * @param x the inputs {@code (samples, inputs)}
     * @return the outputs {@code (samples, outputs)}
     */
    Tensor predict(Tensor x);

    /**
     * Asks a running {@link #fit} to stop (Keras' {@code model.stop_training = True}): as in Keras 3, fit
     * checks after every step, so a call from {@link Callback#onTrainBatchEnd} stops after that step and a
     * call from {@link Callback#onEpochEnd} after that epoch; the epoch in progress still ends with its
     * validation and {@code onEpochEnd}.
     */
    void stopTraining();

    /** {@return copies of the current weights, in {@link #trainableVariables()} order} */
    List<Tensor> getWeights();

    /**
     * Overwrites the weights; shapes are checked first, for every weight, before any is written.
     *
     * @param weights the new weights, in {@link #trainableVariables()} order and of their shapes
     */
    void setWeights(List<Tensor> weights);

    /**
     * Writes the weights to a safetensors file, atomically (a temporary file in the same folder, then a
     * rename), named by {@link Variable#name()}.
     *
     * @param file the safetensors file to write; replaced if it exists
     * @throws vecgrad.tensor.NonFiniteException if a weight holds a NaN or an infinity (nothing is written)
     * @throws IOException if the file or its temporary sibling cannot be written or renamed
     */
    void saveWeights(Path file) throws IOException;

    /**
     * Reads weights written by {@link #saveWeights} (or by any safetensors writer with the same names,
     * F32 dtype and shapes). Every name, dtype and shape is checked before any weight is written; so is
     * the {@code architecture} metadata, which, if present, must be this model's, and every value,
     * which must be finite. Files of vecgrad 0.1, whose Dense weights are named {@code W1, b1, ...,
     * Wn, bn}, load into a model of Dense layers as its kernels and biases in order.
     *
     * @param file the safetensors file to read
     * @throws IllegalArgumentException if the file does not fit this model (names, dtypes, shapes, metadata)
     * @throws vecgrad.tensor.NonFiniteException if a weight in the file holds a NaN or an infinity
     * @throws IOException if the file cannot be read or is not valid safetensors
     */
    void loadWeights(Path file) throws IOException;

    /** {@return a Keras-like table of the layers, output shapes and parameter counts} */
    String summary();
}
