package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.optim.Adam;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;

final class CallbacksTest {

    private static EpochLogs valLoss(int epoch, double v) {
        return new EpochLogs(epoch, 1, 0.5, v, 0.5, 0.1);
    }

    @Test
    void earlyStopping_stopsAfterPatienceAndRestoresTheBestWeights() {
        Sequential m = SequentialTest.small(1);
        EarlyStopping es = new EarlyStopping("val_loss", 2, 0.0, true);
        es.onTrainBegin(m);
        es.onEpochEnd(valLoss(1, 1.0));
        es.onEpochEnd(valLoss(2, 0.8));            // best
        float best = m.trainableVariables().get(0).data()[0];
        m.trainableVariables().get(0).data()[0] = best + 1;
        es.onEpochEnd(valLoss(3, 0.85));           // wait 1
        assertThat(es.stoppedEpoch()).isZero();
        es.onEpochEnd(valLoss(4, 0.81));           // wait 2 -> stop
        assertThat(es.stoppedEpoch()).isEqualTo(4);
        assertThat(es.bestEpoch()).isEqualTo(2);
        assertThat(m.trainableVariables().get(0).data()[0]).as("restored at the end of training").isEqualTo(best + 1);
        es.onTrainEnd(new History());
        assertThat(m.trainableVariables().get(0).data()[0]).isEqualTo(best);
    }

    @Test
    void earlyStopping_minDeltaDecidesWhatCountsAsImprovement() {
        Sequential m = SequentialTest.small(1);
        EarlyStopping es = new EarlyStopping("val_accuracy", 1, 0.05, false);
        es.onTrainBegin(m);
        es.onEpochEnd(new EpochLogs(1, 1, 0.5, 1, 0.50, 0.1));
        es.onEpochEnd(new EpochLogs(2, 1, 0.5, 1, 0.54, 0.1)); // +0.04 < minDelta: no improvement
        assertThat(es.stoppedEpoch()).isEqualTo(2);
        assertThat(es.best()).isEqualTo(0.50);
    }

    @Test
    void earlyStopping_tieIsNoImprovementForLossesAndAccuracies() {
        // Keras compares strictly: np.less(current - min_delta, best) for losses (min_delta negated),
        // np.greater(current - min_delta, best) for accuracies. So an epoch equal to the best, or better
        // by exactly minDelta, does not reset the wait. The values are exact in binary: no rounding.
        String[] monitors = {"loss", "val_loss", "accuracy", "val_accuracy"};
        for (String monitor : monitors) {
            for (double minDelta : new double[] {0, 0.25}) {
                boolean maximize = monitor.endsWith("accuracy");
                double first = 0.5;
                double tie = maximize ? first + minDelta : first - minDelta;
                Sequential m = SequentialTest.small(1);
                EarlyStopping es = new EarlyStopping(monitor, 1, minDelta, true);
                es.onTrainBegin(m);
                es.onEpochEnd(logs(1, monitor, first));
                float atBest = m.trainableVariables().get(0).data()[0];
                m.trainableVariables().get(0).data()[0] = atBest + 1;
                es.onEpochEnd(logs(2, monitor, tie));
                es.onTrainEnd(new History());
                String what = monitor + " " + first + " then " + tie + " with minDelta " + minDelta;
                assertThat(es.stoppedEpoch()).as(what).isEqualTo(2);
                assertThat(es.bestEpoch()).as(what).isEqualTo(1);
                assertThat(es.best()).as(what).isEqualTo(first);
                assertThat(m.trainableVariables().get(0).data()[0]).as(what + ": the first epoch's weights").isEqualTo(atBest);
            }
        }
    }

    /** Epoch logs whose {@code monitor} is {@code value} and whose other metrics are 0. */
    private static EpochLogs logs(int epoch, String monitor, double value) {
        return new EpochLogs(epoch, monitor.equals("loss") ? value : 0, monitor.equals("accuracy") ? value : 0,
                monitor.equals("val_loss") ? value : 0, monitor.equals("val_accuracy") ? value : 0, 0.1);
    }

