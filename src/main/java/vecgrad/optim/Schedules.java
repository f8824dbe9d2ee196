package vecgrad.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Parameter checks and config maps shared by the learning-rate schedules. */
final class Schedules {

    /** The built-in schedules, which {@link #fromConfig} rebuilds. */
    static final Set<Class<?>> BUILTIN = Set.of(ExponentialDecay.class, InverseTimeDecay.class,
            PiecewiseConstantDecay.class, PolynomialDecay.class, CosineDecay.class, CosineDecayRestarts.class);

    private Schedules() {
    }

    /*
     * As Optimizers.fromConfig: unknown keys refused, "name" must be what the class writes, absent keys
     * take Keras' defaults (keras/src/optimizers/schedules/learning_rate_schedule.py), and values go
     * through the constructors' own checks. The parameters without a Keras default are required.
     */

    /** {@link LearningRateSchedule#fromConfig}. */
    static LearningRateSchedule fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(config, "config");
        ConfigValues c = new ConfigValues(className, config);
        try {
            switch (className) {
                case "ExponentialDecay", "InverseTimeDecay" -> {
                    c.onlyKeys(Set.of("initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name"));
                    c.fixedName("name", className);
                    double lr = required(c, "initial_learning_rate");
                    long steps = requiredWhole(c, "decay_steps");
                    double rate = required(c, "decay_rate");
                    boolean staircase = c.bool("staircase", false);
                    return className.equals("ExponentialDecay") ? new ExponentialDecay(lr, steps, rate, staircase)
                            : new InverseTimeDecay(lr, steps, rate, staircase);
                }
                case "PiecewiseConstantDecay" -> {
                    c.onlyKeys(Set.of("boundaries", "values", "name"));
                    c.fixedName("name", "PiecewiseConstant");
                    List<?> b = c.list("boundaries");
                    List<?> v = c.list("values");
                    long[] boundaries = new long[b.size()];
                    for (int i = 0; i < boundaries.length; i++) {
                        boundaries[i] = new ConfigValues(className, Map.of("boundaries[" + i + "]", b.get(i)))
                                .whole("boundaries[" + i + "]", 0);
                    }
                    double[] values = new double[v.size()];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = new ConfigValues(className, Map.of("values[" + i + "]", v.get(i)))
                                .number("values[" + i + "]", 0);
                    }
                    return new PiecewiseConstantDecay(boundaries, values);
                }
                case "PolynomialDecay" -> {
                    c.onlyKeys(Set.of("initial_learning_rate", "decay_steps", "end_learning_rate", "power", "cycle",
                            "name"));
                    c.fixedName("name", className);
                    return new PolynomialDecay(required(c, "initial_learning_rate"), requiredWhole(c, "decay_steps"),
                            c.number("end_learning_rate", 1e-4), c.number("power", 1.0), c.bool("cycle", false));
                }
                case "CosineDecay" -> {
                    c.onlyKeys(Set.of("initial_learning_rate", "decay_steps", "alpha", "warmup_target",
                            "warmup_steps", "name"));
                    c.fixedName("name", className);
                    Double target = c.isNone("warmup_target") ? null : c.number("warmup_target", 0);
                    return new CosineDecay(required(c, "initial_learning_rate"), requiredWhole(c, "decay_steps"),
                            c.number("alpha", 0.0), target, c.whole("warmup_steps", 0));
                }
                case "CosineDecayRestarts" -> {
                    c.onlyKeys(Set.of("initial_learning_rate", "first_decay_steps", "t_mul", "m_mul", "alpha",
                            "name"));
                    c.fixedName("name", "SGDRDecay");
                    return new CosineDecayRestarts(required(c, "initial_learning_rate"),
                            requiredWhole(c, "first_decay_steps"), c.number("t_mul", 2.0), c.number("m_mul", 1.0),
                            c.number("alpha", 0.0));
                }
                default -> throw new IllegalArgumentException("unknown learning-rate schedule class; expected one of"
                        + " ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay,"
                        + " CosineDecayRestarts (a schedule of your own cannot be rebuilt from a config)");
            }
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(className + ": ") ? e : c.wrap(e);
        }
    }

    private static double required(ConfigValues c, String key) {
        if (!c.has(key)) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return c.number(key, Double.NaN);
    }

    private static long requiredWhole(ConfigValues c, String key) {
        if (!c.has(key)) {
            throw new IllegalArgumentException("missing '" + key + "'");
        }
        return c.whole(key, 0);
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
