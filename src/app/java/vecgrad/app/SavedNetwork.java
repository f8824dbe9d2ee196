package vecgrad.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import vecgrad.io.SafeTensorsContents;
import vecgrad.nn.Activation;
import vecgrad.nn.Dense;
import vecgrad.nn.Layer;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

/**
 * A dense network rebuilt from its weights alone: the layer sizes come from the shapes of the kernels
 * {@code dense/kernel, dense_1/kernel, ...} (each {@code (inputs, units)} with its bias {@code (units)};
 * or {@code W1 .. Wn} and {@code b1 .. bn} in files of vecgrad 0.1), which must form a chain; the activations from the {@code architecture} metadata that {@link Sequential#saveWeights}
 * writes ({@code 784-256(relu)-...-10(softmax)}), or ReLU then softmax when a file has none.
 *
 * @param sizes       every layer's width, input first: {@code [784, 256, 128, 64, 10]}
 * @param activations one activation per layer after the input
 */
record SavedNetwork(List<Integer> sizes, List<Activation> activations) {

    private static final Pattern NAME = Pattern.compile("([Wb])([1-9][0-9]{0,5})");
    /** Keras names, as {@link Sequential} gives them: dense/kernel, dense/bias, dense_1/kernel, ... */
    private static final Pattern KERAS_NAME = Pattern.compile("dense(?:_([1-9][0-9]{0,5}))?/(kernel|bias)");
    private static final String EXPECTED = "dense/kernel, dense/bias, ..., dense_N/kernel, dense_N/bias"
            + " (or vecgrad 0.1's W1, b1, ..., Wn, bn)";
    private static final Pattern LAYER = Pattern.compile("([0-9]+)\\(([a-z][a-z0-9_]*)\\)");

    SavedNetwork {
        sizes = List.copyOf(sizes);
        activations = List.copyOf(activations);
    }

