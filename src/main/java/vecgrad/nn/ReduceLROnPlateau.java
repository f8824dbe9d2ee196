package vecgrad.nn;

import java.io.PrintStream;
import java.util.Objects;
import vecgrad.optim.Optimizer;

/**
 * Lowers the optimizer's learning rate when a monitored metric has stopped improving, as Keras 3's
 * {@code ReduceLROnPlateau} (keras/src/callbacks/reduce_lr_on_plateau.py), through
 * {@link Optimizer#learningRate()} and {@link Optimizer#setLearningRate(float)}.
 *
 * <pre>{@code
 * new ReduceLROnPlateau("val_loss", 0.5, 2)          // halve the rate after 2 epochs without improvement
 *         .minDelta(1e-4).cooldown(1).minLr(1e-5)
 * }</pre>
 *
 * <p>Keras 3 semantics: at each epoch end the rate in use is logged as {@code learning_rate} (before
 * any change); an epoch improves when {@code current + minDelta < best} (mode min) or
 * {@code current - minDelta > best} (mode max), the first always does; in cooldown the wait is reset and
 * the counter counts down; otherwise an epoch without improvement adds to the wait, and at
 * {@code patience} the rate becomes {@code max(rate * factor, minLr)} (computed in double, stored in
 * float, as Keras assigns a Python float to a float32 variable), if the rate is above
 * {@code float32(minLr)}; then the cooldown starts and the wait is reset. {@code onTrainBegin} resets
 * the best, the wait and the cooldown.
 */
public final class ReduceLROnPlateau implements Callback {

    private final Monitored monitor;
    private final double factor;
    private final int patience;
    private double minDelta = 1e-4;
    private int cooldown;
    private double minLr;
    private int verbose;
    private PrintStream out = System.out;
    private boolean maximize;
    private boolean directionKnown;

    private Model model;
    private boolean hasBest;
    private double best;
    private int wait;
    private int cooldownCounter;

    /**
     * Keras' defaults: monitor {@code val_loss}, factor 0.1, patience 10, minDelta 1e-4, cooldown 0, minLr 0.
     */
    public ReduceLROnPlateau() {
        this("val_loss", 0.1, 10);
    }

