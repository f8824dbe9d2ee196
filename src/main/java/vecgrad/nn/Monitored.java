package vecgrad.nn;

import java.util.Objects;

/**
 * The monitored name and its mode of {@link EarlyStopping} and {@link ModelCheckpoint}, as Keras'
 * {@code monitor} and {@code mode} ("auto", "min", "max"). In mode auto the direction comes from the
 * compiled metric when {@link Model#fit} starts (keras/src/callbacks/early_stopping.py, _set_monitor_op:
 * {@code loss} falls, a metric goes its {@code _direction}, and anything else is an error); before that,
 * for a callback driven by hand, it is guessed from the built-in names.
 */
final class Monitored {

    final String name;
    final String mode;
    private boolean maximize;
    private boolean known;

    Monitored(String who, String name, String mode) {
        Objects.requireNonNull(name, "monitor");
        Objects.requireNonNull(mode, "mode");
        if (name.isBlank()) {
            throw new IllegalArgumentException(who + ": expected a metric name to monitor, got '" + name + "'");
        }
        this.name = name;
        this.mode = mode;
        switch (mode) {
            case "max" -> set(true);
            case "min" -> set(false);
            case "auto" -> {
                Metric.Direction guess = guess(name);
                if (guess != Metric.Direction.UNKNOWN) {
                    set(guess == Metric.Direction.UP);
                }
            }
            default -> throw new IllegalArgumentException(who + ": expected mode \"auto\", \"min\" or \"max\", got \"" + mode
                    + "\"");
        }
    }

    private void set(boolean max) {
        maximize = max;
        known = true;
    }

    private static Metric.Direction guess(String name) {
        String base = name.startsWith("val_") ? name.substring(4) : name;
        if (base.equals("loss") || base.endsWith("_error")) {
            return Metric.Direction.DOWN;
        }
        if (base.endsWith("accuracy") || base.equals("auc") || base.equals("precision") || base.equals("recall")) {
            return Metric.Direction.UP;
        }
        return Metric.Direction.UNKNOWN;
    }

    /** In mode auto, takes the direction of the compiled metric (or of the loss). */
    void resolve(String who, Metric.Direction direction) {
        if (!mode.equals("auto")) {
            return;
        }
        if (direction == Metric.Direction.UNKNOWN) {
            throw new IllegalArgumentException("fit: " + who + " monitors '" + name + "', a metric that does not say"
                    + " whether larger is better (Metric.direction() is UNKNOWN): pass mode \"max\" or \"min\"");
        }
        set(direction == Metric.Direction.UP);
    }

    boolean maximize(String who) {
        if (!known) {
            throw new IllegalStateException(who + " monitors '" + name + "' in mode auto and was not started by fit,"
                    + " so it cannot tell whether larger is better: pass mode \"max\" or \"min\"");
        }
        return maximize;
    }
}
