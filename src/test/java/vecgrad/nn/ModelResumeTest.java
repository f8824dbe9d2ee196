package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.Ops;
import vecgrad.io.Json;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.optim.Adagrad;
import vecgrad.optim.Adam;
import vecgrad.optim.AdamW;
import vecgrad.optim.Adamax;
import vecgrad.optim.CosineDecay;
import vecgrad.optim.LearningRateSchedule;
import vecgrad.optim.Nadam;
import vecgrad.optim.Optimizer;
import vecgrad.optim.RMSprop;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;

/** A whole-model file carries the compile config and the optimizer's state, so training resumes exactly. */
final class ModelResumeTest {

    @TempDir
    Path dir;

    private static final int SAMPLES = 40;
    private static final Tensor X;
    private static final Tensor Y;

    static {
        float[] x = new float[SAMPLES * 5];
        float[] y = new float[SAMPLES * 3];
        Random r = new Random(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < SAMPLES; i++) {
            y[i * 3 + (i % 3)] = 1f;
        }
        X = Tensor.of(x, SAMPLES, 5);
        Y = Tensor.of(y, SAMPLES, 3);
    }

    private static Sequential model() {
        return new Sequential(5, 7L, new Dense(8, Activation.RELU), new Dense(3, Activation.SOFTMAX));
    }

