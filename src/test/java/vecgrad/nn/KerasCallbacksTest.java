package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.optim.Adam;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;

/** The Keras 3 callback behaviours of issue 11, each against Keras' code or an independent computation. */
final class KerasCallbacksTest {

    // ---------------------------------------------------------------- hooks

    @Test
    void hooks_calledInKerasOrder_withParamsModelAndBatchSizes() {
        Tensor[] d = SequentialTest.blobs(50, 5, 1);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<String> events = new ArrayList<>();
        Callback cb = recorder(events);
        // 50 rows, split 0.2: 40 training rows in batches of 16 (16, 16, 8), 10 validation rows (one batch)
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).validationSplit(0.2).verbose(0).callbacks(cb));
        assertThat(events).containsExactly("params 2 3 0 16", "model", "trainBegin",
                "e1", "b1", "/b1 16", "b2", "/b2 16", "b3", "/b3 8",
                "test", "t1", "/t1 10", "/test", "/e1",
                "e2", "b1", "/b1 16", "b2", "/b2 16", "b3", "/b3 8",
                "test", "t1", "/t1 10", "/test", "/e2", "trainEnd");

        events.clear();
        m.evaluate(d[0], d[1], cb);
        assertThat(events).containsExactly("params 1 2 0 32", "model", "test", "t1", "/t1 32", "t2", "/t2 18", "/test");
        events.clear();
        m.predict(d[0], cb);
        assertThat(events).containsExactly("params 1 2 0 32", "model", "predict", "p1", "/p1 32", "p2", "/p2 18", "/predict");
    }

    private static Callback recorder(List<String> events) {
        return new Callback() {
            @Override
            public void setParams(TrainingParams p) {
                events.add("params " + p.epochs() + " " + p.steps() + " " + p.verbose() + " " + p.batchSize());
            }

            @Override
            public void setModel(Model model) {
                events.add("model");
            }

            @Override
            public void onTrainBegin(Model model) {
                events.add("trainBegin");
            }

            @Override
            public void onEpochBegin(int epoch) {
                events.add("e" + epoch);
            }

            @Override
            public void onTrainBatchBegin(int batch) {
                events.add("b" + batch);
            }

            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                events.add("/b" + batch + " " + logs.size());
            }

            @Override
            public void onTestBegin() {
                events.add("test");
            }

            @Override
            public void onTestBatchBegin(int batch) {
                events.add("t" + batch);
            }

            @Override
            public void onTestBatchEnd(int batch, BatchLogs logs) {
                events.add("/t" + batch + " " + logs.size());
            }

            @Override
            public void onTestEnd(Evaluation result) {
                events.add("/test");
            }

            @Override
            public void onEpochEnd(EpochLogs logs) {
                events.add("/e" + logs.epoch());
            }

            @Override
            public void onTrainEnd(History history) {
                events.add("trainEnd");
            }

            @Override
            public void onPredictBegin() {
                events.add("predict");
            }

            @Override
            public void onPredictBatchBegin(int batch) {
                events.add("p" + batch);
            }

            @Override
            public void onPredictBatchEnd(int batch, Tensor outputs) {
                events.add("/p" + batch + " " + outputs.dim(0));
            }

            @Override
            public void onPredictEnd() {
                events.add("/predict");
            }
        };
    }

    @Test
    void batchLogs_areRunningMeans_trainingAndTest() {
        // The running loss of training batches is checked against a custom loop in TapeVersusFitTest; here
        // the test batches: each batch's logs are the mean over the rows evaluated so far, recomputed here
        // from per-batch evaluations of the same model.
        Tensor[] d = SequentialTest.blobs(70, 5, 2);
        Sequential m = SequentialTest.small(3);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<BatchLogs> seen = new ArrayList<>();
        Evaluation all = m.evaluate(d[0], d[1], new Callback() {
            @Override
            public void onTestBatchEnd(int batch, BatchLogs logs) {
                seen.add(logs);
            }
        });
        assertThat(seen).hasSize(3);
        double lossSum = 0;
        double correct = 0;
        int rows = 0;
        for (int b = 0; b < 3; b++) {
            int from = 32 * b;
            int to = Math.min(70, from + 32);
            Evaluation part = m.evaluate(slice(d[0], from, to), slice(d[1], from, to));
            lossSum += part.loss() * (to - from);
            correct += part.accuracy() * (to - from);
            rows += to - from;
            assertThat(seen.get(b).loss()).as("running loss after batch %d", b + 1).isCloseTo(lossSum / rows, within(1e-12));
            assertThat(seen.get(b).get("accuracy")).isCloseTo(correct / rows, within(1e-12));
        }
        assertThat(seen.get(2).loss()).isEqualTo(all.loss());
    }

    private static Tensor slice(Tensor t, int from, int to) {
        int cols = t.size() / t.dim(0);
        float[] out = java.util.Arrays.copyOfRange(t.data(), from * cols, to * cols);
        return Tensor.wrap(out, to - from, cols);
    }

    // ---------------------------------------------------------------- ModelCheckpoint

    @Test
    void modelCheckpoint_formatsKerasNamesInFit(@TempDir Path dir) throws Exception {
        Tensor[] d = SequentialTest.blobs(60, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        ModelCheckpoint mc = new ModelCheckpoint(dir.resolve("k-{epoch:02d}-{val_loss:.2f}-{accuracy:.3f}.safetensors"),
                "val_loss", false);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(3).validationSplit(0.25).verbose(0).callbacks(mc));
        List<String> expected = new ArrayList<>();
        for (EpochLogs e : h.epochs()) {
            expected.add(String.format(Locale.ROOT, "k-%02d-%.2f-%.3f.safetensors", e.epoch(), e.valLoss(), e.accuracy()));
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void modelCheckpoint_wholeModel_loadsBackAndPredictsTheSame(@TempDir Path dir) throws Exception {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy());
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("model-{epoch}.safetensors"))));
        Sequential loaded = Sequential.load(dir.resolve("model-2.safetensors"));
        assertThat(loaded.predict(d[0]).data()).isEqualTo(m.predict(d[0]).data());
        assertThat(Sequential.load(dir.resolve("model-1.safetensors")).predict(d[0]).data())
                .isNotEqualTo(m.predict(d[0]).data());
    }

    @Test
    void modelCheckpoint_saveFreqInBatches_countsAcrossEpochsAndFormatsBatch(@TempDir Path dir) throws Exception {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy());
        // 40 rows in batches of 8: 5 steps per epoch; every 2 steps: global steps 2, 4, 6, 8, 10
        ModelCheckpoint mc = new ModelCheckpoint(dir.resolve("b-{epoch}-{batch}-{loss:.1e}.safetensors"), "loss", false)
                .saveFreq(2);
        List<String> expected = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                int global = (logs.epoch() - 1) * 5 + batch;
                if (global % 2 == 0) {
                    expected.add(String.format(Locale.ROOT, "b-%d-%d-%.1e.safetensors", logs.epoch(), batch, logs.loss())
                            .replace("e-0", "e-").replace("e-", "e-0").replace("e+0", "e+").replace("e+", "e+0"));
                }
            }
        };
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(8).verbose(0).callbacks(spy, mc));
        assertThat(mc.saves()).isEqualTo(5);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void modelCheckpoint_badNamesRefusedBeforeTraining(@TempDir Path dir) {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("w-{val_los:.2f}"), "loss", false))))
                .hasMessageContaining("uses {val_los}, which fit will not log");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0)
                .callbacks(new ModelCheckpoint(dir.resolve("w-{batch}"), "loss", false))))
                .hasMessageContaining("{batch} needs saveFreq(n)");
        assertThat(m.trainableVariables().get(0).data()).as("nothing trained").isEqualTo(before);
        assertThatThrownBy(() -> new ModelCheckpoint(dir.resolve("w-{loss:02d}"), "loss", false))
                .hasMessageContaining("'d' is for integers");
        assertThatThrownBy(() -> new ModelCheckpoint(dir.resolve("w-{epoch"), "loss", false))
                .hasMessageContaining("bad format string");
        assertThatThrownBy(() -> new ModelCheckpoint(dir.resolve("w"), "loss", false).saveFreq(0))
                .hasMessage("ModelCheckpoint: saveFreq must be >= 1 batches, got 0");
    }

    @Test
    void modelCheckpoint_verboseSaveBestOnly_printsKerasMessages(@TempDir Path dir) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Path file = dir.resolve("best.safetensors");
        ModelCheckpoint mc = new ModelCheckpoint(file, "val_loss", true)
                .verbose(1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        mc.onTrainBegin(SequentialTest.small(1));
        mc.onEpochEnd(new EpochLogs(1, Map.of("loss", 1.0, "val_loss", 0.41), 0));
        mc.onEpochEnd(new EpochLogs(2, Map.of("loss", 1.0, "val_loss", 0.5), 0));
        String n = System.lineSeparator();
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(n + "Epoch 1: val_loss improved from None to 0.41000,"
                + " saving model to " + file + n + n + "Epoch 1: finished saving model to " + file + n + n
                + "Epoch 2: val_loss did not improve from 0.41000" + n);
    }

    // ---------------------------------------------------------------- ReduceLROnPlateau

    /**
     * keras/src/callbacks/reduce_lr_on_plateau.py (on_train_begin, on_epoch_end, _reduce_optimizer_lr)
     * transcribed: the rate at each epoch end, in float32 as the optimizer variable holds it.
     */
    private static float[] kerasRates(double[] values, float lr, double factor, int patience, double minDelta,
            int cooldown, double minLr, boolean max) {
        Double best = null;
        int wait = 0;
        int cooldownCounter = 0;
        float[] rates = new float[values.length];
        double md = max ? minDelta : -minDelta;
        for (int epoch = 0; epoch < values.length; epoch++) {
            double current = values[epoch];
            if (cooldownCounter > 0) {
                cooldownCounter -= 1;
                wait = 0;
            }
            if (best == null || (max ? current - md > best : current - md < best)) {
                best = current;
                wait = 0;
            } else if (!(cooldownCounter > 0)) {
                wait += 1;
                if (wait >= patience) {
                    double oldLr = lr;
                    if (oldLr > (float) minLr) {
                        double newLr = Math.max(oldLr * factor, minLr);
                        lr = (float) newLr;
                        cooldownCounter = cooldown;
                        wait = 0;
                    }
                }
            }
            rates[epoch] = lr;
        }
        return rates;
    }

    @Test
    void reduceLROnPlateau_randomRuns_matchKerasTranscription() {
        Random rng = new Random(5);
        for (int run = 0; run < 2000; run++) {
            int n = 1 + rng.nextInt(15);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = rng.nextInt(6) / 4.0;
            }
            double factor = new double[] {0.1, 0.5, 0.3}[rng.nextInt(3)];
            int patience = rng.nextInt(3);
            double minDelta = rng.nextInt(2) / 4.0;
            int cooldown = rng.nextInt(3);
            double minLr = new double[] {0, 1e-4, 0.004}[rng.nextInt(3)];
            boolean max = rng.nextBoolean();
            float[] expected = kerasRates(values, 0.01f, factor, patience, minDelta, cooldown, minLr, max);

            Sequential m = SequentialTest.small(1);
            m.compile(new SGD(0.01f), Loss.categoricalCrossentropy());
            ReduceLROnPlateau r = new ReduceLROnPlateau("val_auc", factor, patience, max ? "max" : "min")
                    .minDelta(minDelta).cooldown(cooldown).minLr(minLr);
            r.onTrainBegin(m);
            for (int e = 1; e <= n; e++) {
                float before = m.optimizer().learningRate();
                EpochLogs logs = new EpochLogs(e, new LinkedHashMap<>(Map.of("loss", 0.0, "val_auc", values[e - 1])), 0);
                r.onEpochEnd(logs);
                String what = "run " + run + " epoch " + e + ": " + java.util.Arrays.toString(values) + " factor " + factor
                        + " patience " + patience + " minDelta " + minDelta + " cooldown " + cooldown + " minLr " + minLr
                        + (max ? " max" : " min");
                assertThat(logs.get("learning_rate")).as(what + ": logged before the change").isEqualTo((double) before);
                assertThat(m.optimizer().learningRate()).as(what).isEqualTo(expected[e - 1]);
            }
        }
    }

    @Test
    void reduceLROnPlateau_inFit_logsLearningRateAndRefusesBadArguments() {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new SGD(0.01f), Loss.categoricalCrossentropy());
        // loss cannot fall by 10 in an epoch: every epoch after the first (the first best) is a plateau,
        // and with patience 1 each one halves the rate; the log holds the rate the epoch used
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(4).verbose(0)
                .callbacks(new ReduceLROnPlateau("loss", 0.5, 1).minDelta(10)));
        assertThat(h.get("learning_rate")).containsExactly(0.01f, 0.01f, 0.005f, 0.0025f);
        assertThat(m.optimizer().learningRate()).isEqualTo(0.00125f);
        assertThatThrownBy(() -> new ReduceLROnPlateau("loss", 1.0, 1)).hasMessage("ReduceLROnPlateau: factor must be in (0, 1), got 1.0");
        assertThatThrownBy(() -> new ReduceLROnPlateau("loss", 0.5, -1)).hasMessage("ReduceLROnPlateau: patience must be >= 0, got -1");
        assertThatThrownBy(() -> new ReduceLROnPlateau().minLr(-1)).hasMessageContaining("minLr must be");
        assertThatThrownBy(() -> new ReduceLROnPlateau().cooldown(-1)).hasMessageContaining("cooldown must be >= 0");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0).callbacks(new ReduceLROnPlateau())))
                .hasMessageContaining("ReduceLROnPlateau monitors 'val_loss', but there is no validation data");
    }

    // ---------------------------------------------------------------- LearningRateScheduler

    @Test
    void learningRateScheduler_setsTheRateAtEpochBeginFromTheKerasIndex() {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new SGD(0.1f), Loss.categoricalCrossentropy());
        List<String> calls = new ArrayList<>();
        List<Float> inEpoch = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onTrainBatchBegin(int batch) {
                if (batch == 1) {
                    inEpoch.add(m.optimizer().learningRate());
                }
            }
        };
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(3).verbose(0).callbacks(
                new LearningRateScheduler((i, lr) -> {
                    calls.add(i + ":" + lr);
                    return i < 1 ? lr : lr * Math.exp(-0.1);
                }), spy));
        float r1 = 0.1f;
        float r2 = (float) (r1 * Math.exp(-0.1));
        float r3 = (float) (r2 * Math.exp(-0.1));
        assertThat(calls).containsExactly("0:" + (double) r1, "1:" + (double) r1, "2:" + (double) r2);
        assertThat(inEpoch).containsExactly(r1, r2, r3);
        assertThat(h.get("learning_rate")).containsExactly(r1, r2, r3);
        Sequential m2 = SequentialTest.small(1);
        m2.compile(new SGD(0.1f), Loss.categoricalCrossentropy());
        assertThatThrownBy(() -> m2.fit(d[0], d[1], FitOptions.defaults().epochs(2).verbose(0)
                .callbacks(new LearningRateScheduler((i, lr) -> i == 1 ? Double.NaN : lr))))
                .hasMessage("LearningRateScheduler: expected a positive finite learning rate for epoch 2 (index 1), got NaN");
    }

    // ---------------------------------------------------------------- CSVLogger

    @Test
    void csvLogger_writesKerasColumnsAndValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.csv");
        CSVLogger csv = new CSVLogger(file);
        csv.onTrainBegin(SequentialTest.small(1));
        csv.onEpochEnd(new EpochLogs(1, new LinkedHashMap<>(Map.of("loss", 0.5, "accuracy", 0.1 + 0.2)), 1));
        csv.onEpochEnd(new EpochLogs(2, new LinkedHashMap<>(Map.of("loss", 1e-5, "accuracy", 1.0)), 1));
        csv.onTrainEnd(new History());
        // Python: csv.DictWriter(excel dialect) of str(float); no val_ key, so Keras adds val_ twins as NA
        assertThat(Files.readString(file)).isEqualTo("epoch,accuracy,loss,val_accuracy,val_loss\r\n"
                + "0,0.30000000000000004,0.5,NA,NA\r\n1,1.0,1e-05,NA,NA\r\n");

        CSVLogger appended = new CSVLogger(file, ";", true);
        appended.onTrainBegin(SequentialTest.small(1));
        appended.onEpochEnd(new EpochLogs(1, Map.of("loss", 2.0, "val_loss", 3.0), 1));
        appended.onTrainEnd(new History());
        assertThat(Files.readString(file)).endsWith("1,1.0,1e-05,NA,NA\r\n0;2.0;3.0\r\n");
        assertThatThrownBy(() -> new CSVLogger(file, "ab", false)).hasMessageContaining("one-character separator");
    }
}
