package vecgrad.nn;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import vecgrad.tensor.Tensor;

/**
 * The layers a saved model can be rebuilt from, by the {@code class_name} a file names them with:
 * Keras' {@code register_keras_serializable} and {@code from_config}. The library's layers are
 * registered already; a layer of your own is registered once, before {@link Sequential#save} or
 * {@link Sequential#load}, with a factory that makes it from its {@link Layer#config()}:
 * <pre>{@code
 * LayerRegistry.register("Scale", config -> new Scale(config.getDouble("factor")));
 * }</pre>
 * The class name is the layer's {@link Layer#className()}, its Java simple name unless it says
 * otherwise (ActivationLayer saves as Keras' {@code Activation}). The factory makes an
 * unbuilt layer; the model builds it and the file's weights replace the drawn ones.
 */
public final class LayerRegistry {

    /*
     * Built-ins live in their own map, filled once here: one line per layer class. They cannot be
     * replaced, so a file's "Dense" is always this library's Dense. Users' registrations live in a
     * concurrent map (registration may happen on any thread, loads on others).
     */
    private static final Map<String, Function<Config, Layer>> BUILT_IN = Map.ofEntries(
            Map.entry("Dense", c -> new Dense(c.getInt("units"), c.getActivation("activation"),
                    c.getInitializer("kernel_initializer"), c.getInitializer("bias_initializer"),
                    c.getRegularizer("kernel_regularizer"), c.getRegularizer("bias_regularizer"))),
            Map.entry("Normalization", Normalization::fromConfig),
            Map.entry("Dropout", c -> c.has("seed") ? new Dropout(c.getDouble("rate"), c.getLong("seed"))
                    : new Dropout(c.getDouble("rate"))),
            Map.entry("BatchNormalization", c -> new BatchNormalization(c.getDouble("momentum"), c.getDouble("epsilon"),
                    c.getBoolean("center"), c.getBoolean("scale"))),
            Map.entry("LayerNormalization", c -> new LayerNormalization(c.getDouble("epsilon"), c.getBoolean("center"),
                    c.getBoolean("scale"))),
            Map.entry("Activation", c -> new ActivationLayer(c.getActivationWithParameters("activation"))),
            Map.entry("Conv2D", Conv2D::fromConfig),
            Map.entry("MaxPooling2D", MaxPooling2D::fromConfig),
            Map.entry("AveragePooling2D", AveragePooling2D::fromConfig),
            Map.entry("GlobalAveragePooling2D", GlobalAveragePooling2D::fromConfig),
            Map.entry("Flatten", Flatten::fromConfig),
            Map.entry("Reshape", Reshape::fromConfig));

    private static final Map<String, Function<Config, Layer>> USER = new ConcurrentHashMap<>();

    private LayerRegistry() {
    }

