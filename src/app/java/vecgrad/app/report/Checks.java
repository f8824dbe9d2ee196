package vecgrad.app.report;

import java.util.Objects;

/** Argument checks shared by the records; messages say what was expected and what came. */
final class Checks {

    private Checks() {
    }

    static void positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("expected " + what + " > 0, got " + value);
        }
    }

    static void fractionOrNaN(String what, double value) {
        if (!Double.isNaN(value) && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("expected " + what + " in [0, 1] (or NaN if unknown), got " + value);
        }
    }

    static void name(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("expected a non-blank " + what + ", got '" + value + "'");
        }
    }

    static void label(String what, int label) {
        if (label < 0 || label >= RunConfig.CLASSES) {
            throw new IllegalArgumentException("expected " + what + " in 0..9, got " + label);
        }
    }
}
