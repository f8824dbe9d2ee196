package vecgrad.nn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Saves the model's weights (safetensors) at the end of epochs, as Keras' {@code ModelCheckpoint} with
 * {@code save_weights_only=True}: every epoch, or only when the monitored metric improves on the best
 * so far. A {@code {epoch}} in the file name is replaced by the epoch number. Each file is written
 * atomically by {@link Model#saveWeights}.
 */
public final class ModelCheckpoint implements Callback {

    private final String file;
    private final Monitored monitor;
    private final boolean saveBestOnly;
    private boolean maximize;
    private Model model;
    private double best;
    private int saves;

    /**
     * Mode auto: "best" is the largest or smallest value as the monitored metric's
     * {@link Metric#direction()} says.
     *
     * @param file the target path; may contain {@code {epoch}}
     * @param monitor the metric that decides "best" with {@code saveBestOnly}: a name fit logs,
     *     {@code loss}, a compiled metric's name, or either with {@code val_}; fit refuses, before
     *     training, a name it will never log
     * @param saveBestOnly save only when the monitored metric improves
     * @throws IllegalArgumentException if the folder does not exist or the name is blank
     */
    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
        this(file, monitor, saveBestOnly, "auto");
    }

    /**
     * As {@link #ModelCheckpoint(Path, String, boolean)}, with Keras' {@code mode}: {@code "auto"},
     * {@code "min"} or {@code "max"}.
     *
     * @param file         the target path; may contain {@code {epoch}}
     * @param monitor      the metric that decides "best" with {@code saveBestOnly}, as for
     *     {@link #ModelCheckpoint(Path, String, boolean)}
     * @param saveBestOnly save only when the monitored metric improves
     * @param mode         {@code "auto"}, {@code "min"} (lower is better) or {@code "max"} (higher is better)
     * @throws IllegalArgumentException as {@link #ModelCheckpoint(Path, String, boolean)}, also for another mode
     */
    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly, String mode) {
        Objects.requireNonNull(file, "file");
        this.monitor = new Monitored("ModelCheckpoint", monitor, mode);
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the checkpoint folder " + dir + " does not exist");
        }
        this.file = file.toString();
        this.saveBestOnly = saveBestOnly;
    }

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        if (saveBestOnly) {
            maximize = monitor.maximize("ModelCheckpoint");
        }
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (saveBestOnly) {
            double current = logs.get(monitor.name);
            if (!(maximize ? current > best : current < best)) {
                return;
            }
            best = current;
        }
        Path target = Path.of(file.replace("{epoch}", Integer.toString(logs.epoch())));
        try {
            model.saveWeights(target);
            saves++;
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint could not write " + target + " at epoch " + logs.epoch(), e);
        }
    }

    /** {@return the monitored metric, e.g. {@code val_loss} (used only with save-best-only)} */
    public String monitor() {
        return monitor.name;
    }

    /** Called by fit before training (with save-best-only), with the direction of the compiled metric monitored. */
    void resolve(Metric.Direction direction) {
        monitor.resolve("ModelCheckpoint", direction);
    }

    /** {@return whether only improvements of the monitored metric are saved} */
    public boolean saveBestOnly() {
        return saveBestOnly;
    }

    /** {@return how many files were written} */
    public int saves() {
        return saves;
    }
}