    /**
     * Registers (or replaces) the factory of a layer class of your own.
     *
     * @param className the layer's simple class name, as {@link Sequential#save} writes it
     * @param factory   makes an unbuilt layer from the config its {@link Layer#config()} gave
     * @throws IllegalArgumentException if the name is blank, not a Java identifier, or a built-in
     *     layer's
     */
    public static void register(String className, Function<Config, Layer> factory) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(factory, "factory");
        if (!isIdentifier(className)) {
            throw new IllegalArgumentException("LayerRegistry.register: expected a class's simple name such as"
                    + " 'MyLayer', got '" + className + "'");
        }
        if (BUILT_IN.containsKey(className)) {
            throw new IllegalArgumentException("LayerRegistry.register: " + className + " is a built-in layer and"
                    + " cannot be replaced; give your layer class another name");
        }
        USER.put(className, factory);
    }

    /**
     * Removes a registration of your own; returns whether there was one. Built-ins stay.
     *
     * @param className the class name the layer was registered under
     * @return true if a registration of your own was removed, false if there was none
     */
    public static boolean unregister(String className) {
        Objects.requireNonNull(className, "className");
        return USER.remove(className) != null;
    }

    /**
     * Whether layers of this class name can be rebuilt.
     *
     * @param className a layer's class name, as a saved model names it
     * @return true if the class name is built in or registered
     */
    public static boolean isRegistered(String className) {
        Objects.requireNonNull(className, "className");
        return BUILT_IN.containsKey(className) || USER.containsKey(className);
    }

    /** {@return every class name that can be rebuilt, sorted (an unmodifiable snapshot)} */
    public static Set<String> classNames() {
        Set<String> all = new TreeSet<>(BUILT_IN.keySet());
        all.addAll(USER.keySet());
        return Collections.unmodifiableSet(all);
    }

    /** The class name a layer is saved under. */
    static String className(Layer layer) {
        return layer.className();
    }

    /**
     * A new, unbuilt layer from a file's class name and config.
     *
     * @param where the layer's place, for messages ({@code "layer 2 (dense_1)"})
     * @throws IllegalArgumentException naming the class and how to register it if it is unknown, or
     *     the factory's complaint about the config
     */
    static Layer create(String className, Map<String, Object> config, String where) {
        Function<Config, Layer> factory = BUILT_IN.get(className);
        if (factory == null) {
            factory = USER.get(className);
        }
        if (factory == null) {
            String shown = className.length() > 60 ? className.substring(0, 60) + "\u2026" : className;
            throw new IllegalArgumentException(where + " is of an unknown layer class '" + shown + "' (known: "
                    + String.join(", ", classNames()) + "); if it is a layer of your own, register it before loading:"
                    + " LayerRegistry.register(\"" + shown + "\", config -> new " + shown + "(...))");
        }
        Layer layer;
        try {
            layer = factory.apply(new Config(className, config));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(where + " (" + className + "): " + e.getMessage(), e);
        }
        if (layer == null) {
            throw new IllegalArgumentException(where + ": the factory registered for " + className + " returned null");
        }
        if (layer.built()) {
            throw new IllegalArgumentException(where + ": the factory registered for " + className
                    + " returned a layer that belongs to a model already; it must make a new one");
        }
        if (!className(layer).equals(className)) {
            throw new IllegalArgumentException(where + ": the factory registered for " + className + " made a "
                    + className(layer) + ", which would be saved under another class name");
        }
        return layer;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A saved layer's config, as its {@link Layer#config()} wrote it plus its {@code name}, with typed
     * getters that say which layer and key did not fit.
     */
    public static final class Config {

        private final String className;
        private final Map<String, Object> values;

        Config(String className, Map<String, Object> values) {
            this.className = className;
            this.values = values;
        }

        /** {@return the layer's class name in the file, e.g. {@code Dense}} */
        public String className() {
            return className;
        }

        /** {@return the layer's name in the saved model, e.g. {@code dense_1}} */
        public String name() {
            return getString("name");
        }

        /** {@return the whole config, as JSON values (strings, {@code Long}, {@code Double}, booleans, lists, maps, null)} */
        public Map<String, Object> values() {
            return values;
        }

        /**
         * Whether the config has this key.
         *
         * @param key a config key, e.g. {@code "units"}
         * @return true if the key is present, even with a null value
         */
        public boolean has(String key) {
            return values.containsKey(key);
        }

        /**
         * The value of {@code key}, as read from JSON.
         *
         * @param key a config key, e.g. {@code "units"}
         * @return the value, possibly null
         * @throws IllegalArgumentException if the config has no such key
         */
        public Object get(String key) {
            Objects.requireNonNull(key, "key");
            if (!values.containsKey(key)) {
                throw new IllegalArgumentException("expected '" + key + "' in the config, got only "
                        + values.keySet());
            }
            return values.get(key);
        }

        /**
         * An integer setting.
         *
         * @param key a config key, e.g. {@code "units"}
         * @return the value as an int
         * @throws IllegalArgumentException if the key is missing or its value is not an integer in int range
         */
        public int getInt(String key) {
            long v = getLong(key);
            if (v != (int) v) {
                throw wrong(key, "an int", v);
            }
            return (int) v;
        }

        /**
         * A long setting.
         *
         * @param key a config key, e.g. {@code "seed"}
         * @return the value as a long
         * @throws IllegalArgumentException if the key is missing or its value is not an integer
         */
        public long getLong(String key) {
            return typed(key, Long.class, "an integer");
        }

        /**
         * A number setting (an integer in the file reads as a double too).
         *
         * @param key a config key, e.g. {@code "rate"}
         * @return the value as a double
         * @throws IllegalArgumentException if the key is missing or its value is not a number
         */
        public double getDouble(String key) {
            Object v = get(key);
            if (v instanceof Long l) {
                return l;
            }
            if (!(v instanceof Double d)) {
                throw wrong(key, "a number", v);
            }
            return d;
        }

        /**
         * A number setting narrowed to a float, as a layer that keeps floats saved it.
         *
         * @param key a config key, e.g. {@code "epsilon"}
         * @return the value as a float
         * @throws IllegalArgumentException if the key is missing or its value is not a number
         */
        public float getFloat(String key) {
            return (float) getDouble(key);
        }

        /**
         * A boolean setting.
         *
         * @param key a config key, e.g. {@code "center"}
         * @return the value as a boolean
         * @throws IllegalArgumentException if the key is missing or its value is not true or false
         */
        public boolean getBoolean(String key) {
            return typed(key, Boolean.class, "true or false");
        }

        /**
         * A string setting.
         *
         * @param key a config key, e.g. {@code "activation"}
         * @return the value as a string
         * @throws IllegalArgumentException if the key is missing or its value is not a string
         */
        public String getString(String key) {
            return typed(key, String.class, "a string");
        }

        /** The value of {@code key} if it is a {@code type}, else an exception that names {@code expected}. */
        private <T> T typed(String key, Class<T> type, String expected) {
            Object v = get(key);
            if (!type.isInstance(v)) {
                throw wrong(key, expected, v);
            }
            return type.cast(v);
        }

        /**
         * A list of integers, e.g. a shape or an axis list.
         *
         * @param key a config key, e.g. {@code "input_shape"}
         * @return the values as a new int array
         * @throws IllegalArgumentException if the key is missing or its value is not a list of integers in
         *     int range
         */
        public int[] getIntArray(String key) {
            Object v = get(key);
            if (!(v instanceof List<?> list)) {
                throw wrong(key, "a list of integers", v);
            }
            int[] out = new int[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long l) || l != (int) (long) l) {
                    throw wrong(key, "a list of integers", v);
                }
                out[i] = (int) (long) l;
            }
            return out;
        }

        /**
         * An activation by its Keras name ({@link Activation#of(String)}), with its parameters from
         * {@code key + "_config"} when present.
         *
         * @param key a config key whose value is an activation's Keras name, e.g. {@code "activation"}
         * @return the activation
         * @throws IllegalArgumentException if the key is missing, the name is unknown or the parameters do
         *     not fit it
         */
        public Activation getActivation(String key) {
            String name = getString(key);
            Object parameters = values.get(key + "_config");
            try {
                if (parameters == null) {
                    return Activation.of(name);
                }
                if (!(parameters instanceof Map<?, ?> map)) {
                    throw wrong(key + "_config", "an object of the activation's parameters", parameters);
                }
                return Activation.fromConfig(name, stringKeys(map));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
            }
        }

        /**
         * An activation named by {@code key} whose parameters are the config's other entries, as an
         * {@code Activation} layer saves them: {@code {"name": ..., "activation": "leaky_relu",
         * "negative_slope": 0.1}}.
         */
        Activation getActivationWithParameters(String key) {
            String name = getString(key);
            Map<String, Object> parameters = new java.util.LinkedHashMap<>(values);
            parameters.remove(key);
            parameters.remove("name");
            try {
                return Activation.fromConfig(name, parameters);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
            }
        }

        private static Map<String, Object> stringKeys(Map<?, ?> map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), v));
            return out;
        }

        /**
         * An initializer by its Keras name. A name this library does not know (a user's initializer)
         * gives a stand-in that keeps the name and draws zeros: a loaded model's weights come from
         * its file, so the initializer only matters for the config saved again.
         *
         * @param key a config key whose value is an initializer's Keras name, e.g. {@code "kernel_initializer"}
         * @return the built-in initializer of that name, or the zero-drawing stand-in
         * @throws IllegalArgumentException if the key is missing or its value is not a string
         */
        public Initializer getInitializer(String key) {
            String name = getString(key);
            for (BuiltinInitializer i : BuiltinInitializer.values()) {
                if (i.kerasName().equals(name)) {
                    return i;
                }
            }
            return new Initializer() {
                @Override
                public Tensor initialize(java.util.Random rng, int fanIn, int fanOut, int... shape) {
                    return Tensor.zeros(shape);
                }

                @Override
                public String kerasName() {
                    return name;
                }
            };
        }

        /**
         * A regularizer saved as {@code {"class_name": "L2", "config": {"l2": 0.01}}} (Keras' form; other
         * keys such as {@code module} are ignored), or null when the key is absent or null.
         *
         * @param key a config key, e.g. {@code "kernel_regularizer"}
         * @return the built-in regularizer, or null
         * @throws IllegalArgumentException if the value is not such an object, or names a class or
         *     factors {@link Regularizer#fromConfig} refuses
         */
        public Regularizer getRegularizer(String key) {
            Object v = values.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map<?, ?> map) || !(map.get("class_name") instanceof String name)
                    || !(map.get("config") instanceof Map<?, ?> factors)) {
                throw wrong(key, "an object {\"class_name\": ..., \"config\": {...}}", v);
            }
            try {
                return Regularizer.fromConfig(name, stringKeys(factors));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
            }
        }

        /**
         * A list of numbers, or null when the key is absent or null.
         *
         * @param key a config key, e.g. {@code "mean"}
         * @return the values as a new array, or null
         * @throws IllegalArgumentException if the value is not a list of numbers
         */
        public double[] getDoubleArrayOrNull(String key) {
            Object v = values.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof List<?> list)) {
                throw wrong(key, "a list of numbers", v);
            }
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Number n)) {
                    throw wrong(key, "a list of numbers", v);
                }
                out[i] = n.doubleValue();
            }
            return out;
        }

        private IllegalArgumentException wrong(String key, String expected, Object got) {
            String shown = got == null ? "null" : got instanceof String s ? "\"" + (s.length() > 40
                    ? s.substring(0, 40) + "\u2026" : s) + "\"" : got instanceof Map ? "an object"
                    : got instanceof List ? "a list" : String.valueOf(got);
            return new IllegalArgumentException("expected '" + key + "' to be " + expected + ", got " + shown);
        }

        @Override
        public String toString() {
            return className + values;
        }
    }
}