    /**
     * Mode auto, minDelta 1e-4, cooldown 0, minLr 0 (Keras' defaults).
     *
     * @param monitor  a name fit logs ({@code loss}, a compiled metric, or either with {@code val_});
     *     fit refuses, before training, a name it will never log
     * @param factor   the rate is multiplied by it, in (0, 1)
     * @param patience epochs without improvement before reducing, &gt;= 0
     * @throws IllegalArgumentException as {@link #ReduceLROnPlateau(String, double, int, String)}
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience) {
        this(monitor, factor, patience, "auto");
    }

    /**
     * As {@link #ReduceLROnPlateau(String, double, int)} with Keras' {@code mode}.
     *
     * @param monitor  a name fit logs
     * @param factor   the rate is multiplied by it, in (0, 1)
     * @param patience epochs without improvement before reducing, &gt;= 0
     * @param mode     {@code "auto"}, {@code "min"} or {@code "max"}
     * @throws IllegalArgumentException for a factor outside (0, 1) (Keras refuses {@code factor >= 1};
     *     a factor of 0 or below would make the rate 0 or negative), a negative patience, a blank
     *     monitor or another mode
     */
    public ReduceLROnPlateau(String monitor, double factor, int patience, String mode) {
        this.monitor = new Monitored("ReduceLROnPlateau", monitor, mode);
        if (!(factor > 0 && factor < 1)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor must be in (0, 1), got " + factor);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience must be >= 0, got " + patience);
        }
        this.factor = factor;
        this.patience = patience;
    }

    /**
     * The smallest change that counts as an improvement (Keras' default 1e-4). Set before fit.
     *
     * @param minDelta a finite value &gt;= 0
     * @return this callback
     * @throws IllegalArgumentException if it is negative, NaN or infinite
     */
    public ReduceLROnPlateau minDelta(double minDelta) {
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minDelta must be a finite number >= 0, got " + minDelta);
        }
        this.minDelta = minDelta;
        return this;
    }

    /**
     * Epochs to wait after a reduction before counting epochs without improvement again. Set before fit.
     *
     * @param cooldown epochs, &gt;= 0
     * @return this callback
     * @throws IllegalArgumentException if it is negative
     */
    public ReduceLROnPlateau cooldown(int cooldown) {
        if (cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: cooldown must be >= 0, got " + cooldown);
        }
        this.cooldown = cooldown;
        return this;
    }

    /**
     * The lower bound of the rate. Set before fit.
     *
     * @param minLr a finite value &gt;= 0
     * @return this callback
     * @throws IllegalArgumentException if it is negative, NaN or infinite
     */
    public ReduceLROnPlateau minLr(double minLr) {
        if (!(minLr >= 0) || Double.isInfinite(minLr)) {
            throw new IllegalArgumentException("ReduceLROnPlateau: minLr must be a finite number >= 0, got " + minLr);
        }
        this.minLr = minLr;
        return this;
    }

    /**
     * Keras' {@code verbose}: 1 prints "Epoch 5: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257."
     * (the new rate as a Python float).
     *
     * @param verbose 0 (silent, the default) or 1
     * @param out     where to print
     * @return this callback
     * @throws IllegalArgumentException if verbose is not 0 or 1
     */
    public ReduceLROnPlateau verbose(int verbose, PrintStream out) {
        if (verbose != 0 && verbose != 1) {
            throw new IllegalArgumentException("ReduceLROnPlateau: verbose must be 0 or 1, got " + verbose);
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
        requireSettableRate("ReduceLROnPlateau", model);
        if (!directionKnown) {
            maximize = monitor.maximize("ReduceLROnPlateau");
        }
        hasBest = false;
        wait = 0;
        cooldownCounter = 0;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        Optimizer optimizer = model.optimizer();
        logs.put("learning_rate", optimizer.learningRate());
        if (!logs.has(monitor.name)) {
            throw new IllegalStateException("ReduceLROnPlateau monitors '" + monitor.name + "', which epoch "
                    + logs.epoch() + " did not log (it logged " + String.join(", ", logs.values().keySet()) + ")");
        }
        double current = logs.get(monitor.name);
        if (cooldownCounter > 0) {
            cooldownCounter--;
            wait = 0;
        }
        if (!hasBest || (maximize ? current - minDelta > best : current + minDelta < best)) {
            hasBest = true;
            best = current;
            wait = 0;
        } else if (cooldownCounter == 0) {
            wait++;
            if (wait >= patience) {
                double old = optimizer.learningRate();
                if (old > (float) minLr) {
                    double rate = Math.max(old * factor, minLr);
                    optimizer.setLearningRate((float) rate);
                    if (verbose > 0) {
                        out.println();
                        out.println("Epoch " + logs.epoch() + ": ReduceLROnPlateau reducing learning rate to "
                                + PyFormat.repr(rate) + ".");
                    }
                    cooldownCounter = cooldown;
                    wait = 0;
                }
            }
        }
    }

    /** {@return the monitored metric, e.g. {@code val_loss}} */
    public String monitor() {
        return monitor.name;
    }

    /** Called by fit before training, with the direction of the compiled metric monitored. */
    void resolve(Metric.Direction direction) {
        monitor.resolve("ReduceLROnPlateau", direction);
        maximize = monitor.maximize("ReduceLROnPlateau");
        directionKnown = true;
    }

    /**
     * Refuses, before the first step, an optimizer whose rate comes from a schedule: it could not be set
     * (Keras raises its TypeError only at the first change, possibly many epochs in).
     */
    static void requireSettableRate(String callback, Model model) {
        Optimizer optimizer = model.optimizer();
        if (optimizer != null && optimizer.learningRateSchedule() != null) {
            throw new IllegalStateException(callback + ": the optimizer's learning rate comes from its schedule ("
                    + optimizer.learningRateSchedule().getClass().getSimpleName() + "), so it cannot be set;"
                    + " build the optimizer with a constant learning rate, or leave the schedule alone");
        }
    }
}
