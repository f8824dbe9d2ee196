package vecgrad.nn;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Keras-like training feedback, the one {@link Model#fit} prints, for custom loops too (as Keras'
 * {@code Progbar}). On a terminal: "Epoch 1/5" then a live bar redrawn in place
 * ({@code 117/422 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - accuracy: 0.8702 - loss: 0.4437}), at most every
 * 50 ms; elsewhere (a file, a pipe, a CI log): one line per epoch. Verbose 0 prints nothing. Every
 * logged value is printed, {@code name: 0.1234}, in the order of the names (as Keras 3 sorts its logs
 * in keras/src/utils/python_utils.py, pythonify_logs): {@code accuracy - auc - loss - val_accuracy - ...}.
 *
 * <pre>{@code
 * ProgressBar bar = new ProgressBar(System.out, 1, epochs, batches.count());
 * for (int epoch = 1; epoch <= epochs; epoch++) {
 *     bar.epochBegin(epoch);
 *     for (Batches.Batch b : batches) { ... bar.step(b.number(), runningLoss, runningAccuracy); }
 *     bar.epochEnd(new EpochLogs(epoch, loss, accuracy, valLoss, valAccuracy, seconds));
 * }
 * }</pre>
 */
public final class ProgressBar {

    private static final int BAR = 20;
    private static final long REDRAW_NANOS = 50_000_000L;

    private final PrintStream out;
    private final boolean live;
    private final boolean silent;
    private final int epochs;
    private final int steps;
    private long epochStart;
    private long lastDraw;

    /**
     * A bar for {@code epochs} epochs of {@code steps} steps each.
     *
     * @param out     where the bar or lines are printed
     * @param verbose 0 = silent, 1 = live bar on a terminal (one line per epoch otherwise), 2 = one line per epoch
     * @param epochs  the number of epochs, at least 1
     * @param steps   the number of steps per epoch, at least 1
     * @throws IllegalArgumentException if verbose is not 0, 1 or 2, or epochs or steps is below 1
     */
    public ProgressBar(PrintStream out, int verbose, int epochs, int steps) {
        Objects.requireNonNull(out, "out");
        if (verbose < 0 || verbose > 2 || epochs < 1 || steps < 1) {
            throw new IllegalArgumentException("expected verbose 0, 1 or 2 and epochs, steps >= 1, got verbose=" + verbose
                    + ", epochs=" + epochs + ", steps=" + steps);
        }
        this.out = out;
        this.silent = verbose == 0;
        this.live = verbose == 1 && out == System.out && isTerminal();
        this.epochs = epochs;
        this.steps = steps;
    }

    /**
     * Whether standard output is an interactive terminal. {@code System.console()} is null when output is
     * redirected up to JDK 21; from JDK 22 it may be non-null anyway, and {@code Console.isTerminal()}
     * (looked up reflectively: the bytecode targets 17) tells.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /**
     * Starts an epoch (numbered from 1): prints "Epoch e/E".
     *
     * @param epoch the epoch starting, numbered from 1
     */
    public void epochBegin(int epoch) {
        epochStart = System.nanoTime();
        lastDraw = 0;
        if (!silent) {
            out.println("Epoch " + epoch + "/" + epochs);
        }
    }

    /**
     * After step {@code step} (from 1) of the epoch, with the running mean loss and accuracy (NaN: not shown).
     *
     * @param step     the step just taken, numbered from 1
     * @param loss     the mean loss over the epoch's steps so far
     * @param accuracy the running accuracy, or NaN to show none
     */
    public void step(int step, double loss, double accuracy) {
        if (!live) {
            return;
        }
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", loss);
        if (!Double.isNaN(accuracy)) {
            logs.put("accuracy", accuracy);
        }
        step(step, logs);
    }

    /**
     * {@return whether {@link #step} draws anything} True only for a live bar on a terminal: a loop
     * can skip gathering a step's logs otherwise.
     */
    public boolean showsSteps() {
        return live;
    }

    /**
     * After step {@code step} (from 1) of the epoch, with the running value of each logged name
     * ({@code loss}, each metric).
     *
     * @param step the step just taken, numbered from 1
     * @param logs each logged name and its running value, in the order shown
     */
    public void step(int step, Map<String, Double> logs) {
        Objects.requireNonNull(logs, "logs");
        if (!live) {
            return;
        }
        long now = System.nanoTime();
        if (step < steps && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = elapsed / step * (steps - step);
        StringBuilder sb = new StringBuilder("\r");
        sb.append(pad(step)).append('/').append(steps).append(' ').append(bar(step));
        sb.append(' ').append(seconds(eta)).append(' ').append(perStep(elapsed, step));
        appendMetrics(sb, logs);
        sb.append("   ");
        out.print(sb);
        out.flush();
    }

    /**
     * Ends the epoch with its logs: the final bar, or the epoch's line.
     *
     * @param logs the epoch's training and validation values
     */
    public void epochEnd(EpochLogs logs) {
        if (silent) {
            return;
        }
        StringBuilder sb = new StringBuilder(live ? "\r" : "");
        sb.append(steps).append('/').append(steps).append(' ').append(live ? bar(steps) : "-");
        sb.append(' ').append(seconds(logs.seconds())).append(' ').append(perStep(logs.seconds(), steps));
        appendMetrics(sb, logs.values());
        out.println(sb);
    }

    /**
     * Prints a line of its own (on a new line if a bar is being drawn).
     *
     * @param line the text to print; a line break follows it
     */
    public void message(String line) {
        if (!silent) {
            out.println((live ? "\n" : "") + line);
        }
    }

    private String pad(int step) {
        String s = Integer.toString(step);
        String total = Integer.toString(steps);
        return " ".repeat(Math.max(0, total.length() - s.length())) + s;
    }

    private String bar(int step) {
        int filled = (int) ((long) BAR * step / steps);
        return "━".repeat(filled) + (filled < BAR ? "╸" + " ".repeat(BAR - filled - 1) : "");
    }

    private static String seconds(double s) {
        return s < 10 ? String.format(Locale.ROOT, "%.1fs", s) : Math.round(s) + "s";
    }

    private static String perStep(double seconds, int step) {
        double ms = seconds * 1000 / Math.max(1, step);
        return ms < 1 ? String.format(Locale.ROOT, "%dus/step", Math.round(ms * 1000))
                : String.format(Locale.ROOT, "%dms/step", Math.round(ms));
    }

    private static void appendMetrics(StringBuilder sb, Map<String, Double> logs) {
        for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
            sb.append(String.format(Locale.ROOT, " - %s: %.4f", e.getKey(), e.getValue()));
        }
    }
}
