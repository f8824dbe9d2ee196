package vecgrad.optim;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads from a config map as {@code vecgrad.io.Json} gives it back (Long for integers, Double
 * for other numbers), each failure naming the owner and the key, and a check that no key is unknown.
 */
final class ConfigValues {

    private final String owner;
    private final Map<String, Object> config;

    ConfigValues(String owner, Map<String, Object> config) {
        this.owner = owner;
        this.config = config;
    }

    /** Refuses a key outside {@code known}: a misspelt setting must not be silently dropped. */
    void onlyKeys(Set<String> known) {
        Set<String> extra = new LinkedHashSet<>(config.keySet());
        extra.removeAll(known);
        if (!extra.isEmpty()) {
            throw new IllegalArgumentException(owner + ": unknown config key(s) " + extra + "; expected some of " + known);
        }
    }

    boolean has(String key) {
        return config.containsKey(key);
    }

    /** Whether the key is absent or JSON null (Keras' None). */
    boolean isNone(String key) {
        return config.get(key) == null;
    }

    Object raw(String key) {
        return config.get(key);
    }

    double number(String key, double absent) {
        Object v = config.get(key);
        if (!config.containsKey(key)) {
            return absent;
        }
        if (!(v instanceof Number n) || v instanceof Float) {
            throw new IllegalArgumentException(owner + ": expected '" + key + "' to be a number, got " + describe(v));
        }
        return n.doubleValue();
    }

    long whole(String key, long absent) {
        if (!config.containsKey(key)) {
            return absent;
        }
        Object v = config.get(key);
        if (v instanceof Long l) {
            return l;
        }
        // Keras (Python) may write 1000.0 for a step count; a whole double is read as that count.
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) <= (1L << 53)) {
            return (long) (double) d;
        }
        throw new IllegalArgumentException(owner + ": expected '" + key + "' to be a whole number, got " + describe(v));
    }

    boolean bool(String key, boolean absent) {
        if (!config.containsKey(key)) {
            return absent;
        }
        if (!(config.get(key) instanceof Boolean b)) {
            throw new IllegalArgumentException(owner + ": expected '" + key + "' to be true or false, got "
                    + describe(config.get(key)));
        }
        return b;
    }

    /** A string that, when present, must be exactly {@code expected} (the name a class always writes). */
    void fixedName(String key, String expected) {
        if (config.containsKey(key) && !expected.equals(config.get(key))) {
            throw new IllegalArgumentException(owner + ": expected '" + key + "' to be \"" + expected + "\" (the only "
                    + "name this class takes), got " + describe(config.get(key)));
        }
    }

    List<?> list(String key) {
        Object v = config.get(key);
        if (!(v instanceof List<?> l)) {
            throw new IllegalArgumentException(owner + ": expected '" + key + "' to be a list, got " + describe(v));
        }
        return l;
    }

    /** Rethrows a constructor's or builder's complaint with the owner in front. */
    IllegalArgumentException wrap(IllegalArgumentException e) {
        return new IllegalArgumentException(owner + ": " + e.getMessage(), e);
    }

    static String describe(Object v) {
        if (v == null) {
            return "nothing (or null)";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "a list";
        }
        String s = v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
        return s.length() <= 60 ? s : s.substring(0, 60) + "\u2026";
    }
}
