package vecgrad.nn;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Keras 3's training feedback, the one {@link Model#fit} prints, for custom loops too (as Keras'
 * {@code Progbar} driven by {@code ProgbarLogger}: keras/src/utils/progbar.py and
 * keras/src/callbacks/progbar_logger.py).
 *
 * <ul>
 * <li>"Epoch 1/5" before each epoch, when there is more than one epoch (Keras 3 prints none for one);</li>
 * <li>verbose 1 on a terminal: a live bar redrawn in place at most every 50 ms,
 *     {@code 117/422 ━━━━━━━━━━━━━━━━━━━━ 1s 4ms/step - accuracy: 0.8702 - loss: 0.4437}: the bar in
 *     green over grey, the ETA (the time per step times the steps left, as {@code 12s}, {@code 1:05} or
 *     {@code 1:00:05}), the time per step ({@code s}, {@code ms} or {@code us}); the time per step
 *     leaves out the first step, which includes JIT compilation (Keras 3's
 *     {@code _time_after_first_step}); at the end of the epoch the bar shows the elapsed time;</li>
 * <li>verbose 2, and verbose 1 when the output is not a terminal (a file, a pipe, a CI log): one line
 *     per epoch, {@code 469/469 - 3s - 6ms/step - accuracy: 0.9351 - loss: 0.2240} (Keras prints
 *     verbose 1 off a terminal as a line per update; a log file gets one per epoch here);</li>
 * <li>verbose 0 prints nothing.</li>
 * </ul>
 *
 * <p>Every logged value is printed, {@code name: value}, sorted by name (as Keras 3 sorts its logs in
 * keras/src/utils/python_utils.py, pythonify_logs). A value is printed {@code %.4f}, or {@code %.4e}
 * when it is small: on the live bar when {@code abs(value) <= 1e-3}, on the epoch line when
 * {@code value <= 1e-3} (Keras tests {@code avg > 1e-3} there without {@code abs}, so negative values
 * print in {@code e} notation too); numbers round as Python's format does.
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

    private static final int WIDTH = 20;
    private static final long INTERVAL_NANOS = 50_000_000L;
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String GREY = "\u001b[37m";
    private static final PyFormat F4 = PyFormat.parse("{v:.4f}");
    private static final PyFormat E4 = PyFormat.parse("{v:.4e}");
    private static final PyFormat F0 = PyFormat.parse("{v:.0f}");

    private final PrintStream out;
    private final boolean live;
    private final boolean silent;
    private final boolean perStepTiming;
    private final int epochs;
    private final int steps;
    private final LongSupplier clock;
    private long start;
    private long afterFirstStep;
    private long lastUpdate;
    private int seen;
    private int previousWidth;

    /**
     * A bar for {@code epochs} epochs of {@code steps} steps each.
     *
     * @param out     where the bar or lines are printed
     * @param verbose 0 = silent, 1 = live bar on a terminal (one line per epoch otherwise), 2 = one line per epoch
     * @param epochs  the number of epochs, at least 1
     * @param steps   the number of steps per epoch, at least 1, or -1 when unknown (Keras' {@code None}:
     *                the live bar then counts {@code 117/Unknown}, and the epoch's end gives the count)
     * @throws IllegalArgumentException if verbose is not 0, 1 or 2, epochs is below 1, or steps is
     *     neither -1 nor at least 1
     */
    public ProgressBar(PrintStream out, int verbose, int epochs, int steps) {
        this(out, verbose, epochs, steps, verbose == 1 && out == System.out && isTerminal(), System::nanoTime);
    }

    /** A bar drawn live or not whatever the output, on the given clock (in nanoseconds). */
    ProgressBar(PrintStream out, int verbose, int epochs, int steps, boolean live, LongSupplier clock) {
        Objects.requireNonNull(out, "out");
        if (verbose < 0 || verbose > 2 || epochs < 1 || steps < -1 || steps == 0) {
            throw new IllegalArgumentException("expected verbose 0, 1 or 2, epochs >= 1 and steps >= 1 or -1, got verbose="
                    + verbose + ", epochs=" + epochs + ", steps=" + steps);
        }
        this.out = out;
        this.silent = verbose == 0;
        this.live = verbose == 1 && live;
        // Keras' ProgbarLogger updates the bar after each batch only in verbose 1; in verbose 2 the
        // first step is never singled out, so its time counts in the epoch line's time per step.
        this.perStepTiming = verbose == 1;
        this.epochs = epochs;
        this.steps = steps;
        this.clock = Objects.requireNonNull(clock, "clock");
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
     * Starts an epoch (numbered from 1): prints "Epoch e/E" if there is more than one epoch.
     *
     * @param epoch the epoch starting, numbered from 1
     */
    public void epochBegin(int epoch) {
        start = clock.getAsLong();
        afterFirstStep = -1;
        lastUpdate = 0;
        seen = 0;
        previousWidth = 0;
        if (!silent && epochs > 1) {
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
            stepTaken(step);
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
     * can skip gathering a step's logs otherwise, and call {@link #stepTaken} instead.
     */
    public boolean showsSteps() {
        return live;
    }

    /**
     * Notes that step {@code step} (from 1) was taken without drawing: the clock reading after the first
     * step, which the time per step leaves out. {@link #step} does this too.
     *
     * @param step the step just taken, numbered from 1
     */
    public void stepTaken(int step) {
        seen = step;
        if (perStepTiming && step == 1 && afterFirstStep < 0) {
            afterFirstStep = clock.getAsLong();
        }
    }

    /**
     * After step {@code step} (from 1) of the epoch, with the running value of each logged name
     * ({@code loss}, each metric).
     *
     * @param step the step just taken, numbered from 1
     * @param logs each logged name and its running value
     */
    public void step(int step, Map<String, Double> logs) {
        Objects.requireNonNull(logs, "logs");
        if (!live) {
            stepTaken(step);
            return;
        }
        seen = step;
        long now = clock.getAsLong();
        // Keras estimates before the interval test, so the first step's time is always recorded.
        double perStep = estimateStep(step, now);
        if (now - lastUpdate < INTERVAL_NANOS) {
            return;
        }
        lastUpdate = now;
        draw(step, logs, false, now, perStep);
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
        long now = clock.getAsLong();
        int target = steps > 0 ? steps : Math.max(1, seen);
        double perStep = estimateStep(target, now);
        if (live) {
            draw(target, logs.values(), true, now, perStep);
            return;
        }
        String count = pad(target, target) + "/" + target;
        StringBuilder sb = new StringBuilder(count).append(" - ").append(F0.format(Map.of("v", seconds(now - start))))
                .append("s -").append(timePerStep(perStep));
        for (Map.Entry<String, Double> e : new TreeMap<>(logs.values()).entrySet()) {
            double v = e.getValue();
            sb.append(" - ").append(e.getKey()).append(": ").append((v > 1e-3 ? F4 : E4).format(Map.of("v", v)));
        }
        out.println(sb);
    }

    /** Keras' Progbar.update in verbose 1 on a dynamic display. */
    private void draw(int current, Map<String, Double> logs, boolean finalize, long now, double perStep) {
        StringBuilder message = new StringBuilder("\b".repeat(previousWidth)).append('\r');
        String bar;
        String barVisible;
        if (steps > 0 || finalize) {
            int target = steps > 0 ? steps : current;
            String count = pad(current, target) + "/" + target;
            int filled = (int) (WIDTH * ((double) current / target));
            bar = BOLD + count + RESET + " " + (filled > 0 ? GREEN + "━".repeat(filled) + RESET : "")
                    + GREY + "━".repeat(WIDTH - filled) + RESET;
            barVisible = count + " " + "━".repeat(WIDTH);
        } else {
            bar = String.format(java.util.Locale.ROOT, "%7d/Unknown", current);
            barVisible = bar;
        }
        String time;
        if (steps > 0 && !finalize) {
            time = eta(perStep * (steps - current));
        } else {
            time = F0.format(Map.of("v", seconds(now - start))) + "s";
        }
        StringBuilder info = new StringBuilder(" ").append(BOLD).append(time).append(RESET).append(timePerStep(perStep));
        StringBuilder infoVisible = new StringBuilder(" ").append(time).append(timePerStep(perStep));
        for (Map.Entry<String, Double> e : new TreeMap<>(logs).entrySet()) {
            double v = e.getValue();
            String s = " - " + e.getKey() + ": " + (Math.abs(v) > 1e-3 ? F4 : E4).format(Map.of("v", v));
            info.append(s);
            infoVisible.append(s);
        }
        message.append(bar).append(info);
        int width = barVisible.length() + infoVisible.length();
        if (previousWidth > width) {
            message.append(" ".repeat(previousWidth - width));
        }
        if (finalize) {
            message.append('\n');
        }
        out.print(message);
        out.flush();
        previousWidth = width;
    }

    /**
     * Keras' _estimate_step_duration: after the first step, the time since the first step over the steps
     * after it; for the first step (or if it was never seen), the time since the start over the steps.
     */
    private double estimateStep(int current, long now) {
        if (current == 0) {
            return 0;
        }
        double perStep = afterFirstStep >= 0 && current > 1 ? seconds(now - afterFirstStep) / (current - 1)
                : seconds(now - start) / current;
        if (current == 1 && perStepTiming) {
            afterFirstStep = now;
        }
        return perStep;
    }

    /** Keras' ETA: {@code %ds}, {@code %d:%02d} above a minute, {@code %d:%02d:%02d} above an hour (truncated). */
    static String eta(double eta) {
        if (eta > 3600) {
            return String.format(java.util.Locale.ROOT, "%d:%02d:%02d", (long) (eta / 3600), (long) ((eta % 3600) / 60),
                    (long) (eta % 60));
        }
        if (eta > 60) {
            return String.format(java.util.Locale.ROOT, "%d:%02d", (long) (eta / 60), (long) (eta % 60));
        }
        return (long) eta + "s";
    }

    /** Keras' _format_time: {@code " 2s/step"}, {@code " 417ms/step"} or {@code " 85us/step"}. */
    static String timePerStep(double seconds) {
        if (seconds >= 1 || seconds == 0) {
            return " " + F0.format(Map.of("v", seconds)) + "s/step";
        }
        if (seconds >= 1e-3) {
            return " " + F0.format(Map.of("v", seconds * 1000.0)) + "ms/step";
        }
        return " " + F0.format(Map.of("v", seconds * 1000000.0)) + "us/step";
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
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

    /** {@code current} right-aligned to the width of {@code target}, as Keras' {@code %{numdigits}d}. */
    private static String pad(int current, int target) {
        String s = Integer.toString(current);
        return " ".repeat(Math.max(0, Integer.toString(target).length() - s.length())) + s;
    }
}
