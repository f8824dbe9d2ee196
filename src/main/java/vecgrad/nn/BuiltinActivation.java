package vecgrad.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import vecgrad.autodiff.ActivationOps;
import vecgrad.tensor.Tensor;

/** The built-in {@link Activation}s; see there. */
enum BuiltinActivation implements Activation {
    // The parameter names and defaults are declared below the constants, hence the qualified names.
    RELU("relu", ActivationOps::relu),
    SIGMOID("sigmoid", z -> SigmoidLogits.remember(ActivationOps.sigmoid(z), z)),
    TANH("tanh", ActivationOps::tanh),
    SOFTMAX("softmax", z -> SoftmaxLogits.remember(ActivationOps.softmax(z), z)),
    LINEAR("linear", z -> z),
    LEAKY_RELU("leaky_relu", z -> ActivationOps.leakyRelu(z, BuiltinActivation.DEFAULT_NEGATIVE_SLOPE),
            Map.of(BuiltinActivation.NEGATIVE_SLOPE, BuiltinActivation.DEFAULT_NEGATIVE_SLOPE)),
    ELU("elu", z -> ActivationOps.elu(z, BuiltinActivation.DEFAULT_ALPHA),
            Map.of(BuiltinActivation.ALPHA, BuiltinActivation.DEFAULT_ALPHA)),
    SELU("selu", ActivationOps::selu),
    GELU("gelu", z -> ActivationOps.gelu(z, false), Map.of(BuiltinActivation.APPROXIMATE, false)),
    HARD_SIGMOID("hard_sigmoid", ActivationOps::hardSigmoid),
    SOFTPLUS("softplus", ActivationOps::softplus),
    SOFTSIGN("softsign", ActivationOps::softsign),
    SWISH("swish", ActivationOps::swish),
    SILU("silu", ActivationOps::swish),
    RELU6("relu6", ActivationOps::relu6),
    LOG_SOFTMAX("log_softmax", ActivationOps::logSoftmax);

    /*
     * Keras 3 names and defaults (keras/src/activations/activations.py): leaky_relu(negative_slope=0.2),
     * elu(alpha=1.0), gelu(approximate=False). swish and silu are one function under two names, as in
     * Keras; each keeps its own name so that a saved model reads back as written. The parameterized
     * functions with other parameters are Parameterized instances below; the enum constants are their
     * default forms, so leakyRelu(0.2) is LEAKY_RELU and both save the same config.
     */

    static final String NEGATIVE_SLOPE = "negative_slope";
    static final String ALPHA = "alpha";
    static final String APPROXIMATE = "approximate";
    static final double DEFAULT_NEGATIVE_SLOPE = 0.2;
    static final double DEFAULT_ALPHA = 1.0;

    private final String kerasName;
    private final UnaryOperator<Tensor> function;
    private final Map<String, Object> config;

    BuiltinActivation(String kerasName, UnaryOperator<Tensor> function) {
        this(kerasName, function, Map.of());
    }

    BuiltinActivation(String kerasName, UnaryOperator<Tensor> function, Map<String, Object> config) {
        this.kerasName = kerasName;
        this.function = function;
        this.config = config;
    }

    @Override
    public String kerasName() {
        return kerasName;
    }

    @Override
    public Tensor apply(Tensor z) {
        return function.apply(z);
    }

    @Override
    public Map<String, Object> config() {
        return config;
    }

    @Override
    public String toString() {
        return kerasName;
    }

    static Activation named(String kerasName) {
        for (BuiltinActivation a : values()) {
            if (a.kerasName.equals(kerasName)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + kerasName + "': expected one of " + knownNames());
    }

    private static String knownNames() {
        List<String> known = new ArrayList<>();
        for (BuiltinActivation a : values()) {
            known.add(a.kerasName);
        }
        return String.join(", ", known);
    }

    static Activation leakyRelu(double negativeSlope) {
        requireFinite("leakyRelu", NEGATIVE_SLOPE, negativeSlope);
        if (negativeSlope == DEFAULT_NEGATIVE_SLOPE) {
            return LEAKY_RELU;
        }
        return new Parameterized("leaky_relu", Map.of(NEGATIVE_SLOPE, negativeSlope),
                z -> ActivationOps.leakyRelu(z, negativeSlope));
    }

    static Activation elu(double alpha) {
        requireFinite("elu", ALPHA, alpha);
        if (alpha == DEFAULT_ALPHA) {
            return ELU;
        }
        return new Parameterized("elu", Map.of(ALPHA, alpha), z -> ActivationOps.elu(z, alpha));
    }

    static Activation gelu(boolean approximate) {
        if (!approximate) {
            return GELU;
        }
        return new Parameterized("gelu", Map.of(APPROXIMATE, true), z -> ActivationOps.gelu(z, true));
    }

    /**
     * The activation a saved {@code kerasName} and {@code config} describe. Every key must be one the
     * activation takes, with a value of its type (a number for a slope or alpha, a boolean for
     * approximate); missing keys take Keras' defaults.
     */
    static Activation fromConfig(String kerasName, Map<String, Object> config) {
        Activation base = named(kerasName);
        Map<String, Object> expected = base.config();
        for (String key : config.keySet()) {
            if (!expected.containsKey(key)) {
                throw new IllegalArgumentException("activation '" + kerasName + "': unknown config key '" + key
                        + "': expected " + (expected.isEmpty() ? "no keys" : "only " + String.join(", ", expected.keySet())));
            }
        }
        if (base == LEAKY_RELU) {
            return leakyRelu(number(kerasName, config, NEGATIVE_SLOPE, DEFAULT_NEGATIVE_SLOPE));
        }
        if (base == ELU) {
            return elu(number(kerasName, config, ALPHA, DEFAULT_ALPHA));
        }
        if (base == GELU) {
            Object v = config.getOrDefault(APPROXIMATE, false);
            if (!(v instanceof Boolean b)) {
                throw new IllegalArgumentException("activation 'gelu': expected a boolean for '" + APPROXIMATE + "', got "
                        + describe(v));
            }
            return gelu(b);
        }
        return base;
    }

    private static double number(String kerasName, Map<String, Object> config, String key, double defaultValue) {
        Object v = config.getOrDefault(key, defaultValue);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("activation '" + kerasName + "': expected a number for '" + key + "', got "
                    + describe(v));
        }
        return n.doubleValue();
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " " + v;
    }

    private static void requireFinite(String factory, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Activation." + factory + ": expected a finite " + name + ", got " + value);
        }
    }

    /** A built-in function with non-default parameters; equal when its name and parameters are. */
    static final class Parameterized extends FunctionActivation {

        private final Map<String, Object> config;

        Parameterized(String kerasName, Map<String, Object> config, UnaryOperator<Tensor> function) {
            super(kerasName, function);
            this.config = Map.copyOf(config);
        }

        @Override
        public Map<String, Object> config() {
            return config;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Parameterized p && p.kerasName().equals(kerasName()) && p.config.equals(config);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kerasName(), config);
        }

        @Override
        public String toString() {
            StringJoiner parameters = new StringJoiner(", ", kerasName() + "(", ")");
            new TreeMap<>(config).forEach((k, v) -> parameters.add(k + "=" + v));
            return parameters.toString();
        }
    }
}
