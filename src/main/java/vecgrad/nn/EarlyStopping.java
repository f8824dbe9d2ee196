package vecgrad.nn;

import java.util.List;
import vecgrad.tensor.Tensor;

/**
 * Stops training when a monitored metric has stopped improving, as Keras' {@code EarlyStopping}.
 *
 * <p>Semantics matched (Keras 3): an epoch improves on the best when {@code current - minDelta > best}
 * for a metric that rises (mode max), {@code current + minDelta < best} for one that falls (mode min); the wait counter counts epochs since the
 * last improvement, and training stops once it reaches {@code patience} (never after the first epoch).
 * With {@code restoreBestWeights}, the weights of the best epoch are put back when training stops.
 */
public final class EarlyStopping implements Callback {

    private final Monitored monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private boolean maximize;

    private Model model;
    private double best;
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
     * @param restoreBestWeights whether to restore the best epoch's weights when stopping
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
     * @param restoreBestWeights whether to restore the best epoch's weights when stopping
     * @param mode               {@code "auto"}, {@code "min"} (lower is better) or {@code "max"} (higher is better)
     * @throws IllegalArgumentException for another mode, a blank name, a negative patience, or a
     *     negative or non-finite minDelta
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights, String mode) {
        this.monitor = new Monitored("EarlyStopping", monitor, mode);
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be a finite number >= 0, got " + minDelta);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    /** Keras' defaults: monitor {@code val_loss}, patience 0, minDelta 0, no restoring. */
    public EarlyStopping() {
        this("val_loss", 0, 0, false);
    }

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        maximize = monitor.maximize("EarlyStopping");
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
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
        wait++;
        if (maximize ? current - minDelta > best : current + minDelta < best) {
            best = current;
            bestEpoch = logs.epoch();
            if (restoreBestWeights) {
                bestWeights = model.getWeights();
            }
            wait = 0;
            return;
        }
        if (wait >= patience && logs.epoch() > 1) {
            stoppedEpoch = logs.epoch();
            model.stopTraining();
            if (restoreBestWeights && bestWeights != null) {
                model.setWeights(bestWeights);
            }
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

    /** {@return the epoch with the best monitored value} */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** {@return the best monitored value} */
    public double best() {
        return best;
    }
}
