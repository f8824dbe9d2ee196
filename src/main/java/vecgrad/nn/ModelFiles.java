package vecgrad.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vecgrad.io.Json;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.io.StoredDtype;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * {@link Sequential}'s files: the weights alone ({@code saveWeights}, {@code loadWeights}, also of
 * vecgrad 0.1) and the whole model with its architecture ({@code save}, {@code load}), both as
 * safetensors. The model's entry points have checked their arguments for null.
 */
final class ModelFiles {

    /*
     * The saved architecture follows Keras' serialization_lib.serialize_keras_object
     * (keras/src/saving/serialization_lib.py): {"class_name": ..., "config": {...}} for the model and
     * for each layer, the layer's config holding its name and its get_config() settings. Our own
     * format_version guards the reader: a file of a later format is refused, not misread.
     */

    /** The version of the architecture JSON this library writes and reads. */
    private static final int FORMAT_VERSION = 1;

    private ModelFiles() {
    }

    /** {@link Sequential#saveWeights}: the weights and the architecture's one-line name. */
    static void saveWeights(Sequential model, Path file) throws IOException {
        write(model, "saveWeights", file, null);
    }

    /**
     * The prefix of the optimizer's state among the tensors of a whole-model file. Layer names hold no
     * '/', so a layer weight is "LAYER/WEIGHT" and never "optimizer/adam/...".
     */
    static final String OPTIMIZER_PREFIX = "optimizer/";

    /**
     * {@link Sequential#save}: the weights, and the architecture as JSON in the metadata; with
     * {@code includeOptimizer} and a compiled model, also the compile config and, once the optimizer
     * has stepped, its state (as Keras' include_optimizer in keras/src/legacy/saving/legacy_h5_format.py).
     */
    static void save(Sequential model, Path file, boolean includeOptimizer) throws IOException {
        boolean compiled = includeOptimizer && model.optimizer() != null;
        Map<String, Object> compileConfig = compiled ? CompileConfig.of(model) : null;
        Map<String, Tensor> state = Map.of();
        if (compiled && model.optimizer().iterations() > 0) {
            state = model.optimizer().variables();
            // As load will: into an optimizer rebuilt from the config, for this model's trainable variables.
            // An optimizer that also stepped other variables, or not all of these, would not load back.
            Optimizer probe = CompileConfig.rebuildOptimizer(compileConfig);
            try {
                probe.loadVariables(model.trainableVariables(), state);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("save: the optimizer's state is not that of this model's trainable"
                        + " variables (an optimizer shared with another model, or one that stepped only some of"
                        + " them), so load could not put it back: " + e.getMessage()
                        + "; call save(path, false) to save the architecture and weights only", e);
            }
        }
        write(model, "save", file, modelConfigJson(model, compileConfig), state);
    }

    /** Writes the weights, and the architecture's JSON when {@code modelJson} is not null. */
    private static void write(Sequential model, String method, Path file, String modelJson) throws IOException {
        write(model, method, file, modelJson, Map.of());
    }

    /** Writes the weights, the optimizer's state under {@link #OPTIMIZER_PREFIX}, and the JSON if any. */
    private static void write(Sequential model, String method, Path file, String modelJson,
                              Map<String, Tensor> optimizerState) throws IOException {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Variable v : model.variables()) {
            NonFiniteException.requireFinite(method + " " + file + ": ", v.name(), v);
            named.put(v.name(), v);
        }
        for (Map.Entry<String, Tensor> e : optimizerState.entrySet()) {
            String key = OPTIMIZER_PREFIX + e.getKey();
            NonFiniteException.requireFinite(method + " " + file + ": ", key, e.getValue());
            if (named.put(key, e.getValue()) != null) {
                throw new IllegalStateException(method + ": the optimizer's state '" + key + "' has a weight's name");
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "vecgrad");
        meta.put("architecture", model.architecture());
        if (modelJson != null) {
            meta.put(Sequential.MODEL_KEY, modelJson);
        }
        SafeTensors.write(file, named, meta);
    }

