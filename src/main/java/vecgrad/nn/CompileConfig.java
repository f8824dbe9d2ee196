package vecgrad.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vecgrad.io.Json;
import vecgrad.optim.Optimizer;
import vecgrad.optim.Optimizers;

/**
 * A compiled model's settings in a whole-model file: the optimizer (class and config, its schedule
 * inside), the loss and the metrics, written by {@link ModelFiles#save} and read back by
 * {@link ModelFiles#load}.
 */
final class CompileConfig {

    /*
     * Keras 3 keeps the same under "compile_config" beside the model's config
     * (keras/src/trainers/trainer.py, get_compile_config / compile_from_config; saving_lib.py writes
     * it into config.json). Keras serialises a loss or metric given by name as that string, and one
     * given as an object as {"module", "class_name", "config"}; ours are always objects with a "name"
     * and the settings the library's losses and metrics have (from_logits, Huber's delta, a threshold,
     * k), since "accuracy" alone would not say from_logits. Only the library's own optimizers,
     * schedules, losses and metrics can be rebuilt: save refuses anything else, naming it, unless the
     * caller asks for the architecture and weights alone.
     */

    /** What a file's compile config gives back. */
    record Compiled(Optimizer optimizer, Loss loss, List<Metric> metrics, List<Metric> weightedMetrics) {
    }

    private CompileConfig() {
    }

    /** The compile config of a compiled model; throws, naming the part, if load could not rebuild it. */
    static Map<String, Object> of(Sequential model) {
        Optimizer optimizer = model.optimizer();
        String className;
        try {
            className = Optimizers.className(optimizer);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("save: the model's optimizer cannot be saved: " + e.getMessage()
                    + "; call save(path, false) to save the architecture and weights only");
        }
        Map<String, Object> optimizerConfig = optimizer.config();
        Map<String, Object> read = roundTrip(optimizerConfig);
        String again = Json.write(Optimizers.fromConfig(className, read).config());
        if (!again.equals(Json.write(optimizerConfig))) {
            throw new IllegalStateException("save: " + className + " rebuilt from its config states " + again
                    + ", not " + Json.write(optimizerConfig));
        }
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("class_name", className);
        opt.put("config", optimizerConfig);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", opt);
        c.put("loss", lossConfig(model.loss()));
        c.put("metrics", metricConfigs(model.compiledMetrics(), model));
        c.put("weighted_metrics", metricConfigs(model.compiledWeightedMetrics(), model));
        return c;
    }

    /** A new optimizer from the compile config {@link #of} wrote. */
    @SuppressWarnings("unchecked")
    static Optimizer rebuildOptimizer(Map<String, Object> compileConfig) {
        Map<String, Object> opt = (Map<String, Object>) compileConfig.get("optimizer");
        return Optimizers.fromConfig((String) opt.get("class_name"), roundTrip((Map<String, Object>) opt.get("config")));
    }

