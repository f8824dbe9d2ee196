package vecgrad.nn;

import java.util.List;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * Stops training when a monitored metric has stopped improving, as Keras' {@code EarlyStopping}.
 *
 * <p>Semantics matched (Keras 3): an epoch improves on the best when {@code current - minDelta > best}
 * for accuracies, {@code current + minDelta < best} for losses; the wait counter counts epochs since the
 * last improvement, and training stops once it reaches {@code patience} (never after the first epoch).
 * With {@code restoreBestWeights}, the weights of the best epoch are put back when training stops.
 */
public final class EarlyStopping implements Callback {

    private final String monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private final boolean maximize;

    private Model model;
    private double best;
    private int bestEpoch;
    private int wait;
    private int stoppedEpoch;
    private List<Tensor> bestWeights;

    /**
     * @param monitor {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy}; accuracies
     *     are maximised, losses minimised
     * @param patience epochs without improvement before stopping, >= 0
     * @param minDelta the smallest change that counts as an improvement, >= 0
     * @param restoreBestWeights whether to restore the best epoch's weights when stopping
     */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        Objects.requireNonNull(monitor, "monitor");
        new EpochLogs(0, 0, 0, 0, 0, 0).get(monitor); // rejects unknown names
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be a finite number >= 0, got " + minDelta);
        }
        this.monitor = monitor;
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
        this.maximize = monitor.endsWith("accuracy");
    }

    /** Keras' defaults: monitor {@code val_loss}, patience 0, minDelta 0, no restoring. */
    public EarlyStopping() {
        this("val_loss", 0, 0, false);
    }

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        stoppedEpoch = 0;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        double current = logs.get(monitor);
        if (Double.isNaN(current)) {
            throw new IllegalStateException("EarlyStopping monitors '" + monitor + "', which epoch " + logs.epoch()
                    + " did not measure (is there validation data?)");
        }
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

    /** The monitored metric, e.g. {@code val_loss}. */
    public String monitor() {
        return monitor;
    }

    /** The epoch training stopped at, or 0 if it ran to the end. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    /** The epoch with the best monitored value. */
    public int bestEpoch() {
        return bestEpoch;
    }

    /** The best monitored value. */
    public double best() {
        return best;
    }
}