    /** The architecture as JSON, each layer checked to come back from its config as it is. */
    private static String modelConfigJson(Sequential model, Map<String, Object> compileConfig) {
        List<Layer> layers = model.layers();
        List<Object> layerConfigs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            String where = "layer " + (i + 1) + " (" + layer.name() + ")";
            String className = LayerRegistry.className(layer);
            if (!LayerRegistry.isRegistered(className)) {
                throw new IllegalArgumentException("save: " + where + " is a " + className + ", which load could not"
                        + " rebuild: register it first, LayerRegistry.register(\"" + className + "\", config -> new "
                        + className + "(...))");
            }
            Map<String, Object> own = Objects.requireNonNull(layer.config(), className + ".config()");
            if (own.containsKey("name")) {
                throw new IllegalArgumentException("save: " + where + ": " + className + ".config() must not hold"
                        + " 'name'; the model adds it");
            }
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("name", layer.name());
            config.putAll(own);
            String ownJson = Json.write(own);
            // Through JSON and back, as load will see it: the rebuilt layer must state the same config.
            @SuppressWarnings("unchecked")
            Map<String, Object> read = (Map<String, Object>) Json.read(Json.write(config));
            Layer rebuilt = LayerRegistry.create(className, read, "save: " + where);
            String rebuiltJson = Json.write(rebuilt.config());
            if (!rebuiltJson.equals(ownJson)) {
                throw new IllegalArgumentException("save: " + where + ": the factory registered for " + className
                        + " rebuilds a layer whose config is " + cut(rebuiltJson) + ", not " + cut(ownJson)
                        + "; load would not give this model back");
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("class_name", className);
            entry.put("config", config);
            layerConfigs.add(entry);
        }
        Map<String, Object> modelConfig = new LinkedHashMap<>();
        modelConfig.put("name", Sequential.NAME);
        modelConfig.put("input_shape", model.inputShape());
        modelConfig.put("layers", layerConfigs);
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("class_name", "Sequential");
        root.put("config", modelConfig);
        if (compileConfig != null) {
            root.put("compile_config", compileConfig);
        }
        root.put("format_version", FORMAT_VERSION);
        return Json.write(root);
    }

    /** {@link Sequential#load}: the model of a file's architecture, with the file's weights. */
    static Sequential load(Path file) throws IOException {
        SafeTensorsContents contents = SafeTensors.read(file);
        String json = contents.metadata().get(Sequential.MODEL_KEY);
        if (json == null) {
            throw new IllegalArgumentException(file + " holds weights only (no '" + Sequential.MODEL_KEY + "' metadata):"
                    + " build the model in code and call loadWeights, or write the file with save");
        }
        Sequential model = fromConfigJson(file + ": ", json);
        loadWeights(model, file, contents);
        Object compile = ((Map<?, ?>) Json.read(json)).get("compile_config");
        if (compile != null) {
            compile(model, file, object(file + ": ", "'compile_config'", compile), contents);
        } else if (contents.tensors().keySet().stream().anyMatch(k -> k.startsWith(OPTIMIZER_PREFIX))) {
            throw new IllegalArgumentException(file + ": holds optimizer state ('" + OPTIMIZER_PREFIX + "...' tensors)"
                    + " but no 'compile_config' naming the optimizer it belongs to");
        }
        return model;
    }

