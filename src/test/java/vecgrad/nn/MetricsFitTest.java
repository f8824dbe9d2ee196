package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.Ops;
import vecgrad.data.Batches;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Metrics in compile, fit, evaluate and the callbacks; sample and class weights in fit. */
final class MetricsFitTest {

    /**
     * Mean squared error with Keras' sum_over_batch_size weighting, {@code Σ w·mean_j (p - y)² / m},
     * composed from recorded ops: a loss that takes weights whatever the built-in losses do.
     */
    static class WeightedMse implements Loss {
        @Override
        public Tensor call(Tensor yTrue, Tensor yPred) {
            return Ops.mean(Ops.square(Ops.sub(yPred, yTrue)));
        }

        @Override
        public Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
            if (sampleWeight == null) {
                return call(yTrue, yPred);
            }
            Tensor perSample = Ops.mean(Ops.square(Ops.sub(yPred, yTrue)), 1); // (m)
            return Ops.scale(Ops.sum(Ops.mul(perSample, sampleWeight)), 1f / sampleWeight.size());
        }

        @Override
        public String name() {
            return "weighted_mse";
        }
    }

    private static Tensor[] data() {
        return SequentialTest.blobs(96, 5, 1);
    }

    private static float[] gather(float[] weights, int[] rows, int m) {
        float[] w = new float[m];
        for (int i = 0; i < m; i++) {
            w[i] = weights[rows[i]];
        }
        return w;
    }

    // ---------------------------------------------------------------- accuracy resolution

    /** A 1-unit sigmoid model on 2 features that predicts {@code x0 > 0}, very confidently. */
    private static Sequential sigmoidOnFirstFeature() {
        Sequential m = new Sequential(2, 1, new Dense(1, Activation.SIGMOID));
        m.setWeights(List.of(Tensor.of(new float[] {20f, 0f}, 2, 1), Tensor.of(new float[] {0f}, 1)));
        return m;
    }

    @Test
    void accuracy_onOneSigmoidUnitIsBinaryAccuracy() {
        Random rng = new Random(4);
        Tensor x = Tensor.randomNormal(rng, 0, 1, 50, 2);
        Tensor wrong = Tensor.zeros(50, 1);
        Tensor right = Tensor.zeros(50, 1);
        for (int i = 0; i < 50; i++) {
            boolean positive = x.get(i, 0) > 0;
            right.set(positive ? 1f : 0f, i, 0);
            wrong.set(positive ? 0f : 1f, i, 0);
        }
        Sequential m = sigmoidOnFirstFeature();
        m.compile(new Adam(), Loss.meanSquaredError(), Metric.ACCURACY);
        // The arg-max of one column is always 0: an arg-max accuracy said 1.0 for both.
        assertThat(m.evaluate(x, wrong).accuracy()).isEqualTo(0.0);
        assertThat(m.evaluate(x, right).accuracy()).isEqualTo(1.0);
        // Against Keras' binary_accuracy written out: (p > 0.5) == y, a few targets flipped.
        Tensor mixed = right.copy();
        for (int i = 0; i < 50; i += 7) {
            mixed.data()[i] = 1 - mixed.data()[i];
        }
        Tensor p = m.predict(x);
        int equal = 0;
        for (int i = 0; i < 50; i++) {
            equal += (p.data()[i] > 0.5f ? 1f : 0f) == mixed.data()[i] ? 1 : 0;
        }
        assertThat(m.evaluate(x, mixed).accuracy()).isEqualTo(equal / 50.0).isLessThan(1.0);
    }

    @Test
    void accuracy_resolvesToSparseOrBinaryByTheLoss() {
        Tensor[] d = data();
        Tensor labels = Tensor.zeros(96);
        for (int i = 0; i < 96; i++) {
            labels.data()[i] = d[1].get(i, 1) == 1f ? 1 : d[1].get(i, 2) == 1f ? 2 : 0;
        }
        Sequential sparse = SequentialTest.small(2);
        sparse.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.ACCURACY);
        Metric reference = Metric.sparseCategoricalAccuracy();
        reference.update(labels, sparse.predict(d[0]));
        assertThat(sparse.evaluate(d[0], labels).accuracy()).isEqualTo(reference.result());

        // A binary cross-entropy loss on 3 sigmoid units (multi-label): accuracy per output.
        Sequential multi = new Sequential(5, 2, new Dense(3, Activation.SIGMOID));
        multi.compile(new Adam(), Loss.of("binary_crossentropy", (y, p) -> Ops.mean(Ops.square(Ops.sub(p, y)))),
                Metric.ACCURACY);
        Metric binary = Metric.binaryAccuracy();
        binary.update(d[1], multi.predict(d[0]));
        Metric categorical = Metric.categoricalAccuracy();
        categorical.update(d[1], multi.predict(d[0]));
        assertThat(multi.evaluate(d[0], d[1]).accuracy()).isEqualTo(binary.result()).isNotEqualTo(categorical.result());
    }

    // ---------------------------------------------------------------- compile checks

    @Test
    void compile_rejectsMetricsThatDoNotFitTheModel() {
        Sequential m = SequentialTest.small(1); // 3 softmax outputs
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.topKCategoricalAccuracy()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("top_k_categorical_accuracy with k=5 needs more than 5 outputs, got 3");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.binaryAccuracy()))
                .hasMessageContaining("binary_accuracy expects one target per output, but the loss takes sparse class labels");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.sparseCategoricalAccuracy()))
                .hasMessageContaining("reads integer class labels, but the loss takes one-hot targets");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.sparseCategoricalCrossentropy(), Metric.auc()))
                .hasMessageContaining("auc expects one target per output");
        assertThatThrownBy(() -> sigmoidOnFirstFeature().compile(new Adam(), Loss.meanSquaredError(),
                Metric.categoricalAccuracy())).hasMessageContaining("at least 2 outputs, got 1 (always 1.0)");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.auc(), Metric.auc()))
                .hasMessageContaining("two metrics would be logged as 'auc'");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.categoricalCrossentropy(), new Counter("val_x", null, null)))
                .hasMessageContaining("does not start with val_");
        assertThatThrownBy(() -> m.compile(new Adam(), Loss.categoricalCrossentropy(), new Counter("loss", null, null)))
                .hasMessageContaining("(the loss's own name)");
        assertThatThrownBy(() -> m.fit(data()[0], data()[1], FitOptions.defaults().verbose(0)))
                .as("a refused compile leaves the model uncompiled").hasMessageContaining("must be compiled first");
    }

    // ---------------------------------------------------------------- logs, history, evaluate

    @Test
    void fitAndEvaluate_reportEveryMetricByNameWithValPrefixes() {
        Tensor[] d = data();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY, Metric.auc(),
                Metric.topKCategoricalAccuracy(2), Metric.precision());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).validationSplit(0.25).verbose(2)
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertThat(h.names()).containsExactly("loss", "accuracy", "auc", "top_k_categorical_accuracy", "precision",
                "val_loss", "val_accuracy", "val_auc", "val_top_k_categorical_accuracy", "val_precision");
        assertThat(h.get("val_auc")).hasSize(2);
        assertThat(h.last().valAccuracy()).isEqualTo(h.last().get("val_accuracy"));
        assertThatThrownBy(() -> h.get("recall")).hasMessageContaining("unknown metric 'recall'")
                .hasMessageContaining("loss, accuracy, auc");

        // The last epoch's validation is an evaluate of the validation rows with the final weights.
        Tensor valX = Tensor.of(java.util.Arrays.copyOfRange(d[0].data(), 72 * 5, 96 * 5), 24, 5);
        Tensor valY = Tensor.of(java.util.Arrays.copyOfRange(d[1].data(), 72 * 3, 96 * 3), 24, 3);
        Evaluation e = m.evaluate(valX, valY);
        for (String name : e.values().keySet()) {
            assertThat(h.last().get("val_" + name)).as(name).isEqualTo(e.get(name));
        }
        // evaluate's metrics, batch by batch, against each metric on the whole set at once.
        Tensor p = m.predict(d[0]);
        Evaluation all = m.evaluate(d[0], d[1]);
        assertThat(all.values().keySet()).containsExactly("loss", "accuracy", "auc", "top_k_categorical_accuracy",
                "precision");
        for (Metric ref : List.of(Metric.categoricalAccuracy(), Metric.auc(), Metric.topKCategoricalAccuracy(2),
                Metric.precision())) {
            ref.update(d[1], p);
            String name = ref.name().equals("categorical_accuracy") ? "accuracy" : ref.name();
            assertThat(all.get(name)).as(name).isCloseTo(ref.result(), org.assertj.core.api.Assertions.within(1e-12));
        }
        // Every metric on the epoch line, in Keras' (sorted) order.
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).containsPattern(" - accuracy: \\d\\.\\d{4} - auc: \\d\\.\\d{4} - loss: \\d\\.\\d{4}"
                + " - precision: \\d\\.\\d{4} - top_k_categorical_accuracy: \\d\\.\\d{4} - val_accuracy: \\d\\.\\d{4}"
                + " - val_auc: \\d\\.\\d{4} - val_loss: \\d\\.\\d{4} - val_precision: \\d\\.\\d{4}"
                + " - val_top_k_categorical_accuracy: \\d\\.\\d{4}\n");
    }

    @Test
    void compiledMetrics_areCopiesThatFitAndEvaluateDoNotShare() {
        Tensor[] d = data();
        Metric mine = Metric.categoricalAccuracy();
        Sequential a = SequentialTest.small(1);
        Sequential b = SequentialTest.small(2);
        a.compile(new Adam(), Loss.categoricalCrossentropy(), mine);
        b.compile(new Adam(), Loss.categoricalCrossentropy(), mine);
        double first = a.evaluate(d[0], d[1]).get("categorical_accuracy");
        b.fit(d[0], d[1], FitOptions.defaults().verbose(0));
        assertThat(a.evaluate(d[0], d[1]).get("categorical_accuracy")).isEqualTo(first);
        assertThat(mine.result()).as("the instance given to compile is never updated").isZero();
    }

    // ---------------------------------------------------------------- callbacks on any metric

    /**
     * A custom metric whose value is minus the number of epochs begun (counted across its fresh copies):
     * it gets worse every epoch if larger is better.
     */
    static final class Counter implements Metric {
        private final String name;
        private final AtomicInteger resets;
        private final Direction direction;

        Counter(String name, AtomicInteger resets, Direction direction) {
            this.name = name;
            this.resets = resets;
            this.direction = direction;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void update(Tensor yTrue, Tensor yPred) {
        }

        @Override
        public double result() {
            return -resets.get();
        }

        @Override
        public void reset() {
            resets.incrementAndGet();
        }

        @Override
        public Metric fresh() {
            return new Counter(name, resets, direction);
        }

        @Override
        public Direction direction() {
            return direction;
        }
    }

    @Test
    void earlyStopping_monitorsACustomMetricInItsDirection() {
        Tensor[] d = data();
        Sequential up = SequentialTest.small(1);
        up.compile(new Adam(), Loss.categoricalCrossentropy(), new Counter("score", new AtomicInteger(), Metric.Direction.UP));
        EarlyStopping es = new EarlyStopping("score", 1, 0, false);
        History h = up.fit(d[0], d[1], FitOptions.defaults().epochs(5).verbose(0).callbacks(es));
        assertThat(h.get("score")).containsExactly(-1, -2);
        assertThat(es.stoppedEpoch()).isEqualTo(2);

        Sequential down = SequentialTest.small(1);
        down.compile(new Adam(), Loss.categoricalCrossentropy(), new Counter("score", new AtomicInteger(), Metric.Direction.DOWN));
        EarlyStopping es2 = new EarlyStopping("score", 1, 0, false);
        assertThat(down.fit(d[0], d[1], FitOptions.defaults().epochs(5).verbose(0).callbacks(es2)).epochs()).hasSize(5);
        assertThat(es2.stoppedEpoch()).isZero();

        Sequential unknown = SequentialTest.small(1);
        unknown.compile(new Adam(), Loss.categoricalCrossentropy(),
                new Counter("score", new AtomicInteger(), Metric.Direction.UNKNOWN));
        float[] before = unknown.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> unknown.fit(d[0], d[1], FitOptions.defaults().epochs(5).verbose(0)
                .callbacks(new EarlyStopping("score", 1, 0, false))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass mode \"max\" or \"min\"");
        assertThat(unknown.trainableVariables().get(0).data()).as("nothing trained").isEqualTo(before);
        EarlyStopping max = new EarlyStopping("score", 1, 0, false, "max");
        unknown.fit(d[0], d[1], FitOptions.defaults().epochs(5).verbose(0).callbacks(max));
        assertThat(max.stoppedEpoch()).isEqualTo(2);
    }

    @Test
    void monitors_ofNamesFitWillNeverLogAreRefusedBeforeTraining() {
        Tensor[] d = data();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().validationSplit(0.25).verbose(0)
                .callbacks(new EarlyStopping("val_auc", 1, 0, false))))
                .hasMessageContaining("EarlyStopping monitors 'val_auc', which fit will never log")
                .hasMessageContaining("compile the metric");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0)
                .callbacks(new EarlyStopping("val_accuracy", 1, 0, false))))
                .hasMessageContaining("no validation data");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0).callbacks(
                new ModelCheckpoint(java.nio.file.Path.of("w.safetensors"), "auc", true))))
                .hasMessageContaining("ModelCheckpoint monitors 'auc', which fit will never log");
        assertThat(m.trainableVariables().get(0).data()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- sample and class weights

    /** The fit below, written as a custom loop: the batch's weights passed to the loss, nothing else. */
    private static List<Variable> weightedLoop(Tensor x, Tensor y, java.util.function.Function<Batches.Batch, float[]> weights,
            List<Metric> plain, List<Metric> weighted) {
        Sequential model = SequentialTest.small(3);
        Optimizer optimizer = new Adam(0.01f);
        Loss loss = new WeightedMse();
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(x, y, 16, new Random(5));
        for (int epoch = 0; epoch < 2; epoch++) {
            plain.forEach(Metric::reset);
            weighted.forEach(Metric::reset);
            for (Batches.Batch b : batches) {
                Tensor w = Tensor.of(weights.apply(b), b.size());
                try (GradientTape tape = new GradientTape()) {
                    Tensor p = model.call(b.x(), true);
                    Tensor l = loss.call(b.y(), p, w);
                    optimizer.applyGradients(tape.gradient(l, vars), vars);
                    for (Metric m : plain) {
                        m.update(b.y(), p);
                    }
                    for (Metric m : weighted) {
                        m.update(b.y(), p, w);
                    }
                }
            }
        }
        return vars;
    }

    @Test
    void sampleWeights_trainExactlyAsAWeightedCustomLoop() {
        Tensor[] d = data();
        Tensor sw = Tensor.randomUniform(new Random(8), 0, 3, 96);
        Sequential fitted = SequentialTest.small(3);
        fitted.compile(new Adam(0.01f), new WeightedMse(), List.of(Metric.ACCURACY), List.of(Metric.categoricalAccuracy()));
        History h = fitted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0).sampleWeights(sw));

        Metric plain = Metric.categoricalAccuracy();
        Metric weighted = Metric.categoricalAccuracy();
        List<Variable> vars = weightedLoop(d[0], d[1], b -> gather(sw.data(), b.rows(), b.size()), List.of(plain),
                List.of(weighted));
        for (int i = 0; i < vars.size(); i++) {
            assertThat(fitted.trainableVariables().get(i).data()).as(vars.get(i).name()).isEqualTo(vars.get(i).data());
        }
        // metrics= unweighted, weighted_metrics= weighted (Keras' CompileMetrics), both as the loop measured.
        assertThat(h.last().get("accuracy")).isEqualTo(plain.result());
        assertThat(h.last().get("categorical_accuracy")).isEqualTo(weighted.result()).isNotEqualTo(plain.result());

        Sequential unweighted = SequentialTest.small(3);
        unweighted.compile(new Adam(0.01f), new WeightedMse());
        unweighted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0));
        assertThat(unweighted.trainableVariables().get(0).data()).as("the weights changed the training")
                .isNotEqualTo(fitted.trainableVariables().get(0).data());
    }

    @Test
    void classWeights_trainExactlyAsTheirSampleWeights() {
        Tensor[] d = data();
        Map<Integer, Double> cw = Map.of(0, 0.5, 2, 4.0); // class 1 unlisted: weight 1
        Sequential fitted = SequentialTest.small(3);
        fitted.compile(new Adam(0.01f), new WeightedMse(), Metric.ACCURACY);
        fitted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0).classWeights(cw));
        List<Variable> vars = weightedLoop(d[0], d[1], b -> {
            float[] w = new float[b.size()];
            for (int i = 0; i < b.size(); i++) {
                int c = b.y().get(i, 0) == 1f ? 0 : b.y().get(i, 1) == 1f ? 1 : 2;
                w[i] = (float) (double) cw.getOrDefault(c, 1.0);
            }
            return w;
        }, List.of(), List.of());
        for (int i = 0; i < vars.size(); i++) {
            assertThat(fitted.trainableVariables().get(i).data()).as(vars.get(i).name()).isEqualTo(vars.get(i).data());
        }
    }

    @Test
    void sampleWeights_weightTheValidationLossOfASplit() {
        Tensor[] d = data();
        Tensor sw = Tensor.randomUniform(new Random(8), 0, 3, 96);
        Sequential m = SequentialTest.small(3);
        WeightedMse loss = new WeightedMse();
        m.compile(new Adam(0.01f), loss, Metric.ACCURACY);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(1).batchSize(16).validationSplit(0.25).verbose(0)
                .sampleWeights(sw));
        // Keras: (x, y, sample_weight) split together; the validation loss is Σ batch loss · batch size / n.
        double sum = 0;
        for (int start = 72; start < 96; start += 32) {
            int n = Math.min(32, 96 - start);
            Tensor x = Tensor.of(java.util.Arrays.copyOfRange(d[0].data(), start * 5, (start + n) * 5), n, 5);
            Tensor y = Tensor.of(java.util.Arrays.copyOfRange(d[1].data(), start * 3, (start + n) * 3), n, 3);
            Tensor w = Tensor.of(java.util.Arrays.copyOfRange(sw.data(), start, start + n), n);
            sum += (double) loss.call(y, m.call(x), w).item() * n;
        }
        assertThat(h.last().valLoss()).isEqualTo(sum / 24);
    }

    @Test
    void fitWithoutWeights_neverCallsTheWeightedLoss() {
        Tensor[] d = data();
        Loss strict = new WeightedMse() {
            @Override
            public Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
                throw new AssertionError("the weighted path was taken");
            }
        };
        Sequential fitted = SequentialTest.small(3);
        fitted.compile(new Adam(0.01f), strict, Metric.ACCURACY);
        fitted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0));
        // and it is the plain custom tape loop, bit for bit
        Sequential model = SequentialTest.small(3);
        Optimizer optimizer = new Adam(0.01f);
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(d[0], d[1], 16, new Random(5));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor l = strict.call(b.y(), model.call(b.x(), true));
                    optimizer.applyGradients(tape.gradient(l, vars), vars);
                }
            }
        }
        for (int i = 0; i < vars.size(); i++) {
            assertThat(fitted.trainableVariables().get(i).data()).isEqualTo(vars.get(i).data());
        }
    }

    @Test
    void weights_badInputIsRefusedBeforeAnyStep() {
        Tensor[] d = data();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), new WeightedMse(), Metric.ACCURACY);
        float[] before = m.trainableVariables().get(0).data().clone();
        FitOptions o = FitOptions.defaults().verbose(0);
        assertThatThrownBy(() -> m.fit(d[0], d[1], o.sampleWeights(Tensor.ones(10))))
                .hasMessageContaining("fit: expected sample weights of shape (96), one per sample of x, got (10)");
        assertThatThrownBy(() -> o.sampleWeights(Tensor.filled(-1f, 96))).hasMessageContaining("finite and >= 0, got -1.0");
        assertThatThrownBy(() -> o.sampleWeights(Tensor.filled(Float.NaN, 96))).hasMessageContaining("got NaN");
        assertThatThrownBy(() -> o.sampleWeights(Tensor.ones(96, 1))).hasMessageContaining("shape (n), got (96, 1)");
        assertThatThrownBy(() -> m.fit(d[0], d[1], o.classWeights(Map.of(3, 2.0))))
                .hasMessageContaining("class weights name class 3").hasMessageContaining("classes 0..2");
        assertThatThrownBy(() -> o.classWeights(Map.of(0, -1.0))).hasMessageContaining("finite and >= 0, got -1.0");
        assertThatThrownBy(() -> o.classWeights(Map.of(0, Double.POSITIVE_INFINITY))).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> o.classWeights(Map.of(-1, 1.0))).hasMessageContaining("class indices >= 0, got -1");
        assertThatThrownBy(() -> o.classWeights(Map.of(0, 1.0)).sampleWeights(Tensor.ones(96)))
                .hasMessageContaining("not both");
        Sequential ce = SequentialTest.small(1);
        ce.compile(new Adam(), new Loss() {
            @Override
            public Tensor call(Tensor yTrue, Tensor yPred) {
                return Ops.mean(Ops.square(Ops.sub(yPred, yTrue)));
            }

            @Override
            public String name() {
                return "plain";
            }
        });
        assertThatThrownBy(() -> ce.fit(d[0], d[1], o.sampleWeights(Tensor.ones(96))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the loss plain does not take sample weights");
        assertThat(m.trainableVariables().get(0).data()).isEqualTo(before);
        assertThat(ce.optimizer().iterations()).isZero();
    }

    @Test
    void batchAccuracy_givenToCallbacksIsTheRunningAccuracy() {
        Tensor[] d = data();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<Double> seen = new ArrayList<>();
        m.fit(d[0], d[1], FitOptions.defaults().batchSize(32).verbose(0).callbacks(new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                // the running accuracy over the epoch's samples so far: correct / seen, seen = 32 * batch
                seen.add(logs.get("accuracy") * 32 * batch);
            }
        }));
        assertThat(seen).hasSize(3).allSatisfy(v -> assertThat(v).isEqualTo(Math.rint(v)));
    }
}
