package vecgrad.nn;

import java.io.PrintStream;
import java.util.List;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * Stops training when a monitored metric has stopped improving, as Keras 3's {@code EarlyStopping}
 * (keras/src/callbacks/early_stopping.py and monitor_callback.py).
 *
 * <pre>{@code
 * EarlyStopping es = new EarlyStopping("val_loss", 3, 0.0, true).baseline(0.5).startFromEpoch(2);
 * }</pre>
 *
 * <p>Semantics matched (Keras 3):
 * <ul>
 * <li>an epoch improves on the best when {@code current - minDelta > best} for a metric that rises
 *     (mode max), {@code current + minDelta < best} for one that falls (mode min); the first epoch
 *     monitored always improves (Keras' best starts as {@code None});</li>
 * <li>the wait counter counts epochs since the last improvement; with a {@code baseline}, an improvement
 *     resets it only if it also beats the baseline; training stops once it reaches {@code patience}
 *     (never after the first epoch);</li>
 * <li>epochs up to {@code startFromEpoch} (Keras' {@code epoch < start_from_epoch}, 0-based) are not
 *     monitored at all;</li>
 * <li>with {@code restoreBestWeights}, the best epoch's weights are put back at the END OF TRAINING
 *     whenever they were recorded, also when training ran all its epochs (before Keras 3 they were
 *     restored only on an early stop). The first monitored epoch's weights are recorded even if a
 *     baseline is never beaten.</li>
 * </ul>
 *
 * <p>A monitored name that fit never logs is refused by fit before training (Keras warns and does
 * nothing, which hides a typo for the whole run); driven by hand, {@link #onEpochEnd} refuses logs
 * without it.
 */
public final class EarlyStopping implements Callback {

    private final Monitored monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double baseline = Double.NaN;
    private int startFromEpoch;
    private int verbose;
    private PrintStream out = System.out;
    private boolean maximize;

    private Model model;
    private boolean hasBest;
    private double best = Double.NaN;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private List<Tensor> bestWeights;

    /**
     * Mode auto: the monitored metric is maximised or minimised as its {@link Metric#direction()} says
     * (losses and errors fall, accuracies, AUC, precision and recall rise).
     *
     * @param monitor a name fit logs: {@code loss}, a compiled metric's name, or either with {@code val_};
     *     fit refuses, before training, a name it will never log
     * @param patience epochs without improvement before stopping, >= 0
     * @param minDelta the smallest change that counts as an improvement, >= 0
     * @param restoreBestWeights whether to restore the best epoch's weights at the end of training
     * @throws IllegalArgumentException as {@link #EarlyStopping(String, int, double, boolean, String)}
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this(monitor, patience, minDelta, restoreBestWeights, "auto");
    }

    /**
     * As {@link #EarlyStopping(String, int, double, boolean)}, with Keras' {@code mode}: {@code "auto"},
     * {@code "min"} or {@code "max"} (needed for a custom metric of unknown direction).
     *
     * @param monitor            a name fit logs, as for {@link #EarlyStopping(String, int, double, boolean)}
     * @param patience           epochs without improvement before stopping, &gt;= 0
     * @param minDelta           the smallest change that counts as an improvement, &gt;= 0
     * @param restoreBestWeights whether to restore the best epoch's weights at the end of training
     * @param mode               {@code "auto"}, {@code "min"} (lower is better) or {@code "max"} (higher is better)
     * @throws IllegalArgumentException for another mode, a blank name, a negative patience, or a
     *     negative or non-finite minDelta
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights, String mode) {
        this.monitor = new Monitored("EarlyStopping", monitor, mode);
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be a finite number >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** Keras' defaults: monitor {@code val_loss}, patience 0, minDelta 0, no restoring. */
    public EarlyStopping() {
        this("val_loss", 0, 0, false);
    }

    /**
     * Keras' {@code baseline}: an improvement resets the wait only if it also beats this value, so
     * training stops after {@code patience} epochs unless the monitored value gets past it. Set before fit.
     *
     * @param baseline the value to beat, finite
     * @return this callback
     * @throws IllegalArgumentException if the baseline is NaN or infinite
     */
    public EarlyStopping baseline(double baseline) {
        if (!Double.isFinite(baseline)) {
            throw new IllegalArgumentException("EarlyStopping: baseline must be finite, got " + baseline);
        }
        this.baseline = baseline;
        return this;
    }

    /**
     * Keras' {@code start_from_epoch}: the number of warm-up epochs not monitored; the first monitored
     * epoch is {@code startFromEpoch + 1}. Set before fit.
     *
     * @param startFromEpoch epochs to skip, &gt;= 0 (0, Keras' default, monitors from the first)
     * @return this callback
     * @throws IllegalArgumentException if it is negative
     */
    public EarlyStopping startFromEpoch(int startFromEpoch) {
        if (startFromEpoch < 0) {
            throw new IllegalArgumentException("EarlyStopping: startFromEpoch must be >= 0, got " + startFromEpoch);
        }
        this.startFromEpoch = startFromEpoch;
        return this;
    }

    /**
     * Keras' {@code verbose}: 1 prints "Epoch 5: early stopping" and "Restoring model weights from the
     * end of the best epoch: 3." at the end of training, as Keras does. Set before fit.
     *
     * @param verbose 0 (silent, the default) or 1
     * @param out     where to print
     * @return this callback
     * @throws IllegalArgumentException if verbose is not 0 or 1
     */
    public EarlyStopping verbose(int verbose, PrintStream out) {
        if (verbose != 0 && verbose != 1) {
            throw new IllegalArgumentException("EarlyStopping: verbose must be 0 or 1, got " + verbose);
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
        // Keras 3 resets here, so that one instance serves several fit calls.
        this.model = model;
        maximize = monitor.maximize("EarlyStopping");
        hasBest = false;
        best = Double.NaN;
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (!logs.has(monitor.name)) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor.name + "', which epoch " + logs.epoch()
                    + " did not log (it logged " + String.join(", ", logs.values().keySet()) + ")");
        }
        double current = logs.get(monitor.name);
        if (logs.epoch() <= startFromEpoch) {
            return;
        }
        if (restoreBestWeights && bestWeights == null) {
            bestWeights = model.getWeights();
            bestEpoch = logs.epoch();
        }
        wait++;
        if (!hasBest || improves(current, best)) {
            hasBest = true;
            best = current;
            bestEpoch = logs.epoch();
            if (restoreBestWeights) {
                bestWeights = model.getWeights();
            }
            if (Double.isNaN(baseline) || improves(current, baseline)) {
                wait = 0;
            }
            return;
        }
        if (wait >= patience && logs.epoch() > 1) {
            stoppedEpoch = logs.epoch();
            model.stopTraining();
        }
    }

    private boolean improves(double current, double reference) {
        return maximize ? current - minDelta > reference : current + minDelta < reference;
    }

    @Override
    public void onTrainEnd(History history) {
        if (stoppedEpoch > 0 && verbose > 0) {
            out.println("Epoch " + stoppedEpoch + ": early stopping");
        }
        if (restoreBestWeights && bestWeights != null) {
            if (verbose > 0) {
                out.println("Restoring model weights from the end of the best epoch: " + bestEpoch + ".");
            }
            model.setWeights(bestWeights);
        }
    }

    /** {@return the monitored metric, e.g. {@code val_loss}} */
    public String monitor() {
        return monitor.name;
    }

    /** {@return the mode: {@code auto}, {@code min} or {@code max}} */
    public String mode() {
        return monitor.mode;
    }

    /** Called by fit before training, with the direction of the compiled metric monitored. */
    void resolve(Metric.Direction direction) {
        monitor.resolve("EarlyStopping", direction);
    }

    /** {@return the epoch training stopped at, or 0 if it ran to the end} */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** {@return the epoch with the best monitored value, 0 before any was monitored} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** {@return the best monitored value, NaN before any was monitored} */
    public double best() {
        return best;
    }
}
