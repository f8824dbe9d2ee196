package vecgrad.nn;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Saves the model or its weights during fit, as Keras 3's {@code ModelCheckpoint}
 * (keras/src/callbacks/model_checkpoint.py): at the end of every epoch ({@code save_freq="epoch"}) or
 * every {@code n} training batches, always or only when the monitored metric improves on the best so
 * far. Each file is written atomically ({@link Model#saveWeights}, {@link Sequential#save}).
 *
 * <pre>{@code
 * new ModelCheckpoint(dir.resolve("k-{epoch:02d}-{val_loss:.2f}.safetensors"))   // k-03-0.32.safetensors
 * }</pre>
 *
 * <p>The file name is a Python format string, formatted as Keras does with
 * {@code filepath.format(epoch=epoch + 1, **logs)}: {@code {epoch}} (from 1), every logged name
 * ({@code {loss:.4f}}, {@code {val_accuracy:.3f}}, ...), and {@code {batch}} (from 1) for batch-frequency
 * saves; the format spec subset is width, fill/align, sign, zero padding, precision and the types
 * d, f, e, g (and F, E, G, %), with Python's rounding. A bad template is refused at construction; a
 * name fit will not log, or {@code {batch}} with epoch saves, is refused by fit before training
 * (Keras raises a KeyError at the first save).
 *
 * <p>Differences from Keras: {@link #ModelCheckpoint(Path)} saves the whole model as Keras'
 * {@code save_weights_only=False} does, but the older constructors with a monitor save weights only
 * (as they always did here); files are safetensors whatever their extension. With
 * {@code saveBestOnly}, a monitored name that is never logged is refused (Keras warns and saves).
 * As in Keras, the best value is kept across fit calls of one instance.
 */
public final class ModelCheckpoint implements Callback {

    private static final PyFormat FIVE_DIGITS = PyFormat.parse("{v:.5f}");

    private final String file;
    private final PyFormat name;
    private final Monitored monitor;
    private final boolean saveBestOnly;
    private boolean saveWeightsOnly;
    private int saveFreq;           // 0: every epoch; n > 0: every n training batches
    private int verbose;
    private PrintStream out = System.out;
    private boolean maximize;
    private boolean directionKnown;
    private Model model;
    private boolean hasBest;
    private double best = Double.NaN;
    private int epoch;
    private int batchesSinceSave;
    private int saves;

    /**
     * Keras' defaults: saves the whole model ({@link Sequential#save}) at the end of every epoch;
     * monitor {@code val_loss}, used only with {@link #ModelCheckpoint(Path, String, boolean)}'s
     * save-best-only.
     *
     * @param file the target path, a Python format string such as {@code "k-{epoch:02d}.safetensors"}
     * @throws IllegalArgumentException as {@link #ModelCheckpoint(Path, String, boolean, String)}
     */
    public ModelCheckpoint(Path file) {
        this(file, "val_loss", false, "auto");
    }

    /**
     * Saves the whole model, as Keras does by default ({@link #saveWeightsOnly} for the weights alone),
     * every epoch or only the best; mode auto: "best" is the
     * largest or smallest value as the monitored metric's {@link Metric#direction()} says.
     *
     * @param file the target path, a Python format string such as {@code "w-{epoch:02d}-{val_loss:.2f}"}
     * @param monitor the metric that decides "best" with {@code saveBestOnly}: a name fit logs,
     *     {@code loss}, a compiled metric's name, or either with {@code val_}; fit refuses, before
     *     training, a name it will never log
     * @param saveBestOnly save only when the monitored metric improves
     * @throws IllegalArgumentException as {@link #ModelCheckpoint(Path, String, boolean, String)}
     */
    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly) {
        this(file, monitor, saveBestOnly, "auto");
    }

    /**
     * As {@link #ModelCheckpoint(Path, String, boolean)}, with Keras' {@code mode}: {@code "auto"},
     * {@code "min"} or {@code "max"}.
     *
     * @param file         the target path, a Python format string
     * @param monitor      the metric that decides "best" with {@code saveBestOnly}, as for
     *     {@link #ModelCheckpoint(Path, String, boolean)}
     * @param saveBestOnly save only when the monitored metric improves
     * @param mode         {@code "auto"}, {@code "min"} (lower is better) or {@code "max"} (higher is better)
     * @throws IllegalArgumentException for another mode, a blank monitor, a bad format string (naming the
     *     problem), 'd' applied to a logged value, or a folder (without placeholders) that does not exist
     */
    public ModelCheckpoint(Path file, String monitor, boolean saveBestOnly, String mode) {
        Objects.requireNonNull(file, "file");
        this.monitor = new Monitored("ModelCheckpoint", monitor, mode);
        this.file = file.toString();
        this.name = PyFormat.parse(this.file);
        Set<String> floats = new HashSet<>(name.names());
        floats.remove("epoch");
        floats.remove("batch");
        name.requireFloatsFormattable(floats);
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || (!dir.toString().contains("{") && !Files.isDirectory(dir))) {
            throw new IllegalArgumentException("ModelCheckpoint: the checkpoint folder " + dir + " does not exist");
        }
        this.saveBestOnly = saveBestOnly;
        this.saveWeightsOnly = false; // Keras' save_weights_only=False
    }

    /**
     * Keras' {@code save_weights_only}: true writes the weights ({@link Model#saveWeights}), false the
     * whole model ({@link Sequential#save}, which {@link Sequential#load} reads back). Set before fit.
     *
     * @param weightsOnly whether to save the weights only
     * @return this callback
     */
    public ModelCheckpoint saveWeightsOnly(boolean weightsOnly) {
        this.saveWeightsOnly = weightsOnly;
        return this;
    }

    /**
     * Keras' integer {@code save_freq}: save after every {@code batches} training steps (counted across
     * epochs) instead of at the end of each epoch; the name may then use {@code {batch}}, and the logs are
     * the batch's running values (no {@code val_} names). Set before fit.
     *
     * @param batches the number of steps between saves, &gt;= 1
     * @return this callback
     * @throws IllegalArgumentException if {@code batches < 1}
     */
    public ModelCheckpoint saveFreq(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("ModelCheckpoint: saveFreq must be >= 1 batches, got " + batches);
        }
        this.saveFreq = batches;
        return this;
    }

    /**
     * Keras' {@code initial_value_threshold}: with save-best-only, the value a first save must beat.
     *
     * @param threshold a finite value
     * @return this callback
     * @throws IllegalArgumentException if the value is NaN or infinite
     */
    public ModelCheckpoint initialValueThreshold(double threshold) {
        if (!Double.isFinite(threshold)) {
            throw new IllegalArgumentException("ModelCheckpoint: initialValueThreshold must be finite, got " + threshold);
        }
        this.best = threshold;
        this.hasBest = true;
        return this;
    }

    /**
     * Keras' {@code verbose}: 1 prints Keras' messages ("Epoch 3: val_loss improved from 0.41000 to
     * 0.32000, saving model to ...").
     *
     * @param verbose 0 (silent, the default) or 1
     * @param out     where to print
     * @return this callback
     * @throws IllegalArgumentException if verbose is not 0 or 1
     */
    public ModelCheckpoint verbose(int verbose, PrintStream out) {
        if (verbose != 0 && verbose != 1) {
            throw new IllegalArgumentException("ModelCheckpoint: verbose must be 0 or 1, got " + verbose);
        }
        this.verbose = verbose;
        this.out = Objects.requireNonNull(out, "out");
        return this;
    }

    @Override
    public void setModel(Model model) {
        if (!saveWeightsOnly && !(model instanceof Sequential)) {
            throw new IllegalArgumentException("ModelCheckpoint: saving the whole model needs a Sequential, got "
                    + model.getClass().getName() + " (use saveWeightsOnly(true))");
        }
        this.model = model;
    }

    @Override
    public void onTrainBegin(Model model) {
        setModel(model);
        if (saveBestOnly && !directionKnown) {
            maximize = monitor.maximize("ModelCheckpoint");
            directionKnown = true;
        }
        batchesSinceSave = 0;
    }

    @Override
    public void onEpochBegin(int epoch) {
        this.epoch = epoch;
    }

    @Override
    public void onTrainBatchEnd(int batch, BatchLogs logs) {
        if (saveFreq > 0 && ++batchesSinceSave >= saveFreq) {
            batchesSinceSave = 0;
            save(logs.epoch(), batch, logs.values());
        }
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (saveFreq == 0) {
            save(logs.epoch(), 0, logs.values());
        }
    }

    /** Keras' _save_model: the name first (so a bad one fails every time), then the best-only test. */
    private void save(int epoch, int batch, Map<String, Double> logs) {
        Path target = Path.of(fileName(epoch, batch, logs));
        if (saveBestOnly) {
            Double current = logs.get(monitor.name);
            if (current == null) {
                throw new IllegalStateException("ModelCheckpoint monitors '" + monitor.name + "', which epoch " + epoch
                        + " did not log (it logged " + String.join(", ", logs.keySet()) + ")");
            }
            String bestText = hasBest ? FIVE_DIGITS.format(Map.of("v", best)) : "None";
            if (hasBest && !(maximize ? current > best : current < best)) {
                message("Epoch " + epoch + ": " + monitor.name + " did not improve from " + bestText);
                return;
            }
            message("Epoch " + epoch + ": " + monitor.name + " improved from " + bestText + " to "
                    + FIVE_DIGITS.format(Map.of("v", current)) + ", saving model to " + target);
            hasBest = true;
            best = current;
        } else {
            message("Epoch " + epoch + ": saving model to " + target);
        }
        try {
            Path dir = target.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (saveWeightsOnly) {
                model.saveWeights(target);
            } else {
                ((Sequential) model).save(target);
            }
            saves++;
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint could not write " + target + " at epoch " + epoch, e);
        }
        message("Epoch " + epoch + ": finished saving model to " + target);
    }

    /**
     * The file name for a save, as Keras' {@code _get_file_path}: {@code epoch} (from 1), {@code batch}
     * (from 1, batch saves only) and every logged value.
     */
    String fileName(int epoch, int batch, Map<String, Double> logs) {
        Map<String, Number> values = new LinkedHashMap<>(logs);
        values.put("epoch", epoch);
        if (batch > 0 && !logs.containsKey("batch")) {
            values.put("batch", batch);
        }
        return name.format(values);
    }

    private void message(String line) {
        if (verbose > 0) {
            out.println();
            out.println(line);
        }
    }

    /**
     * Called by fit before training: every name in the file name must be one the saves will have,
     * {@code epochNames} for epoch saves, {@code batchNames} for batch saves.
     */
    void checkNames(Set<String> epochNames, Set<String> batchNames) {
        Set<String> available = new HashSet<>(saveFreq == 0 ? epochNames : batchNames);
        available.add("epoch");
        if (saveFreq > 0) {
            available.add("batch");
        }
        for (String n : name.names()) {
            if (!available.contains(n)) {
                String why = n.equals("batch") ? " ({batch} needs saveFreq(n): saves at the end of epochs have no batch)"
                        : saveFreq > 0 && epochNames.contains(n) ? " (batch saves see the training values only)"
                        : "";
                throw new IllegalArgumentException("fit: ModelCheckpoint's file name \"" + file + "\" uses {" + n
                        + "}, which fit will not log" + why + "; it can use " + String.join(", ", new java.util.TreeSet<>(available)));
            }
        }
        if (saveBestOnly && saveFreq > 0 && !batchNames.contains(monitor.name)) {
            throw new IllegalArgumentException("fit: ModelCheckpoint saves every " + saveFreq + " batches and monitors '"
                    + monitor.name + "', which the batch logs do not hold (they hold " + String.join(", ", batchNames) + ")");
        }
    }

    /** {@return the monitored metric, e.g. {@code val_loss} (used only with save-best-only)} */
    public String monitor() {
        return monitor.name;
    }

    /** Called by fit before training (with save-best-only), with the direction of the compiled metric monitored. */
    void resolve(Metric.Direction direction) {
        monitor.resolve("ModelCheckpoint", direction);
        maximize = monitor.maximize("ModelCheckpoint");
        directionKnown = true;
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