    private static Map<String, Object> lossConfig(Loss loss) {
        if (!(loss instanceof BuiltinLoss b)) {
            throw new IllegalArgumentException("save: the loss '" + loss.name() + "' (" + loss.getClass().getName()
                    + ") is not one of the library's, so load could not rebuild it; call save(path, false) to save"
                    + " the architecture and weights only");
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", b.name());
        c.put("from_logits", b.fromLogits());
        if (!Float.isNaN(b.delta())) {
            c.put("delta", (double) b.delta());
        }
        return c;
    }

    private static List<Object> metricConfigs(List<Metric> metrics, Sequential model) {
        List<Object> out = new ArrayList<>();
        for (Metric m : metrics) {
            if (!(m instanceof BuiltinMetric b)) {
                throw new IllegalArgumentException("save: the metric '" + m.name() + "' (" + m.getClass().getName()
                        + ") is not one of the library's, so load could not rebuild it; call save(path, false) to"
                        + " save the architecture and weights only");
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", b.name());
            c.putAll(b.settings());
            out.add(c);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> roundTrip(Map<String, Object> config) {
        return (Map<String, Object>) Json.read(Json.write(config));
    }

    /** The optimizer, loss and metrics of a file's compile config; {@code where} names the file. */
    static Compiled read(String where, Map<String, Object> c) {
        String at = where + "compile_config: ";
        for (String key : c.keySet()) {
            if (!List.of("optimizer", "loss", "metrics", "weighted_metrics").contains(key)) {
                throw new IllegalArgumentException(at + "unknown key '" + key + "'; expected optimizer, loss, metrics,"
                        + " weighted_metrics");
            }
        }
        Map<String, Object> opt = object(at, "'optimizer'", c.get("optimizer"));
        if (!(opt.get("class_name") instanceof String className)) {
            throw new IllegalArgumentException(at + "expected a string 'optimizer.class_name', got "
                    + ConfigText.describe(opt.get("class_name")));
        }
        Map<String, Object> optConfig = object(at, "'optimizer.config'", opt.get("config"));
        Optimizer optimizer;
        try {
            optimizer = Optimizers.fromConfig(className, optConfig);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + "optimizer: " + e.getMessage(), e);
        }
        Loss loss = loss(at + "loss: ", object(at, "'loss'", c.get("loss")));
        return new Compiled(optimizer, loss, metrics(at + "metrics", c.get("metrics")),
                metrics(at + "weighted_metrics", c.get("weighted_metrics")));
    }

    private static Loss loss(String at, Map<String, Object> c) {
        if (!(c.get("name") instanceof String name)) {
            throw new IllegalArgumentException(at + "expected a string 'name', got " + ConfigText.describe(c.get("name")));
        }
        boolean fromLogits = false;
        if (c.containsKey("from_logits")) {
            if (!(c.get("from_logits") instanceof Boolean b)) {
                throw new IllegalArgumentException(at + "expected 'from_logits' to be true or false, got "
                        + ConfigText.describe(c.get("from_logits")));
            }
            fromLogits = b;
        }
        boolean logitsAllowed = List.of("categorical_crossentropy", "sparse_categorical_crossentropy",
                "binary_crossentropy").contains(name);
        if (fromLogits && !logitsAllowed) {
            throw new IllegalArgumentException(at + "'from_logits' is true, but " + name + " takes no logits");
        }
        for (String key : c.keySet()) {
            if (!List.of("name", "from_logits").contains(key) && !(key.equals("delta") && name.equals("huber"))) {
                throw new IllegalArgumentException(at + "unknown key '" + key + "' for loss " + name);
            }
        }
        try {
            return switch (name) {
                case "categorical_crossentropy" -> Loss.categoricalCrossentropy(fromLogits);
                case "sparse_categorical_crossentropy" -> Loss.sparseCategoricalCrossentropy(fromLogits);
                case "binary_crossentropy" -> Loss.binaryCrossentropy(fromLogits);
                case "mean_squared_error" -> Loss.meanSquaredError();
                case "mean_absolute_error" -> Loss.meanAbsoluteError();
                case "huber" -> Loss.huber(c.containsKey("delta") ? (float) number(at, "delta", c.get("delta")) : 1f);
                case "log_cosh" -> Loss.logCosh();
                case "kl_divergence" -> Loss.klDivergence();
                case "hinge" -> Loss.hinge();
                default -> throw new IllegalArgumentException("unknown loss '" + ConfigText.cut(name) + "'; expected"
                        + " one of categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy,"
                        + " mean_squared_error, mean_absolute_error, huber, log_cosh, kl_divergence, hinge");
            };
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(at) ? e : new IllegalArgumentException(at + e.getMessage(), e);
        }
    }

    private static List<Metric> metrics(String at, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(at + ": expected a list, got " + ConfigText.describe(value));
        }
        List<Metric> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String here = at + "[" + i + "]: ";
            Map<String, Object> c = object(here, "the metric", list.get(i));
            if (!(c.get("name") instanceof String name)) {
                throw new IllegalArgumentException(here + "expected a string 'name', got "
                        + ConfigText.describe(c.get("name")));
            }
            List<String> keys = switch (name) {
                case "binary_accuracy" -> List.of("name", "threshold");
                case "top_k_categorical_accuracy" -> List.of("name", "k");
                default -> List.of("name");
            };
            for (String key : c.keySet()) {
                if (!keys.contains(key)) {
                    throw new IllegalArgumentException(here + "unknown key '" + key + "' for metric " + ConfigText.cut(name));
                }
            }
            try {
                out.add(switch (name) {
                    case "accuracy" -> Metric.accuracy();
                    case "binary_accuracy" -> c.containsKey("threshold")
                            ? Metric.binaryAccuracy(number(here, "threshold", c.get("threshold"))) : Metric.binaryAccuracy();
                    case "categorical_accuracy" -> Metric.categoricalAccuracy();
                    case "sparse_categorical_accuracy" -> Metric.sparseCategoricalAccuracy();
                    case "top_k_categorical_accuracy" -> Metric.topKCategoricalAccuracy(
                            c.containsKey("k") ? whole(here, "k", c.get("k")) : 5);
                    case "precision" -> Metric.precision();
                    case "recall" -> Metric.recall();
                    case "auc" -> Metric.auc();
                    case "mean_absolute_error" -> Metric.meanAbsoluteError();
                    case "mean_squared_error" -> Metric.meanSquaredError();
                    default -> throw new IllegalArgumentException("unknown metric '" + ConfigText.cut(name)
                            + "'; expected one of accuracy, binary_accuracy, categorical_accuracy,"
                            + " sparse_categorical_accuracy, top_k_categorical_accuracy, precision, recall, auc,"
                            + " mean_absolute_error, mean_squared_error");
                });
            } catch (IllegalArgumentException e) {
                throw e.getMessage().startsWith(here) ? e : new IllegalArgumentException(here + e.getMessage(), e);
            }
        }
        return out;
    }

    private static double number(String at, String key, Object v) {
        if (!(v instanceof Long || v instanceof Double)) {
            throw new IllegalArgumentException(at + "expected '" + key + "' to be a number, got " + ConfigText.describe(v));
        }
        return ((Number) v).doubleValue();
    }

    private static int whole(String at, String key, Object v) {
        if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(at + "expected '" + key + "' to be a whole number, got "
                    + ConfigText.describe(v));
        }
        return (int) (long) l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String at, String what, Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(at + "expected " + what + " to be a JSON object, got "
                    + ConfigText.describe(value));
        }
        return (Map<String, Object>) value;
    }

    /** Short descriptions of file values for messages. */
    private static final class ConfigText {
        static String describe(Object value) {
            if (value == null) {
                return "nothing (or null)";
            }
            if (value instanceof Map) {
                return "an object";
            }
            if (value instanceof List) {
                return "a list";
            }
            return value instanceof String s ? "\"" + cut(s) + "\"" : String.valueOf(value);
        }

        static String cut(String s) {
            return s.length() <= 60 ? s : s.substring(0, 60) + "\u2026";
        }
    }
}
