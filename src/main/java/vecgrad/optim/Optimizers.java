package vecgrad.optim;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * Rebuilds a built-in optimizer from its class name and {@link Optimizer#config()}, as Keras'
 * {@code Optimizer.from_config} (keras/src/optimizers/base_optimizer.py, {@code get_config} /
 * {@code from_config}): what a whole-model file needs to give back a compiled model.
 *
 * <pre>{@code
 * Optimizer copy = Optimizers.fromConfig(Optimizers.className(adam), adam.config());
 * }</pre>
 */
public final class Optimizers {

    /*
     * A config is read strictly: an unknown key is refused (a misspelt setting would otherwise be
     * dropped silently), a missing key takes Keras' default (as cls(**config) does), and every value
     * goes through the builder's own checks, so a bad hyper-parameter is refused with the builder's
     * message, prefixed by the class name. The "name" key must be the one the class writes: the names
     * of the optimizer's saved state ("adam/momentum_...") derive from it.
     */

    private static final Set<String> COMMON = Set.of("name", "learning_rate", "weight_decay", "clipnorm",
            "global_clipnorm", "clipvalue");

    private Optimizers() {
    }

    /**
     * Whether {@code optimizer} is one of the library's optimizers, which {@link #fromConfig} rebuilds.
     *
     * @param optimizer an optimizer
     * @return true for SGD, Adam, AdamW, RMSprop, Adagrad, Nadam and Adamax; false for one of your own
     * @throws NullPointerException if {@code optimizer} is null
     */
    public static boolean isBuiltin(Optimizer optimizer) {
        return Objects.requireNonNull(optimizer, "optimizer") instanceof BaseOptimizer;
    }

    /**
     * The class name {@link #fromConfig} takes for a built-in optimizer (Keras' {@code class_name}).
     *
     * @param optimizer a built-in optimizer
     * @return its simple class name, e.g. {@code "Adam"}
     * @throws IllegalArgumentException if the optimizer is not one of the library's, or its learning-rate
     *     schedule is not one of the library's (then {@link #fromConfig} could not rebuild it)
     * @throws NullPointerException if {@code optimizer} is null
     */
    public static String className(Optimizer optimizer) {
        if (!isBuiltin(optimizer)) {
            throw new IllegalArgumentException("Optimizers.className: expected one of the library's optimizers (SGD,"
                    + " Adam, AdamW, RMSprop, Adagrad, Nadam, Adamax), got a " + optimizer.getClass().getName());
        }
        LearningRateSchedule schedule = ((BaseOptimizer) optimizer).learningRateSchedule();
        if (schedule != null && !LearningRateSchedule.isBuiltin(schedule)) {
            throw new IllegalArgumentException("Optimizers.className: the optimizer's learning-rate schedule is a "
                    + schedule.getClass().getName() + ", not one of the library's schedules, so it cannot be rebuilt"
                    + " from a config");
        }
        return optimizer.getClass().getSimpleName();
    }

    /**
     * A new optimizer of class {@code className} with the settings of {@code config}, in the form
     * {@link Optimizer#config()} gives (a schedule as {@code {"class_name": ..., "config": {...}}}); a key
     * left out takes Keras' default. The new optimizer has taken no step: load a saved state into it with
     * {@link Optimizer#loadVariables}.
     *
     * @param className one of {@code SGD}, {@code Adam}, {@code AdamW}, {@code RMSprop}, {@code Adagrad},
     *                  {@code Nadam}, {@code Adamax}
     * @param config    the settings by Keras' names, numbers as Long or Double (as {@code vecgrad.io.Json} reads them)
     * @return the optimizer
     * @throws IllegalArgumentException if the class is unknown, a key is unknown or of the wrong type, or a
     *     value is out of range (naming the class and the key)
     * @throws NullPointerException if an argument is null
     */
    public static Optimizer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(config, "config");
        ConfigValues c = new ConfigValues(className, config);
        try {
            return switch (className) {
                case "SGD" -> {
                    SGD.Builder b = common(c, "sgd", SGD.builder(), Set.of("momentum", "nesterov"));
                    num(c, "momentum", b::momentum);
                    yield b.nesterov(c.bool("nesterov", false)).build();
                }
                case "Adam" -> adam(c, "adam", Adam.builder()).build();
                case "AdamW" -> adam(c, "adamw", AdamW.builder()).build();
                case "RMSprop" -> {
                    RMSprop.Builder b = common(c, "rmsprop", RMSprop.builder(),
                            Set.of("rho", "momentum", "epsilon", "centered"));
                    num(c, "rho", b::rho);
                    num(c, "momentum", b::momentum);
                    num(c, "epsilon", b::epsilon);
                    yield b.centered(c.bool("centered", false)).build();
                }
                case "Adagrad" -> {
                    Adagrad.Builder b = common(c, "adagrad", Adagrad.builder(),
                            Set.of("initial_accumulator_value", "epsilon"));
                    num(c, "initial_accumulator_value", b::initialAccumulatorValue);
                    num(c, "epsilon", b::epsilon);
                    yield b.build();
                }
                case "Nadam" -> moments(c, "nadam", Nadam.builder(), Set.of()).build();
                case "Adamax" -> moments(c, "adamax", Adamax.builder(), Set.of()).build();
                default -> throw new IllegalArgumentException("unknown optimizer class; expected one of SGD, Adam,"
                        + " AdamW, RMSprop, Adagrad, Nadam, Adamax (an optimizer of your own cannot be rebuilt from a"
                        + " config)");
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(className + ": ") ? e : c.wrap(e);
        }
    }

    private static <B extends AdamFamily.Builder<B>> B adam(ConfigValues c, String key, B b) {
        return moments(c, key, b, Set.of("amsgrad")).amsgrad(c.bool("amsgrad", false));
    }

    private static <B extends MomentsBuilder<B>> B moments(ConfigValues c, String key, B b, Set<String> more) {
        Set<String> own = new java.util.HashSet<>(Set.of("beta_1", "beta_2", "epsilon"));
        own.addAll(more);
        common(c, key, b, own);
        num(c, "beta_1", b::beta1);
        num(c, "beta_2", b::beta2);
        num(c, "epsilon", b::epsilon);
        return b;
    }

    /** Reads the settings every optimizer shares into {@code b}, after refusing unknown keys. */
    private static <B extends OptimizerBuilder<B>> B common(ConfigValues c, String key, B b, Set<String> own) {
        Set<String> known = new java.util.HashSet<>(COMMON);
        known.addAll(own);
        c.onlyKeys(known);
        c.fixedName("name", key);
        Object rate = c.raw("learning_rate");
        if (rate instanceof Map<?, ?> m) {
            b.learningRate(schedule(c, m));
        } else {
            num(c, "learning_rate", b::learningRate);
        }
        if (!c.isNone("weight_decay")) {
            b.weightDecay(c.number("weight_decay", 0));
        } else if (c.has("weight_decay")) {
            b.weightDecay(0); // None: no decay (AdamW's builder would otherwise keep its default)
        }
        for (String clip : new String[] {"clipnorm", "global_clipnorm", "clipvalue"}) {
            if (!c.isNone(clip)) {
                double v = c.number(clip, Double.NaN);
                switch (clip) {
                    case "clipnorm" -> b.clipnorm(v);
                    case "global_clipnorm" -> b.globalClipnorm(v);
                    default -> b.clipvalue(v);
                }
            }
        }
        return b;
    }

    /** Sets a number when the key is present; an absent key keeps the builder's (Keras') default. */
    private static void num(ConfigValues c, String key, DoubleConsumer set) {
        if (c.has(key)) {
            set.accept(c.number(key, Double.NaN));
        }
    }

    @SuppressWarnings("unchecked")
    private static LearningRateSchedule schedule(ConfigValues c, Map<?, ?> m) {
        if (!(m.get("class_name") instanceof String name)) {
            throw new IllegalArgumentException("expected 'learning_rate' to be a number or {\"class_name\": ..., "
                    + "\"config\": {...}}, got class_name " + ConfigValues.describe(m.get("class_name")));
        }
        if (!(m.get("config") instanceof Map<?, ?> config)) {
            throw new IllegalArgumentException("expected the learning-rate schedule's 'config' to be an object, got "
                    + ConfigValues.describe(m.get("config")));
        }
        try {
            return LearningRateSchedule.fromConfig(name, (Map<String, Object>) config);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("learning_rate: " + e.getMessage(), e);
        }
    }
}
