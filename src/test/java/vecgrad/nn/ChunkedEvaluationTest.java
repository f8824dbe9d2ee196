package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.BatchSource;
import vecgrad.data.Dataset;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;

/**
 * evaluate, predict and fit's validation run the model on chunks of up to 256 rows, and must give
 * exactly the bits of the model run on each 32-row batch alone. The reference is that old way,
 * written here: the test calls the model on 32-row slices itself and combines the losses (a mean
 * weighted by the batch size) and fresh metrics batch by batch.
 */
final class ChunkedEvaluationTest {

    private static final int[] SIZES = {1, 31, 33, 1025, 2049};

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
        InferenceChunks.rowsOverride = 0;
    }

    // ---------------------------------------------------------------- models

    /** Large enough that a 256-row product splits over 2 threads where a 32-row one does not. */
    private static Sequential mlp(long seed) {
        Sequential m = new Sequential(100, seed, new Dense(64, Activation.RELU, Regularizer.l2(1e-3)),
                new Dense(32, Activation.TANH), new Dense(10, Activation.SOFTMAX));
        m.compile(new Adam(), Loss.categoricalCrossentropy(), List.of(Metric.ACCURACY, Metric.topKCategoricalAccuracy(3)),
                List.of(Metric.categoricalAccuracy()));
        return m;
    }

    private static Sequential convnet(long seed) {
        Sequential m = new Sequential(new int[] {7, 6, 2}, seed, new Conv2D(4, 3, Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dense(5, Activation.SOFTMAX));
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    /** BatchNormalization with moving statistics away from 0 and 1 (set by training), Dropout off in inference. */
    private static Sequential batchNormDropout(long seed) {
        Sequential m = new Sequential(12, seed, new Dense(24, Activation.RELU), new BatchNormalization(),
                new Dropout(0.4), new Dense(3, Activation.SOFTMAX));
        m.compile(new SGD(0.05f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Tensor x = inputs(new Random(seed), 300, new int[] {12});
        m.fit(x, oneHot(new Random(seed + 1), 300, 3), FitOptions.defaults().epochs(2).batchSize(16).verbose(0));
        return m;
    }

    /** A sigmoid output with binary cross-entropy: the loss takes the sigmoid's logits. */
    private static Sequential binary(long seed) {
        Sequential m = new Sequential(9, seed, new Dense(7, Activation.RELU), new Dense(1, Activation.SIGMOID));
        m.compile(new Adam(), Loss.binaryCrossentropy(), Metric.binaryAccuracy());
        return m;
    }

    /** Every other built-in layer InferenceChunks runs in chunks, and a softmax in an Activation layer. */
    private static Sequential otherBuiltIns(long seed) {
        Sequential m = new Sequential(new int[] {6, 6, 3}, seed,
                new Normalization(new double[] {0.5, -0.2, 1.0}, new double[] {2.0, 0.5, 1.5}, false),
                new Conv2D(4, 3, Activation.GELU), new LayerNormalization(), new AveragePooling2D(2),
                new Reshape(1, 4, 4), new GlobalAveragePooling2D(), new Dense(6, Activation.SWISH),
                new Dense(3, Activation.LINEAR), new ActivationLayer(Activation.SOFTMAX));
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    private record Case(String name, LongFunction<Sequential> model) {
    }

    private static final List<Case> CASES = List.of(new Case("mlp", ChunkedEvaluationTest::mlp),
            new Case("convnet", ChunkedEvaluationTest::convnet), new Case("batchnorm+dropout",
                    ChunkedEvaluationTest::batchNormDropout), new Case("binary", ChunkedEvaluationTest::binary),
            new Case("other built-ins", ChunkedEvaluationTest::otherBuiltIns));

    // ---------------------------------------------------------------- data

    private static Tensor inputs(Random r, int n, int[] sample) {
        int[] shape = new int[sample.length + 1];
        shape[0] = n;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        Tensor x = Tensor.zeros(shape);
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextGaussian() * 1.5);
        }
        return x;
    }

    private static Tensor oneHot(Random r, int n, int classes) {
        Tensor y = Tensor.zeros(n, classes);
        for (int i = 0; i < n; i++) {
            y.data()[i * classes + (classes == 1 ? 0 : r.nextInt(classes))] = classes == 1 ? r.nextInt(2) : 1f;
        }
        return y;
    }

    private static Tensor targets(Sequential m, Random r, int n) {
        return oneHot(r, n, m.outputs());
    }

    private static Tensor weights(Random r, int n) {
        Tensor w = Tensor.zeros(n);
        for (int i = 0; i < n; i++) {
            w.data()[i] = r.nextInt(4) == 0 ? 0f : 0.25f + 2 * r.nextFloat();
        }
        return w;
    }

    // ---------------------------------------------------------------- the reference: 32-row calls

    /** What the old evaluation gave: per 32-row batch, the running values and the outputs. */
    private record Reference(List<Map<String, Double>> running, List<Tensor> outputs) {
        Map<String, Double> result() {
            return running.get(running.size() - 1);
        }

        float[] predictions() {
            int size = 0;
            for (Tensor t : outputs) {
                size += t.size();
            }
            float[] all = new float[size];
            int at = 0;
            for (Tensor t : outputs) {
                System.arraycopy(t.data(), 0, all, at, t.size());
                at += t.size();
            }
            return all;
        }
    }

    private static Reference reference(Sequential model, Tensor x, Tensor y, Tensor w) {
        int n = x.dim(0);
        List<Metric> plain = new ArrayList<>();
        for (Metric m : model.compiledMetrics()) {
            plain.add(m.fresh());
        }
        List<Metric> weighted = new ArrayList<>();
        for (Metric m : model.compiledWeightedMetrics()) {
            weighted.add(m.fresh());
        }
        List<Tensor> penalties = GradientTape.unrecorded(model::losses);
        double lossSum = 0;
        long seen = 0;
        List<Map<String, Double>> running = new ArrayList<>();
        List<Tensor> outputs = new ArrayList<>();
        for (int s = 0; s < n; s += 32) {
            int e = Math.min(n, s + 32);
            Tensor xb = x.rows(s, e);
            Tensor yb = y.rows(s, e);
            Tensor wb = w == null ? null : w.rows(s, e);
            Tensor p = model.call(xb);
            Tensor loss = wb == null ? model.loss().call(yb, p) : model.loss().call(yb, p, wb);
            loss = Sequential.plusPenalties(loss, penalties);
            lossSum += (double) loss.item() * (e - s);
            seen += e - s;
            for (Metric m : plain) {
                m.update(yb, p);
            }
            for (Metric m : weighted) {
                m.update(yb, p, wb);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("loss", lossSum / seen);
            for (Metric m : plain) {
                values.put(m.name(), m.result());
            }
            for (Metric m : weighted) {
                values.put(m.name(), m.result());
            }
            running.add(values);
            outputs.add(p.copy());
        }
        return new Reference(running, outputs);
    }

    // ---------------------------------------------------------------- tests

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void evaluateAndPredict_equalThirtyTwoRowCalls_forEveryModelAndSize(int threads) {
        Parallel.setThreads(threads);
        for (Case c : CASES) {
            Sequential model = c.model().apply(7);
            assertThat(InferenceChunks.rows(model)).as("%s: chunk rows", c.name()).isEqualTo(256);
            for (int n : SIZES) {
                Random r = new Random(n);
                Tensor x = inputs(r, n, model.inputShape());
                Tensor y = targets(model, r, n);
                Reference ref = reference(model, x, y, null);
                Evaluation ev = model.evaluate(x, y);
                assertThat(ev.values()).as("%s, %d rows, %d threads: evaluate", c.name(), n, threads)
                        .isEqualTo(ref.result());
                assertThat(ev.samples()).isEqualTo(n);
                Tensor p = model.predict(x);
                assertThat(p.data()).as("%s, %d rows, %d threads: predict", c.name(), n, threads)
                        .isEqualTo(ref.predictions());
            }
        }
    }

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void fitValidation_withSampleWeights_equalsThirtyTwoRowCallsOnTheValidationRows(int threads) {
        Parallel.setThreads(threads);
        for (Case c : CASES) {
            for (int val : new int[] {1, 33, 1025}) {
                Sequential model = c.model().apply(3);
                int n = 2 * val + 1;   // validationSplit 0.5 leaves floor(n / 2) = val for training, val + 1 for validation
                Random r = new Random(val);
                Tensor x = inputs(r, n, model.inputShape());
                Tensor y = targets(model, r, n);
                Tensor w = weights(r, n);
                History h = model.fit(x, y, FitOptions.defaults().epochs(1).batchSize(64).validationSplit(0.5)
                        .sampleWeights(w).seed(5).verbose(0));
                int splitAt = (int) Math.floor(n * 0.5);
                // The validation after the only epoch sees the weights fit ended with: the model's now.
                Reference ref = reference(model, x.rows(splitAt, n), y.rows(splitAt, n), w.rows(splitAt, n));
                Map<String, Double> expected = new LinkedHashMap<>();
                ref.result().forEach((name, value) -> expected.put("val_" + name, value));
                Map<String, Double> got = new LinkedHashMap<>(h.epochs().get(0).values());
                got.keySet().removeIf(name -> !name.startsWith("val_"));
                assertThat(got).as("%s, %d validation rows, %d threads", c.name(), n - splitAt, threads)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void fitValidation_onTensorsAndDatasets_equalsThirtyTwoRowCalls() {
        Sequential model = mlp(5);
        Random r = new Random(11);
        Tensor x = inputs(r, 200, model.inputShape());
        Tensor y = targets(model, r, 200);
        Tensor vx = inputs(r, 1057, model.inputShape());
        int[] labels = new int[1057];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Dataset val = Dataset.of(vx, labels);
        History h = model.fit(x, y, FitOptions.defaults().epochs(1).validationData(vx, val.oneHot(10)).verbose(0));
        Reference ref = reference(model, vx, val.oneHot(10), null);
        assertThat(h.epochs().get(0).valLoss()).isEqualTo(ref.result().get("loss"));
        assertThat(h.epochs().get(0).get("val_top_k_categorical_accuracy"))
                .isEqualTo(ref.result().get("top_k_categorical_accuracy"));

        History hd = model.fit(Dataset.of(x, y.argmaxRows()), FitOptions.defaults().epochs(1).validationData(val).verbose(0));
        ref = reference(model, vx, val.oneHot(10), null);
        assertThat(hd.epochs().get(0).valLoss()).isEqualTo(ref.result().get("loss"));
        assertThat(hd.epochs().get(0).valAccuracy()).isEqualTo(ref.result().get("accuracy"));
        assertThat(model.evaluate(val).values()).isEqualTo(ref.result());
    }

    @Test
    void smallChunks_giveTheSameBits_acrossManyChunkBoundaries() {
        Sequential model = batchNormDropout(9);
        Random r = new Random(4);
        Tensor x = inputs(r, 1000, model.inputShape());
        Tensor y = targets(model, r, 1000);
        Reference ref = reference(model, x, y, null);
        for (int rows : new int[] {32, 64, 96, 480}) {
            InferenceChunks.rowsOverride = rows;
            assertThat(InferenceChunks.rows(model)).isEqualTo(rows);
            assertThat(model.evaluate(x, y).values()).as("chunks of %d rows", rows).isEqualTo(ref.result());
            assertThat(model.predict(x).data()).as("chunks of %d rows", rows).isEqualTo(ref.predictions());
        }
    }

    // ---------------------------------------------------------------- callbacks

    /** Writes down every test and predict hook with what it was given. */
    private static final class Recorder implements Callback {
        final List<String> events = new ArrayList<>();

        @Override
        public void onTestBegin() {
            events.add("testBegin");
        }

        @Override
        public void onTestBatchBegin(int batch) {
            events.add("testBatchBegin " + batch);
        }

        @Override
        public void onTestBatchEnd(int batch, BatchLogs logs) {
            events.add("testBatchEnd " + batch + " size " + logs.size() + " " + logs.values());
        }

        @Override
        public void onTestEnd(Evaluation result) {
            events.add("testEnd " + result.values());
        }

        @Override
        public void onPredictBegin() {
            events.add("predictBegin");
        }

        @Override
        public void onPredictBatchBegin(int batch) {
            events.add("predictBatchBegin " + batch);
        }

        @Override
        public void onPredictBatchEnd(int batch, Tensor outputs) {
            events.add("predictBatchEnd " + batch + " " + outputs.shapeString() + " " + Arrays.toString(outputs.data()));
        }

        @Override
        public void onPredictEnd() {
            events.add("predictEnd");
        }
    }

    @ParameterizedTest(name = "{0} rows")
    @ValueSource(ints = {1, 33, 1025, 2049})
    void hooks_runOncePerThirtyTwoRowBatch_inOrder_withThatBatchsLogsAndOutputs(int n) {
        Sequential model = mlp(2);
        Random r = new Random(n);
        Tensor x = inputs(r, n, model.inputShape());
        Tensor y = targets(model, r, n);
        Reference ref = reference(model, x, y, null);
        int batches = (n + 31) / 32;

        List<String> expected = new ArrayList<>();
        expected.add("testBegin");
        for (int b = 1; b <= batches; b++) {
            expected.add("testBatchBegin " + b);
            expected.add("testBatchEnd " + b + " size " + Math.min(32, n - 32 * (b - 1)) + " " + ref.running().get(b - 1));
        }
        expected.add("testEnd " + ref.result());
        Recorder rec = new Recorder();
        model.evaluate(x, y, rec);
        assertThat(rec.events).isEqualTo(expected);

        expected.clear();
        expected.add("predictBegin");
        for (int b = 1; b <= batches; b++) {
            Tensor out = ref.outputs().get(b - 1);
            expected.add("predictBatchBegin " + b);
            expected.add("predictBatchEnd " + b + " " + out.shapeString() + " " + Arrays.toString(out.data()));
        }
        expected.add("predictEnd");
        rec = new Recorder();
        model.predict(x, rec);
        assertThat(rec.events).isEqualTo(expected);
    }

    @Test
    void fitValidationHooks_runPerThirtyTwoRowBatch() {
        Sequential model = mlp(8);
        Random r = new Random(8);
        Tensor x = inputs(r, 64, model.inputShape());
        Tensor y = targets(model, r, 64);
        Tensor vx = inputs(r, 1030, model.inputShape());
        Tensor vy = targets(model, r, 1030);
        Recorder rec = new Recorder();
        model.fit(x, y, FitOptions.defaults().epochs(1).validationData(vx, vy).callbacks(rec).verbose(0));
        Reference ref = reference(model, vx, vy, null);
        List<String> expected = new ArrayList<>();
        expected.add("testBegin");
        for (int b = 1; b <= 33; b++) {
            expected.add("testBatchBegin " + b);
            expected.add("testBatchEnd " + b + " size " + (b == 33 ? 6 : 32) + " " + ref.running().get(b - 1));
        }
        expected.add("testEnd " + ref.result());
        assertThat(rec.events).isEqualTo(expected);
    }

    @Test
    void userBatchSourceValidation_keepsItsOwnBatches() {
        Sequential model = mlp(6);
        Random r = new Random(6);
        Tensor x = inputs(r, 64, model.inputShape());
        Tensor y = targets(model, r, 64);
        Tensor vx = inputs(r, 150, model.inputShape());
        Tensor vy = targets(model, r, 150);
        List<BatchSource.Batch> given = new ArrayList<>();
        for (int s = 0; s < 150; s += 50) {
            given.add(new BatchSource.Batch(vx.rows(s, s + 50), vy.rows(s, s + 50)));
        }
        Recorder rec = new Recorder();
        model.fit(x, y, FitOptions.defaults().epochs(1).validationData(BatchSource.of(3, given::iterator))
                .callbacks(rec).verbose(0));
        assertThat(rec.events.stream().filter(e -> e.startsWith("testBatchEnd")).map(e -> e.split(" ")[3]).toList())
                .containsExactly("50", "50", "50");
    }

    @Test
    void fitOnTensors_validatesOnADatasetOrABatchSourceGivenAsValidationData() {
        Sequential model = mlp(4);
        Random r = new Random(4);
        Tensor x = inputs(r, 64, model.inputShape());
        Tensor y = targets(model, r, 64);
        Tensor vx = inputs(r, 40, model.inputShape());
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Dataset val = Dataset.of(vx, labels);
        EpochLogs logs = model.fit(x, y, FitOptions.defaults().epochs(1).validationData(val).verbose(0)).epochs().get(0);
        assertThat(logs.hasValidation()).isTrue();
        assertThat(logs.valLoss()).isEqualTo(reference(model, vx, val.oneHot(10), null).result().get("loss"));
    }

    // ---------------------------------------------------------------- models that may mix rows

    /** Subtracts each feature's mean over the batch: each output row depends on the other rows. */
    private static final class CenterOverBatch extends Layer {
        @Override
        public Tensor call(Tensor x, boolean training) {
            int n = x.dim(0);
            int c = x.dim(1);
            float[] d = x.data();
            float[] out = new float[d.length];
            for (int j = 0; j < c; j++) {
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    mean += d[i * c + j];
                }
                mean /= n;
                for (int i = 0; i < n; i++) {
                    out[i * c + j] = (float) (d[i * c + j] - mean);
                }
            }
            return Tensor.wrap(out, n, c);
        }
    }

    @Test
    void aLayerOfTheUsersOwn_keepsThirtyTwoRowCalls() {
        Sequential model = new Sequential(10, 1, new Dense(8, Activation.RELU), new CenterOverBatch(),
                new Dense(4, Activation.SOFTMAX));
        model.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Random r = new Random(1);
        Tensor x = inputs(r, 1025, model.inputShape());
        Tensor y = targets(model, r, 1025);
        Reference ref = reference(model, x, y, null);
        assertThat(model.evaluate(x, y).values()).isEqualTo(ref.result());
        assertThat(model.predict(x).data()).isEqualTo(ref.predictions());
        assertThat(InferenceChunks.rows(model)).isEqualTo(32);
        InferenceChunks.rowsOverride = 256;   // no override turns a row-mixing model to chunks
        assertThat(InferenceChunks.rows(model)).isEqualTo(32);
    }

    @Test
    void anActivationOfTheUsersOwn_keepsThirtyTwoRowCalls_builtInOnesDoNot() {
        Activation own = Activation.of("own", z -> vecgrad.autodiff.ActivationOps.tanh(z));
        Sequential withOwn = new Sequential(10, 1, new Dense(4, own));
        assertThat(InferenceChunks.rows(withOwn)).isEqualTo(32);
        Sequential withParameterized = new Sequential(10, 1, new Dense(4, Activation.leakyRelu(0.1)),
                new ActivationLayer(Activation.gelu(true)));
        assertThat(InferenceChunks.rows(withParameterized)).isEqualTo(256);
    }

    @Test
    void chunkRows_shrinkForLargeConvolutionBuffers() {
        // Conv2D(32, 3) on 28x28x1: 26·26·32 = 21,632 floats of output per image; 1 MB holds 12: one 32-row batch.
        Sequential cnn = new Sequential(new int[] {28, 28, 1}, 1, new Conv2D(32, 3, Activation.RELU), new Flatten(),
                new Dense(10, Activation.SOFTMAX));
        assertThat(InferenceChunks.rows(cnn)).isEqualTo(32);
        // 784-wide rows: 334 rows fit in 1 MB, capped at 256.
        assertThat(InferenceChunks.rows(SequentialTest.reportNetwork(1))).isEqualTo(256);
        // Conv2D(8, 3) on 12x12x4: im2col 10·10·36 = 3,600 floats per image -> 72 -> 64 rows.
        Sequential small = new Sequential(new int[] {12, 12, 4}, 1, new Conv2D(8, 3, Activation.RELU), new Flatten(),
                new Dense(3, Activation.SOFTMAX));
        assertThat(InferenceChunks.rows(small)).isEqualTo(64);
    }
}
