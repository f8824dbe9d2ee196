package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.autodiff.Ops;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class ModelFileTest {

    /** y = x * w * factor + shift, shift a non-trainable weight: a user's layer with a setting and state. */
    static final class Scale extends Layer {
        private final double factor;
        private Variable w;
        private Variable shift;

        Scale(double factor) {
            this.factor = factor;
        }

        @Override
        protected void build(int[] inputShape) {
            w = addWeight("w", new int[] {inputShape[0]}, Initializer.glorotUniform(), true);
            shift = addWeight("shift", new int[] {inputShape[0]}, Initializer.ones(), false);
        }

        @Override
        public Tensor call(Tensor x, boolean training) {
            return Ops.add(Ops.scale(Ops.mul(x, w), (float) factor), shift);
        }

        @Override
        public Map<String, Object> config() {
            return Map.of("factor", factor);
        }
    }

    @AfterEach
    void forgetScale() {
        LayerRegistry.unregister("Scale");
    }

    private static Tensor inputs(int n, int features, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n * features];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return Tensor.wrap(x, n, features);
    }

    @Test
    void saveThenLoad_denseModelPredictsBitIdentically(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(7, 3, new Dense(5, Activation.RELU), new Dense(4, Activation.TANH),
                new Dense(6), new Dense(3, Activation.SOFTMAX));
        Path file = dir.resolve("model.safetensors");
        m.save(file);
        Sequential back = Sequential.load(file);
        assertThat(back.architecture()).isEqualTo(m.architecture());
        assertThat(back.layers()).extracting(Layer::name).containsExactly("dense", "dense_1", "dense_2", "dense_3");
        Tensor x = inputs(37, 7, 1);
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void saveThenLoad_dropoutAndNormalizationsKeepTheirStateAndPredictBitIdentically(@TempDir Path dir)
            throws IOException {
        Sequential m = new Sequential(7, 3, new Dense(8, Activation.RELU), new BatchNormalization(0.9, 1e-3, true, true),
                new Dropout(0.25, 11), new Dense(6), new LayerNormalization(), new Dense(3, Activation.SOFTMAX));
        Tensor[] data = {inputs(64, 7, 2), Tensor.oneHot(new int[64], 3)};
        m.compile(new vecgrad.optim.Adam(0.01f), Loss.categoricalCrossentropy());
        m.fit(data[0], data[1], FitOptions.defaults().epochs(2).batchSize(16).verbose(0));
        BatchNormalization bn = (BatchNormalization) m.layers().get(1);
        assertThat(bn.movingMean().data()).as("trained: the moving statistics moved").isNotEqualTo(new float[8]);
        Path file = dir.resolve("model.safetensors");
        m.save(file);
        Sequential back = Sequential.load(file);
        assertThat(back.layers()).extracting(Layer::name).containsExactly("dense", "batch_normalization", "dropout",
                "dense_1", "layer_normalization", "dense_2");
        for (int i = 0; i < m.layers().size(); i++) {
            assertThat(back.layers().get(i).config()).isEqualTo(m.layers().get(i).config());
        }
        assertThat(((BatchNormalization) back.layers().get(1)).movingVariance().data())
                .isEqualTo(bn.movingVariance().data());
        Tensor x = inputs(21, 7, 5);
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
    }

    @Test
    void saveThenLoad_parameterizedActivationsKeepTheirParameters(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(5, 4, new Dense(6, Activation.elu(0.5)), new ActivationLayer(Activation.leakyRelu(0.1)),
                new Dense(4, Activation.gelu(true)), new ActivationLayer("swish"), new Dense(3, Activation.SOFTMAX));
        Path file = dir.resolve("model.safetensors");
        m.save(file);
        Sequential back = Sequential.load(file);
        for (int i = 0; i < m.layers().size(); i++) {
            assertThat(back.layers().get(i).config()).isEqualTo(m.layers().get(i).config());
        }
        assertThat(((Dense) back.layers().get(0)).activation().config()).containsEntry("alpha", 0.5);
        Tensor x = inputs(9, 5, 3).copy();
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] *= 3;   // reach the negative branches, where the parameters matter
        }
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
    }

    @Test
    void save_writesKerasShapedArchitecture(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(4, 0, new Dense(3, Activation.RELU), new Dense(2, Activation.SOFTMAX));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        SafeTensorsContents c = SafeTensors.read(file);
        assertThat(c.metadata().get(Sequential.MODEL_KEY)).isEqualTo("{\"class_name\":\"Sequential\",\"config\":"
                + "{\"name\":\"sequential\",\"input_shape\":[4],\"layers\":[{\"class_name\":\"Dense\",\"config\":"
                + "{\"name\":\"dense\",\"units\":3,\"activation\":\"relu\",\"kernel_initializer\":\"glorot_uniform\","
                + "\"bias_initializer\":\"zeros\"}},{\"class_name\":\"Dense\",\"config\":{\"name\":\"dense_1\","
                + "\"units\":2,\"activation\":\"softmax\",\"kernel_initializer\":\"glorot_uniform\","
                + "\"bias_initializer\":\"zeros\"}}]},\"format_version\":1}");
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrder("dense/kernel", "dense/bias", "dense_1/kernel", "dense_1/bias");
        // A whole-model file is a weights file too.
        Sequential other = new Sequential(4, 9, new Dense(3, Activation.RELU), new Dense(2, Activation.SOFTMAX));
        other.loadWeights(file);
        assertThat(other.variables().get(0).data()).isEqualTo(m.variables().get(0).data());
    }

    @Test
    void saveThenLoad_userRegisteredLayerWithStatePredictsBitIdentically(@TempDir Path dir) throws IOException {
        LayerRegistry.register("Scale", config -> new Scale(config.getDouble("factor")));
        Sequential m = new Sequential(5, 11, new Dense(4, Activation.RELU), new Scale(0.37), new Dense(2));
        m.layers().get(1).nonTrainableWeights().get(0).assign(Tensor.of(new float[] {0.5f, -1f, 2f, 0.25f}, 4));
        Path file = dir.resolve("scale.safetensors");
        m.save(file);
        assertThat(SafeTensors.read(file).tensors()).containsKey("scale/shift");
        Sequential back = Sequential.load(file);
        assertThat(back.layers().get(1)).isInstanceOf(Scale.class);
        assertThat(((Scale) back.layers().get(1)).factor).isEqualTo(0.37);
        assertThat(back.layers().get(1).nonTrainableWeights().get(0).data()).containsExactly(0.5f, -1f, 2f, 0.25f);
        Tensor x = inputs(33, 5, 2);
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
    }

    @Test
    void load_unknownClassNamedWithTheFix(@TempDir Path dir) throws IOException {
        LayerRegistry.register("Scale", config -> new Scale(config.getDouble("factor")));
        Sequential m = new Sequential(3, 0, new Scale(2), new Dense(2));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        LayerRegistry.unregister("Scale");
        assertThatThrownBy(() -> Sequential.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (scale)")
                .hasMessageContaining("unknown layer class 'Scale'")
                .hasMessageContaining("LayerRegistry.register(\"Scale\", config -> new Scale(...))");
    }

    @Test
    void save_unregisteredLayerRefusedBeforeWriting(@TempDir Path dir) {
        Sequential m = new Sequential(3, 0, new Scale(2), new Dense(2));
        Path file = dir.resolve("m.safetensors");
        assertThatThrownBy(() -> m.save(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 1 (scale) is a Scale")
                .hasMessageContaining("LayerRegistry.register(\"Scale\"");
        assertThat(file).doesNotExist();
    }

    @Test
    void save_factoryThatLosesASettingRefused(@TempDir Path dir) {
        LayerRegistry.register("Scale", config -> new Scale(1.0)); // forgets the factor
        Sequential m = new Sequential(3, 0, new Scale(2), new Dense(2));
        Path file = dir.resolve("m.safetensors");
        assertThatThrownBy(() -> m.save(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rebuilds a layer whose config is {\"factor\":1.0}, not {\"factor\":2.0}");
        assertThat(file).doesNotExist();
    }

    @Test
    void load_weightsThatDoNotFitTheArchitectureRejected(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(4, 0, new Dense(3, Activation.RELU), new Dense(2, Activation.SOFTMAX));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        SafeTensorsContents c = SafeTensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        tensors.put("dense/kernel", Tensor.zeros(3, 4));
        tensors.remove("dense_1/bias");
        Path bad = dir.resolve("bad.safetensors");
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove("architecture");
        SafeTensors.write(bad, tensors, meta);
        assertThatThrownBy(() -> Sequential.load(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dense/kernel has shape (3, 4), expected (4, 3)")
                .hasMessageContaining("missing dense_1/bias (2)");
    }

    @Test
    void save_nonFiniteWeightRefusedAndExistingFileKept(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(2, 0, new Dense(2));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        byte[] before = Files.readAllBytes(file);
        m.variables().get(1).data()[1] = Float.NaN;
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(ArithmeticException.class)
                .hasMessageContaining("dense/bias");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    private static Path withArchitecture(Path dir, String json) throws IOException {
        Sequential m = new Sequential(4, 0, new Dense(3, Activation.RELU), new Dense(2, Activation.SOFTMAX));
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Variable v : m.variables()) {
            named.put(v.name(), v);
        }
        Path file = dir.resolve("crafted.safetensors");
        SafeTensors.write(file, named, Map.of(Sequential.MODEL_KEY, json));
        return file;
    }

    @Test
    void load_badArchitecturesRejectedWithTheirReason(@TempDir Path dir) throws IOException {
        String good = "{\"class_name\":\"Sequential\",\"config\":{\"name\":\"sequential\",\"input_shape\":[4],"
                + "\"layers\":[{\"class_name\":\"Dense\",\"config\":{\"name\":\"dense\",\"units\":3,\"activation\":\"relu\","
                + "\"kernel_initializer\":\"glorot_uniform\",\"bias_initializer\":\"zeros\"}},{\"class_name\":\"Dense\","
                + "\"config\":{\"name\":\"dense_1\",\"units\":2,\"activation\":\"softmax\",\"kernel_initializer\":"
                + "\"glorot_uniform\",\"bias_initializer\":\"zeros\"}}]},\"format_version\":1}";
        assertThat(Sequential.load(withArchitecture(dir, good)).architecture()).isEqualTo("4-3(relu)-2(softmax)");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(good.substring(0, good.length() - 1), "malformed JSON");
        cases.put(good.replace("\"format_version\":1", "\"format_version\":2"), "format_version 2; this library reads format_version 1");
        cases.put(good.replace("\"units\":3", "\"units\":\"3\""), "expected 'units' to be an integer, got \"3\"");
        cases.put(good.replace("\"units\":3", "\"units\":-3"), "units must be >= 1, got -3");
        cases.put(good.replace("\"activation\":\"relu\"", "\"activation\":\"swishy\""), "swishy");
        cases.put(good.replace("\"input_shape\":[4]", "\"input_shape\":[0]"), "expected 'input_shape' to be a list of sizes >= 1");
        cases.put(good.replace("\"input_shape\":[4]", "\"input_shape\":[5]"), "dense/kernel has shape (4, 3), expected (5, 3)");
        cases.put(good.replace("\"name\":\"dense_1\"", "\"name\":\"out\""), "named 'out' in the file but 'dense_1'");
        cases.put(good.replace("\"class_name\":\"Sequential\"", "\"class_name\":\"Functional\""), "class_name \"Sequential\"");
        cases.put("[1,2]", "to be a JSON object");
        for (Map.Entry<String, String> e : cases.entrySet()) {
            Path file = withArchitecture(dir, e.getKey());
            assertThatThrownBy(() -> Sequential.load(file)).as(e.getValue())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(e.getValue());
        }
    }

    @Test
    void load_weightsOnlyFileNamesTheFix(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(2, 0, new Dense(2));
        Path file = dir.resolve("w.safetensors");
        m.saveWeights(file);
        assertThatThrownBy(() -> Sequential.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds weights only").hasMessageContaining("loadWeights");
    }

    @Test
    void save_pythonScriptRebuildsTheModelFromTheFileAlone(@TempDir Path dir) throws Exception {
        assumeThat(python3()).as("python3 on PATH").isTrue();
        Sequential m = new Sequential(6, 21, new Dense(5, Activation.TANH), new Dense(4, Activation.SIGMOID),
                new Dense(7), new Dense(3, Activation.RELU), new Dense(3, Activation.SOFTMAX));
        Path file = dir.resolve("model.safetensors");
        m.save(file);
        Process p = new ProcessBuilder("python3", Path.of("test-data", "safetensors", "mlp_stdlib.py").toString(),
                "model", file.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        double[] inputs = numbers(out.substring(out.indexOf("\"inputs\""), out.indexOf("\"outputs\"")));
        double[] outputs = numbers(out.substring(out.indexOf("\"outputs\"")));
        assertThat(inputs).hasSize(24);
        assertThat(outputs).hasSize(12);
        float[] x = new float[24];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) inputs[i];
        }
        float[] java = m.predict(Tensor.wrap(x, 4, 6)).data();
        for (int i = 0; i < outputs.length; i++) {
            // float32 forward against the script's float64 forward on the same float32 weights
            assertThat((double) java[i]).as("output %d", i).isCloseTo(outputs[i], within(2e-6));
        }
    }

    private static double[] numbers(String json) {
        Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?").matcher(json);
        List<Double> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Double.parseDouble(m.group()));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static boolean python3() {
        try {
            Process p = new ProcessBuilder("python3", "--version").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void gradientCheck_userLayerInOneCall() {
        // What a user does with the public check: the layer's input and its trainable weight, in float32.
        Sequential m = new Sequential(4, 5, new Scale(0.8));
        Layer scale = m.layers().get(0);
        Tensor x = inputs(3, 4, 7);
        vecgrad.autodiff.GradientCheck.check(in -> scale.call(in.get(0), true), List.of(x, scale.trainableWeights().get(0)))
                .assertPassed();
    }

    @Test
    void register_refusesBuiltInsAndBadNames() {
        assertThatThrownBy(() -> LayerRegistry.register("Dense", c -> new Dense(1)))
                .hasMessageContaining("Dense is a built-in layer");
        assertThatThrownBy(() -> LayerRegistry.register("my layer", c -> new Dense(1)))
                .hasMessageContaining("got 'my layer'");
        assertThat(LayerRegistry.classNames()).contains("Dense");
        assertThat(List.copyOf(LayerRegistry.classNames())).doesNotContain("Scale");
    }
}
