package vecgrad.nn;

import java.io.PrintStream;
import java.util.Objects;
import vecgrad.optim.Optimizer;

/**
 * Sets the optimizer's learning rate at the start of every epoch from a function of the epoch and the
 * current rate, as Keras 3's {@code LearningRateScheduler}
 * (keras/src/callbacks/learning_rate_scheduler.py), through {@link Optimizer#setLearningRate(float)};
 * at each epoch end the rate in use is logged as {@code learning_rate}, as Keras 3 does.
 *
 * <pre>{@code
 * // Keras' example: keep the rate for 10 epochs, then decay it by exp(-0.1) per epoch
 * new LearningRateScheduler((epochIndex, lr) -> epochIndex < 10 ? lr : lr * Math.exp(-0.1))
 * }</pre>
 *
 * <p>The function receives the epoch's INDEX FROM 0, as Keras passes it, so that schedules written for
 * Keras port unchanged (epoch 1, as printed, is index 0), and the current rate as a double (the float
 * rate widened, as Keras' {@code float(optimizer.learning_rate)}); its result is stored in float.
 */
public final class LearningRateScheduler implements Callback {

    /** The schedule: a new rate from the epoch index (from 0) and the current rate. */
    @FunctionalInterface
    public interface Schedule {
        /**
         * The rate for an epoch.
         *
         * @param epochIndex the epoch's index, from 0 (Keras' {@code epoch})
         * @param learningRate the optimizer's current rate
         * @return the rate to use for this epoch, positive and finite
         */
        double rate(int epochIndex, double learningRate);
    }

    private final Schedule schedule;
    private int verbose;
    private PrintStream out = System.out;
    private Model model;

    /**
     * A scheduler for the given function.
     *
     * @param schedule the new rate from the epoch index (from 0) and the current rate
     */
    public LearningRateScheduler(Schedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Keras' {@code verbose}: 1 prints "Epoch 3: LearningRateScheduler setting learning rate to 0.01."
     * (the function's result as a Python float).
     *
     * @param verbose 0 (silent, the default) or 1
     * @param out     where to print
     * @return this callback
     * @throws IllegalArgumentException if verbose is not 0 or 1
     */
    public LearningRateScheduler verbose(int verbose, PrintStream out) {
        if (verbose != 0 && verbose != 1) {
            throw new IllegalArgumentException("LearningRateScheduler: verbose must be 0 or 1, got " + verbose);
        }
        this.verbose = verbose;
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    @Override
    public void setModel(Model model) {
        this.model = model;
    }

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        ReduceLROnPlateau.requireSettableRate("LearningRateScheduler", model);
    }

    /**
     * Sets the rate for the epoch starting.
     *
     * @throws IllegalArgumentException if the function returns a rate that is not positive and finite
     *     (naming the epoch), before it reaches the optimizer
     * @throws IllegalStateException if the optimizer's rate comes from a schedule of its own
     */
    @Override
    public void onEpochBegin(int epoch) {
        Optimizer optimizer = model.optimizer();
        double rate = schedule.rate(epoch - 1, optimizer.learningRate());
        if (!(rate > 0) || Double.isInfinite(rate) || !((float) rate > 0) || Float.isInfinite((float) rate)) {
            throw new IllegalArgumentException("LearningRateScheduler: expected a positive finite learning rate for epoch "
                    + epoch + " (index " + (epoch - 1) + "), got " + rate);
        }
        optimizer.setLearningRate((float) rate);
        if (verbose > 0) {
            out.println();
            out.println("Epoch " + epoch + ": LearningRateScheduler setting learning rate to " + PyFormat.repr(rate) + ".");
        }
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        logs.put("learning_rate", model.optimizer().learningRate());
    }
}