    /*
     * A compiled model comes back as Keras' load_model gives it (keras/src/saving/saving_lib.py: the
     * model is compiled from compile_config, then the optimizer is built for the trainable variables and
     * its saved variables are loaded): the optimizer rebuilt from its class and config, the state of
     * every slot and the iteration count put back, so the next step is the one the saved optimizer
     * would have taken. A file saved before the first step holds no state: the optimizer starts fresh.
     */
    private static void compile(Sequential model, Path file, Map<String, Object> config, SafeTensorsContents contents) {
        String where = file + ": ";
        CompileConfig.Compiled c = CompileConfig.read(where, config);
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
            if (e.getKey().startsWith(OPTIMIZER_PREFIX)) {
                if (contents.dtype(e.getKey()) != StoredDtype.F32) {
                    throw new IllegalArgumentException(where + "optimizer state '" + cut(e.getKey()) + "' is "
                            + contents.dtype(e.getKey()) + ", expected F32");
                }
                state.put(e.getKey().substring(OPTIMIZER_PREFIX.length()), e.getValue());
            }
        }
        if (!state.isEmpty()) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) {
                NonFiniteException.requireFinite(where, OPTIMIZER_PREFIX + e.getKey(), e.getValue());
            }
            try {
                c.optimizer().loadVariables(model.trainableVariables(), state);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "the optimizer state ('" + OPTIMIZER_PREFIX + "...' tensors)"
                        + " does not fit the model: " + e.getMessage(), e);
            }
        }
        try {
            model.compile(c.optimizer(), c.loss(), c.metrics(), c.weightedMetrics());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "compile_config: " + e.getMessage(), e);
        }
    }

    /** A model of the architecture in {@code json}, with freshly drawn weights. */
    private static Sequential fromConfigJson(String where, String json) {
        Object parsed;
        try {
            parsed = Json.read(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "the model's architecture ('" + Sequential.MODEL_KEY + "') is "
                    + e.getMessage(), e);
        }
        Map<String, Object> root = object(where, "the model's architecture", parsed);
        Object version = root.get("format_version");
        if (!(version instanceof Long v) || v < 1) {
            throw new IllegalArgumentException(where + "expected a positive integer 'format_version' in the model's"
                    + " architecture, got " + describe(version));
        }
        if (v > FORMAT_VERSION) {
            throw new IllegalArgumentException(where + "the model's architecture is of format_version " + v
                    + "; this library reads format_version " + FORMAT_VERSION + ": load it with a newer vecgrad");
        }
        if (!"Sequential".equals(root.get("class_name"))) {
            throw new IllegalArgumentException(where + "expected a model of class_name \"Sequential\", got "
                    + describe(root.get("class_name")));
        }
        Map<String, Object> config = object(where, "'config'", root.get("config"));
        Object shapeValue = config.get("input_shape");
        if (!(shapeValue instanceof List<?> shapeList) || shapeList.isEmpty()) {
            throw new IllegalArgumentException(where + "expected 'input_shape' to be a non-empty list of sizes, got "
                    + describe(shapeValue));
        }
        int[] inputShape = new int[shapeList.size()];
        for (int i = 0; i < inputShape.length; i++) {
            if (!(shapeList.get(i) instanceof Long d) || d < 1 || d > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(where + "expected 'input_shape' to be a list of sizes >= 1, got "
                        + describe(shapeValue));
            }
            inputShape[i] = (int) (long) d;
        }
        Object layersValue = config.get("layers");
        if (!(layersValue instanceof List<?> layerList) || layerList.isEmpty()) {
            throw new IllegalArgumentException(where + "expected 'layers' to be a non-empty list, got "
                    + describe(layersValue));
        }
        Layer[] rebuilt = new Layer[layerList.size()];
        String[] names = new String[rebuilt.length];
        for (int i = 0; i < rebuilt.length; i++) {
            String at = where + "layer " + (i + 1);
            Map<String, Object> entry = object(where, "layer " + (i + 1), layerList.get(i));
            if (!(entry.get("class_name") instanceof String className)) {
                throw new IllegalArgumentException(at + ": expected a string 'class_name', got "
                        + describe(entry.get("class_name")));
            }
            Map<String, Object> layerConfig = object(where, "layer " + (i + 1) + "'s 'config'", entry.get("config"));
            if (!(layerConfig.get("name") instanceof String name)) {
                throw new IllegalArgumentException(at + ": expected a string 'name' in its config, got "
                        + describe(layerConfig.get("name")));
            }
            names[i] = name;
            rebuilt[i] = LayerRegistry.create(className, layerConfig, at + " (" + cut(name) + ")");
        }
        Sequential model;
        try {
            model = new Sequential(inputShape, 0L, rebuilt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "the saved layers do not form a model: " + e.getMessage(), e);
        }
        for (int i = 0; i < rebuilt.length; i++) {
            if (!rebuilt[i].name().equals(names[i])) {
                throw new IllegalArgumentException(where + "layer " + (i + 1) + " is named '" + cut(names[i])
                        + "' in the file but '" + rebuilt[i].name() + "' when rebuilt: a layer of your own with a"
                        + " name should be made with config.name()");
            }
        }
        return model;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String where, String what, Object value) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + "expected " + what + " to be a JSON object, got " + describe(value));
        }
        return (Map<String, Object>) value;
    }

    private static String describe(Object value) {
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

    /** A name or value from a file, cut to 60 characters so that a message stays one short line. */
    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "\u2026";
    }

    /**
     * {@link Sequential#loadWeights}: checks everything in {@code contents} against the model, then
     * assigns the weights, all or nothing.
     */
    static void loadWeights(Sequential model, Path file, SafeTensorsContents contents) {
        List<Variable> variables = model.variables();
        List<String> problems = new ArrayList<>();
        List<Tensor> weights = new ArrayList<>();
        List<String> names = namesInFile(model, contents);
        for (int i = 0; i < variables.size(); i++) {
            Variable v = variables.get(i);
            String key = names.get(i);
            Tensor t = contents.tensors().get(key);
            if (t == null) {
                problems.add("missing " + key + " " + v.shapeString());
                continue;
            }
            if (contents.dtype(key) != StoredDtype.F32) {
                problems.add(key + " is " + contents.dtype(key) + ", expected F32");
            }
            if (!t.sameShape(v)) {
                problems.add(key + " has shape " + t.shapeString() + ", expected " + v.shapeString());
            }
            weights.add(t);
        }
        for (String name : contents.tensors().keySet()) {
            if (!names.contains(name) && !name.startsWith(OPTIMIZER_PREFIX)) {
                problems.add("unexpected tensor " + cut(name));
            }
        }
        String declared = contents.metadata().get("architecture");
        if (declared != null && !declared.equals(model.architecture())) {
            problems.add("its architecture metadata is '" + cut(declared) + "'");
        }
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 5); // a hostile file can hold thousands of problems: one line stays short
            throw new IllegalArgumentException(file + " does not fit this model (" + model.architecture() + "): "
                    + String.join("; ", problems.subList(0, shown))
                    + (shown < problems.size() ? "; and " + (problems.size() - shown) + " more" : ""));
        }
        for (int i = 0; i < weights.size(); i++) {
            NonFiniteException.requireFinite(file + ": ", names.get(i), weights.get(i));
        }
        model.setWeights(weights);
    }

    /*
     * Files of vecgrad 0.1, and the Python scripts written for them, name a Dense network's weights W1,
     * b1, ..., Wn, bn. A file that holds W1 and none of this model's names is read that way, when every
     * layer is a Dense layer; anything else is read by the variables' own names (dense/kernel, ...).
     */
    private static List<String> namesInFile(Sequential model, SafeTensorsContents contents) {
        List<String> own = model.variables().stream().map(Variable::name).toList();
        List<Layer> layers = model.layers();
        boolean legacy = contents.tensors().containsKey("W1") && own.stream().noneMatch(contents.tensors()::containsKey)
                && layers.stream().allMatch(l -> l instanceof Dense);
        if (!legacy) {
            return own;
        }
        List<String> old = new ArrayList<>();
        for (int i = 1; i <= layers.size(); i++) {
            old.add("W" + i);
            old.add("b" + i);
        }
        return old;
    }
}