    /**
     * Reads the architecture of the weights in {@code contents}.
     *
     * @throws IllegalArgumentException naming the problem if the tensors are not {@code W1, b1, ..., Wn, bn} of
     *                                  chained shapes, or disagree with the architecture metadata
     */
    static SavedNetwork of(SafeTensorsContents contents) {
        Map<String, Tensor> tensors = contents.tensors();
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("expected the weights of Dense layers, got no tensors");
        }
        for (String name : tensors.keySet()) {
            if (!NAME.matcher(name).matches() && !KERAS_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("unexpected tensor '" + cut(name) + "': expected only " + EXPECTED);
            }
        }
        boolean legacy = tensors.keySet().stream().allMatch(n -> NAME.matcher(n).matches());
        if (!legacy && tensors.keySet().stream().anyMatch(n -> NAME.matcher(n).matches())) {
            throw new IllegalArgumentException("the tensors mix vecgrad 0.1's names (W1, b1, ...) with Keras names"
                    + " (dense/kernel, ...): expected only one kind, got " + cut(tensors.keySet().toString()));
        }
        int layers = 0;
        for (String name : tensors.keySet()) {
            Matcher m = (legacy ? NAME : KERAS_NAME).matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException("unexpected tensor '" + cut(name) + "': expected only " + EXPECTED);
            }
            int index = legacy ? Integer.parseInt(m.group(2)) : m.group(1) == null ? 1 : Integer.parseInt(m.group(1)) + 1;
            layers = Math.max(layers, index);
        }
        List<Integer> sizes = new ArrayList<>();
        String previous = null;
        for (int i = 1; i <= layers; i++) {
            String wName = legacy ? "W" + i : (i == 1 ? "dense" : "dense_" + (i - 1)) + "/kernel";
            String bName = legacy ? "b" + i : (i == 1 ? "dense" : "dense_" + (i - 1)) + "/bias";
            Tensor w = tensors.get(wName);
            Tensor b = tensors.get(bName);
            if (w == null || b == null) {
                String expected = legacy ? "W1, b1, ..., W" + layers + ", b" + layers
                        : "dense/kernel, dense/bias, ..., dense_" + (layers - 1) + "/kernel, dense_" + (layers - 1) + "/bias";
                throw new IllegalArgumentException("missing " + (w == null ? wName : bName) + ": expected " + expected
                        + " without gaps, got " + cut(tensors.keySet().toString()));
            }
            if (w.rank() != 2) {
                throw new IllegalArgumentException("expected " + wName + " of shape (inputs, units), got " + w.shapeString());
            }
            if (!b.hasShape(w.dim(1))) {
                throw new IllegalArgumentException("expected " + bName + " of shape (" + w.dim(1) + ") for " + wName + " "
                        + w.shapeString() + ", got " + b.shapeString());
            }
            if (i == 1) {
                sizes.add(w.dim(0));
            } else if (w.dim(0) != sizes.get(i - 1)) {
                throw new IllegalArgumentException("the layers do not form a chain: " + previous + " has "
                        + sizes.get(i - 1) + " outputs but " + wName + " " + w.shapeString() + " takes " + w.dim(0)
                        + " inputs");
            }
            sizes.add(w.dim(1));
            previous = wName;
        }
        String declared = contents.metadata().get("architecture");
        return new SavedNetwork(sizes, declared == null ? defaultActivations(layers) : activations(declared, sizes));
    }

    private static List<Activation> defaultActivations(int layers) {
        List<Activation> a = new ArrayList<>();
        for (int i = 1; i < layers; i++) {
            a.add(Activation.RELU);
        }
        a.add(Activation.SOFTMAX);
        return a;
    }

    /** The activations of metadata such as {@code 784-256(relu)-10(softmax)}, whose sizes must be {@code sizes}. */
    private static List<Activation> activations(String declared, List<Integer> sizes) {
        String[] parts = declared.split("-", -1);
        List<Integer> declaredSizes = new ArrayList<>();
        List<Activation> activations = new ArrayList<>();
        String problem = null;
        if (!parts[0].matches("[0-9]{1,9}")) {
            problem = "it does not start with the number of inputs";
        } else {
            declaredSizes.add(Integer.parseInt(parts[0]));
        }
        for (int i = 1; i < parts.length && problem == null; i++) {
            Matcher m = LAYER.matcher(parts[i]);
            if (!m.matches() || m.group(1).length() > 9) {
                problem = "'" + parts[i] + "' is not UNITS(activation)";
                break;
            }
            declaredSizes.add(Integer.parseInt(m.group(1)));
            try {
                activations.add(Activation.of(m.group(2)));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        if (problem == null && !declaredSizes.equals(sizes)) {
            problem = "the weights' shapes give " + join(sizes);
        }
        if (problem != null) {
            throw new IllegalArgumentException("the architecture metadata '" + cut(declared) + "' does not fit: " + cut(problem));
        }
        return activations;
    }

    /** A fresh model of this architecture, with freshly initialised weights: load the file's with {@link Sequential#loadWeights}. */
    Sequential build() {
        Layer[] layers = new Layer[activations.size()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new Dense(sizes.get(i + 1), activations.get(i));
        }
        return new Sequential(sizes.get(0), layers);
    }

    /**
     * A loaded model in the words of {@link #toString()}: {@code 784-256-128-64-10} when it is a chain
     * of Dense layers, its {@link Sequential#architecture()} otherwise.
     */
    static String describe(Sequential model) {
        if (model.inputShape().length != 1 || !model.layers().stream().allMatch(l -> l instanceof Dense)) {
            return model.architecture();
        }
        List<Integer> sizes = new ArrayList<>();
        sizes.add(model.inputs());
        for (Layer l : model.layers()) {
            sizes.add(((Dense) l).units());
        }
        return join(sizes);
    }

    /** The sizes as {@code 784-256-128-64-10}. */
    @Override
    public String toString() {
        return join(sizes);
    }

    /** A name or value from the file, cut to 60 characters so that a message stays one short line. */
    private static String cut(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "\u2026";
    }

    private static String join(List<Integer> sizes) {
        StringBuilder sb = new StringBuilder();
        for (int s : sizes) {
            sb.append(sb.length() == 0 ? "" : "-").append(s);
        }
        return sb.toString();
    }
}
