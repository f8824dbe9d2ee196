package vecgrad.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Parameter checks and config maps shared by the learning-rate schedules. */
final class Schedules {

    private Schedules() {
    }


    static double nonNegative(String schedule, String name, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(schedule + ": " + name + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    static double positive(String schedule, String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(schedule + ": " + name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static long positiveSteps(String schedule, String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(schedule + ": " + name + " must be > 0, got " + value);
        }
        return value;
    }

    static void step(String schedule, long step) {
        if (step < 0) {
            throw new IllegalArgumentException(schedule + ": step must be >= 0, got " + step);
        }
    }

    /** An unmodifiable map of alternating keys and values, in order. */
    static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