    /** Unshuffled: fit's shuffling draws from one Random(seed) per call, which a second fit call restarts. */
    private static FitOptions epochs(int n) {
        return FitOptions.defaults().epochs(n).batchSize(8).shuffle(false).verbose(0);
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("Adam amsgrad", (Supplier<Optimizer>) () -> Adam.builder().learningRate(0.01)
                        .amsgrad(true).build()),
                Arguments.of("SGD momentum", (Supplier<Optimizer>) () -> SGD.builder().learningRate(0.05).momentum(0.9)
                        .build()),
                Arguments.of("RMSprop centered", (Supplier<Optimizer>) () -> RMSprop.builder().learningRate(0.01)
                        .momentum(0.5).centered(true).clipnorm(1.0).build()),
                Arguments.of("Adam with a CosineDecay warm-up", (Supplier<Optimizer>) () -> Adam.builder()
                        .learningRate(new CosineDecay(0.0, 30, 0.1, 0.02, 5)).build()),
                // Nadam's running product of u(t) is not saved (as Keras saves _u_product): it is recounted.
                Arguments.of("Nadam", (Supplier<Optimizer>) () -> Nadam.builder().learningRate(0.01).build()),
                Arguments.of("AdamW", (Supplier<Optimizer>) () -> AdamW.builder().learningRate(0.01).build()),
                Arguments.of("Adagrad", (Supplier<Optimizer>) () -> Adagrad.builder().learningRate(0.05).build()),
                Arguments.of("Adamax", (Supplier<Optimizer>) () -> Adamax.builder().learningRate(0.01).build()));
    }

    private static int[] bits(Sequential m) {
        List<Integer> out = new ArrayList<>();
        for (Tensor w : m.getWeights()) {
            for (float f : w.data()) {
                out.add(Float.floatToRawIntBits(f));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<String, int[]> stateBits(Optimizer o) {
        Map<String, int[]> out = new LinkedHashMap<>();
        o.variables().forEach((k, t) -> {
            int[] b = new int[t.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = Float.floatToRawIntBits(t.data()[i]);
            }
            out.put(k, b);
        });
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void fitSaveLoadFit_equalsOneFitStraight_bitForBit(String label, Supplier<Optimizer> optimizer) throws IOException {
        Sequential straight = model();
        straight.compile(optimizer.get(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        straight.fit(X, Y, epochs(4));

        Sequential first = model();
        first.compile(optimizer.get(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        first.fit(X, Y, epochs(2));
        Path file = dir.resolve("m.safetensors");
        first.save(file);
        Sequential loaded = Sequential.load(file);

        // (b) the optimizer comes back with the saved settings and state
        assertThat(loaded.optimizer()).isNotNull().isNotSameAs(first.optimizer());
        assertThat(loaded.optimizer().getClass()).isEqualTo(first.optimizer().getClass());
        assertThat(loaded.optimizer().config()).isEqualTo(first.optimizer().config());
        assertThat(loaded.optimizer().iterations()).isEqualTo(10);
        assertThat(stateBits(loaded.optimizer())).containsExactlyEntriesOf(stateBits(first.optimizer()));

        loaded.fit(X, Y, epochs(2));
        assertThat(bits(loaded)).as(label).isEqualTo(bits(straight));

        // The comparison is sensitive to the state: a model reloaded without it and compiled afresh drifts.
        first.save(file, false);
        Sequential fresh = Sequential.load(file);
        assertThat(fresh.optimizer()).isNull();
        fresh.compile(optimizer.get(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        fresh.fit(X, Y, epochs(2));
        assertThat(bits(fresh)).isNotEqualTo(bits(straight));
    }

    @Test
    void save_beforeAnyStep_writesNoOptimizerState_andLoadStartsFresh() throws IOException {
        Sequential m = model();
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy());
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        assertThat(SafeTensors.read(file).tensors().keySet()).noneMatch(k -> k.startsWith("optimizer/"));
        Sequential loaded = Sequential.load(file);
        assertThat(loaded.optimizer().iterations()).isZero();
        m.fit(X, Y, epochs(1));
        loaded.fit(X, Y, epochs(1));
        assertThat(bits(loaded)).isEqualTo(bits(m));
    }

    @Test
    void save_writesOptimizerStateUnderItsPrefix_withKerasNames() throws IOException {
        Sequential m = model();
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy());
        m.fit(X, Y, epochs(1));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        SafeTensorsContents c = SafeTensors.read(file);
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrder("dense/kernel", "dense/bias", "dense_1/kernel",
                "dense_1/bias", "optimizer/adam/iteration", "optimizer/adam/momentum_dense_kernel",
                "optimizer/adam/velocity_dense_kernel", "optimizer/adam/momentum_dense_bias",
                "optimizer/adam/velocity_dense_bias", "optimizer/adam/momentum_dense_1_kernel",
                "optimizer/adam/velocity_dense_1_kernel", "optimizer/adam/momentum_dense_1_bias",
                "optimizer/adam/velocity_dense_1_bias");
        assertThat(c.tensors().get("optimizer/adam/iteration").data()).containsExactly(5f);
        // A whole-model file with optimizer state is still a weights file.
        Sequential other = model();
        other.loadWeights(file);
        assertThat(bits(other)).isEqualTo(bits(m));
    }

    @Test
    void lossAndMetrics_comeBack_andEvaluateGivesTheSameNumbers() throws IOException {
        Sequential m = model();
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), List.of(Metric.ACCURACY,
                Metric.topKCategoricalAccuracy(2), Metric.auc()), List.of(Metric.binaryAccuracy(0.25)));
        m.fit(X, Y, epochs(1));
        Path file = dir.resolve("m.safetensors");
        m.save(file);
        Sequential loaded = Sequential.load(file);
        assertThat(loaded.loss().name()).isEqualTo("categorical_crossentropy");
        assertThat(loaded.loss().fromLogits()).isFalse();
        assertThat(loaded.metrics()).extracting(Metric::name)
                .containsExactly("accuracy", "top_k_categorical_accuracy", "auc", "binary_accuracy");
        Evaluation before = m.evaluate(X, Y);
        Evaluation after = loaded.evaluate(X, Y);
        assertThat(after.values()).containsOnlyKeys("loss", "accuracy", "top_k_categorical_accuracy", "auc",
                "binary_accuracy");
        assertThat(after).isEqualTo(before);
    }

    @Test
    void lossSettings_comeBack() throws IOException {
        Sequential logits = new Sequential(5, 7L, new Dense(3));
        logits.compile(new SGD(), Loss.categoricalCrossentropy(true), Metric.ACCURACY);
        Path file = dir.resolve("m.safetensors");
        logits.save(file);
        assertThat(Sequential.load(file).loss().fromLogits()).isTrue();

        Sequential huber = new Sequential(5, 7L, new Dense(3));
        huber.compile(new SGD(), Loss.huber(0.25f), Metric.meanAbsoluteError());
        huber.save(file);
        Sequential loaded = Sequential.load(file);
        assertThat(loaded.loss().toString()).isEqualTo("huber(delta=0.25)");
        assertThat(loaded.evaluate(X, Y)).isEqualTo(huber.evaluate(X, Y));
    }

    @Test
    void fileOfFormatVersion1_writtenBeforeCompileConfig_stillLoads_uncompiled() throws IOException {
        Sequential loaded = Sequential.load(Path.of("test-data/model/v1-before-compile-config.safetensors"));
        assertThat(loaded.optimizer()).isNull();
        assertThat(loaded.architecture()).isEqualTo("5-8(relu)-3(softmax)");
        // The file's program (test-data/model/GenV1.java.txt) trained this, with the data of this class.
        Sequential same = model();
        same.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        same.fit(X, Y, epochs(2));
        assertThat(bits(loaded)).isEqualTo(bits(same));
    }

    @Test
    void modelCheckpoint_wholeModelFile_resumesTraining() throws IOException {
        Sequential straight = model();
        straight.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        straight.fit(X, Y, epochs(4));

        Path file = dir.resolve("ckpt-{epoch:02d}.safetensors");
        Sequential first = model();
        first.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        first.fit(X, Y, epochs(2).callbacks(new ModelCheckpoint(file)));
        Sequential loaded = Sequential.load(dir.resolve("ckpt-02.safetensors"));
        assertThat(loaded.optimizer().iterations()).isEqualTo(10);
        loaded.fit(X, Y, epochs(2));
        assertThat(bits(loaded)).isEqualTo(bits(straight));
    }

    // ---------------------------------------------------------------- refused at save

    /** A metric of the user's own, which load could not rebuild. */
    private static final class OwnMetric implements Metric {
        @Override
        public String name() {
            return "my_metric";
        }

        @Override
        public void update(Tensor yTrue, Tensor yPred) {
        }

        @Override
        public double result() {
            return 0;
        }

        @Override
        public void reset() {
        }

        @Override
        public Metric fresh() {
            return new OwnMetric();
        }
    }

    @Test
    void save_refusesWhatLoadCouldNotRebuild_unlessOptimizerLeftOut() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Optimizer own = new Optimizer() {
            @Override
            public void applyGradients(List<? extends Tensor> gradients, List<vecgrad.tensor.Variable> variables) {
            }

            @Override
            public long iterations() {
                return 0;
            }

            @Override
            public float learningRate() {
                return 0.1f;
            }

            @Override
            public void setLearningRate(float learningRate) {
            }
        };
        LearningRateSchedule ownSchedule = new LearningRateSchedule() {
            @Override
            public float value(long step) {
                return 0.1f;
            }

            @Override
            public Map<String, Object> config() {
                return Map.of();
            }
        };
        Loss ownLoss = Loss.of("my_loss", (t, p) -> Ops.mean(Ops.square(Ops.sub(p, t))));
        Metric ownMetric = new OwnMetric();
        Sequential m = model();
        m.compile(own, Loss.categoricalCrossentropy());
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optimizer").hasMessageContaining(own.getClass().getName())
                .hasMessageContaining("save(path, false)");
        m.compile(Adam.builder().learningRate(ownSchedule).build(), Loss.categoricalCrossentropy());
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schedule").hasMessageContaining(ownSchedule.getClass().getName());
        m.compile(new Adam(), ownLoss);
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss 'my_loss'");
        m.compile(new Adam(), Loss.categoricalCrossentropy(), ownMetric);
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("metric 'my_metric'");
        assertThat(file).doesNotExist();

        // One optimizer stepping two models holds the state of both: it would not load into either.
        Adam shared = new Adam(0.01f);
        m.compile(shared, Loss.categoricalCrossentropy());
        m.fit(X, Y, epochs(1));
        Sequential other = new Sequential(5, 8L, new Dense(4));
        shared.applyGradients(List.of(Tensor.ones(5, 4), Tensor.ones(4)), other.trainableVariables());
        assertThatThrownBy(() -> m.save(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not that of this model's trainable variables")
                .hasMessageContaining("save(path, false)");
        assertThat(file).doesNotExist();
        m.save(file, false);
        assertThat(Sequential.load(file).optimizer()).isNull();
    }

    // ---------------------------------------------------------------- refused at load

    /** A deep, mutable copy of the model JSON of {@code file}, edited and written to a new file. */
    @SuppressWarnings("unchecked")
    private static Object mutable(Object o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> c = new LinkedHashMap<>();
            m.forEach((k, v) -> c.put((String) k, mutable(v)));
            return c;
        }
        if (o instanceof List<?> l) {
            List<Object> c = new ArrayList<>();
            l.forEach(v -> c.add(mutable(v)));
            return c;
        }
        return o;
    }

    private Path trainedFile() throws IOException {
        Sequential m = model();
        m.compile(Adam.builder().learningRate(0.01).amsgrad(true).build(), Loss.categoricalCrossentropy(),
                Metric.ACCURACY);
        m.fit(X, Y, epochs(1));
        Path file = dir.resolve("good.safetensors");
        m.save(file);
        return file;
    }

    @SuppressWarnings("unchecked")
    private Path edited(Path good, java.util.function.Consumer<Map<String, Object>> editJson,
                        java.util.function.Consumer<Map<String, Tensor>> editTensors) throws IOException {
        SafeTensorsContents c = SafeTensors.read(good);
        Map<String, Object> root = (Map<String, Object>) mutable(Json.read(c.metadata().get(Sequential.MODEL_KEY)));
        editJson.accept(root);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(Sequential.MODEL_KEY, Json.write(root));
        Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        editTensors.accept(tensors);
        Path bad = dir.resolve("bad.safetensors");
        SafeTensors.write(bad, tensors, meta);
        return bad;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> m = root;
        for (String p : path) {
            m = (Map<String, Object>) m.get(p);
        }
        return m;
    }

    @Test
    void load_refusesBadCompileConfigOrState_namingFileAndField() throws IOException {
        Path good = trainedFile();
        Sequential.load(good); // the unedited file loads

        Path bad = edited(good, r -> at(r, "compile_config", "optimizer").put("class_name", "Adamm"), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("compile_config: optimizer: Adamm:")
                .hasMessageContaining("unknown optimizer class");

        edited(good, r -> at(r, "compile_config", "optimizer", "config").put("beta_1", 1.5), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("optimizer: Adam:")
                .hasMessageContaining("beta1").hasMessageContaining("1.5");

        edited(good, r -> at(r, "compile_config", "optimizer", "config").put("beta_one", 0.9), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("beta_one");

        edited(good, r -> at(r, "compile_config", "optimizer", "config").put("learning_rate", "fast"), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("'learning_rate' to be a number");

        edited(good, r -> at(r, "compile_config", "loss").put("name", "cross_entropy"), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("compile_config: loss:")
                .hasMessageContaining("unknown loss 'cross_entropy'");

        edited(good, r -> ((List<Object>) at(r, "compile_config").get("metrics")).add(Map.of("name", "f1")), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("compile_config: metrics[1]:")
                .hasMessageContaining("unknown metric 'f1'");

        edited(good, r -> { }, t -> t.put("optimizer/adam/momentum_dense_bias", Tensor.zeros(7)));
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("'adam/momentum_dense_bias' has shape (7)")
                .hasMessageContaining("(8)").hasMessageContaining("(8)");

        edited(good, r -> { }, t -> t.remove("optimizer/adam/velocity_hat_dense_1_kernel"));
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("adam/velocity_hat_dense_1_kernel");

        edited(good, r -> { }, t -> t.remove("optimizer/adam/iteration"));
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("adam/iteration");

        edited(good, r -> at(r, "compile_config", "optimizer", "config").put("amsgrad", false), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("velocity_hat");

        edited(good, r -> r.remove("compile_config"), t -> { });
        assertThatThrownBy(() -> Sequential.load(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(bad.toString()).hasMessageContaining("no 'compile_config'");

        edited(good, r -> { }, t -> t.put("optimizer/adam/momentum_dense_bias", Tensor.of(new float[] {
            Float.NaN, 0, 0, 0, 0, 0, 0, 0}, 8)));
        assertThatThrownBy(() -> Sequential.load(bad)).hasMessageContaining(bad.toString())
                .hasMessageContaining("optimizer/adam/momentum_dense_bias");
    }
}