    @Test
    void earlyStopping_inFitStopsTraining() {
        Tensor[] d = SequentialTest.blobs(100, 5, 1);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        // "loss" keeps falling, so monitor a metric that cannot improve by 10 in an epoch
        EarlyStopping es = new EarlyStopping("loss", 1, 10.0, false);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(10).verbose(0).callbacks(es));
        assertThat(h.epochs()).hasSize(2);
        assertThat(es.stoppedEpoch()).isEqualTo(2);
    }

    @Test
    void earlyStopping_rejectsBadArgumentsAndMissingValidation() {
        assertThatThrownBy(() -> new EarlyStopping(" ", 0, 0, false)).hasMessageContaining("expected a metric name");
        assertThatThrownBy(() -> new EarlyStopping("loss", 0, 0, false, "up")).hasMessageContaining("got \"up\"");
        assertThatThrownBy(() -> new EarlyStopping("loss", -1, 0, false)).hasMessageContaining("patience must be >= 0");
        assertThatThrownBy(() -> new EarlyStopping("loss", 1, -0.1, false)).hasMessageContaining("minDelta");
        Tensor[] d = SequentialTest.blobs(40, 5, 1);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0).callbacks(new EarlyStopping())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EarlyStopping monitors 'val_loss'").hasMessageContaining("no validation data");
        assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0).validationSplit(0.25)
                .callbacks(new EarlyStopping("val_los", 0, 0, false))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("monitors 'val_los', which fit will never log: it logs loss, accuracy, val_loss,"
                        + " val_accuracy");
        assertThat(m.trainableVariables().get(0).data()).as("nothing trained").isEqualTo(before);
    }

    @Test
    void terminateOnNaN_stopsAtTheFirstInvalidLossAndFitReportsWhere() {
        Tensor[] d = SequentialTest.blobs(64, 5, 1);
        Sequential m = new Sequential(5, 1, new Dense(8, Activation.RELU), new Dense(3, Activation.LINEAR));
        m.compile(new SGD(1e30f), Loss.meanSquaredError(), Metric.ACCURACY);
        TerminateOnNaN t = new TerminateOnNaN();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(5).batchSize(8).callbacks(t)
                .output(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertThat(t.terminated()).isTrue();
        assertThat(h.epochs()).hasSize(1);
        assertThat(t.where()).startsWith("epoch 1, step ");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("loss became").contains(t.where());
    }

    @Test
    void modelCheckpoint_savesEveryEpochOrOnlyTheBest(@TempDir Path dir) throws Exception {
        Sequential m = SequentialTest.small(1);
        ModelCheckpoint every = new ModelCheckpoint(dir.resolve("w-{epoch}.safetensors"), "val_loss", false);
        every.onTrainBegin(m);
        every.onEpochEnd(valLoss(1, 1.0));
        every.onEpochEnd(valLoss(2, 2.0));
        assertThat(dir.resolve("w-1.safetensors")).exists();
        assertThat(dir.resolve("w-2.safetensors")).exists();

        ModelCheckpoint best = new ModelCheckpoint(dir.resolve("best.safetensors"), "val_loss", true);
        best.onTrainBegin(m);
        best.onEpochEnd(valLoss(1, 1.0));
        byte[] first = Files.readAllBytes(dir.resolve("best.safetensors"));
        m.trainableVariables().get(0).data()[0] += 1;
        best.onEpochEnd(valLoss(2, 1.5));         // worse: not saved
        assertThat(Files.readAllBytes(dir.resolve("best.safetensors"))).isEqualTo(first);
        best.onEpochEnd(valLoss(3, 0.5));         // better: saved
        assertThat(Files.readAllBytes(dir.resolve("best.safetensors"))).isNotEqualTo(first);
        assertThat(best.saves()).isEqualTo(2);
        assertThatThrownBy(() -> new ModelCheckpoint(dir.resolve("nope/w.safetensors"), "loss", false))
                .hasMessageContaining("does not exist");
    }

    @Test
    void modelCheckpoint_saveBestOnly_savesStrictImprovementsOnlyForLossesAndAccuracies(@TempDir Path dir) {
        // Keras' ModelCheckpoint: monitor_op(current, best), np.less for losses, np.greater for accuracies
        for (String monitor : new String[] {"loss", "val_loss", "accuracy", "val_accuracy"}) {
            boolean maximize = monitor.endsWith("accuracy");
            double[] values = maximize ? new double[] {0.5, 0.5, 0.25, 0.75} : new double[] {0.5, 0.5, 0.75, 0.25};
            ModelCheckpoint best = new ModelCheckpoint(dir.resolve(monitor + "-{epoch}.safetensors"), monitor, true);
            best.onTrainBegin(SequentialTest.small(1));
            for (int e = 0; e < values.length; e++) {
                best.onEpochEnd(logs(e + 1, monitor, values[e]));
            }
            assertThat(dir.resolve(monitor + "-1.safetensors")).as(monitor + ": the first epoch").exists();
            assertThat(dir.resolve(monitor + "-2.safetensors")).as(monitor + ": a tie").doesNotExist();
            assertThat(dir.resolve(monitor + "-3.safetensors")).as(monitor + ": worse").doesNotExist();
            assertThat(dir.resolve(monitor + "-4.safetensors")).as(monitor + ": better").exists();
            assertThat(best.saves()).isEqualTo(2);
        }
    }

    @Test
    void customCallback_seesEveryEpochAndBatchInOrder() {
        Tensor[] d = SequentialTest.blobs(50, 5, 1);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<String> events = new ArrayList<>();
        Callback cb = new Callback() {
            @Override
            public void onTrainBegin(Model model) {
                events.add("begin");
            }

            @Override
            public void onEpochBegin(int epoch) {
                events.add("e" + epoch);
            }

            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                events.add(logs.epoch() + "." + batch);
            }

            @Override
            public void onEpochEnd(EpochLogs logs) {
                events.add("/e" + logs.epoch());
            }

            @Override
            public void onTrainEnd(History history) {
                events.add("end" + history.epochs().size());
            }
        };
        m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(20).verbose(0).callbacks(cb));
        assertThat(events).containsExactly("begin", "e1", "1.1", "1.2", "1.3", "/e1", "e2", "2.1", "2.2", "2.3", "/e2",
                "end2");
    }
}
