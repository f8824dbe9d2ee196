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
    private final String monitor;
    private final boolean saveBestOnly;
    private final boolean maximize;
    private Model model;
    private double best;
    private int saves;

    /**
     * @param file the target path; may contain {@code {epoch}}
     * @param monitor the metric that decides "best": {@code loss}, {@code accuracy}, {@code val_loss} or {@code val_accuracy}
     * @param saveBestOnly save only when the monitored metric improves
     * @throws IllegalArgumentException if the folder does not exist or the metric is unknown
     */
    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(monitor, "monitor");
        new EpochLogs(0, 0, 0, 0, 0, 0).get(monitor); // rejects unknown names
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("the checkpoint folder " + dir + " does not exist");
        }
        this.file = file.toString();
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
        this.maximize = monitor.endsWith("accuracy");
    }

    @Override
    public void onTrainBegin(Model model) {
        this.model = model;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (saveBestOnly) {
            double current = logs.get(monitor);
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

    /** The monitored metric, e.g. {@code val_loss} (used only with save-best-only). */
    public String monitor() {
        return monitor;
    }

    /** Whether only improvements of the monitored metric are saved. */
    public boolean saveBestOnly() {
        return saveBestOnly;
    }

    /** How many files were written. */
    public int saves() {
        return saves;
    }
}
