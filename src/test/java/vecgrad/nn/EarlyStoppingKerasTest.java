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
import org.junit.jupiter.api.Test;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;

/** EarlyStopping against Keras 3's early_stopping.py, transcribed here line by line. */
final class EarlyStoppingKerasTest {

    /**
     * keras/src/callbacks/early_stopping.py (on_train_begin, on_epoch_end, on_train_end) and
     * monitor_callback.py (_is_improvement), transcribed with 0-based epochs and None as NaN-free flags.
     * Returns {stopped_epoch + 1 or 0, best_epoch + 1 (0 if none), whether weights are restored}.
     */
    private static int[] keras(double[] values, int patience, double minDelta, boolean max, Double baseline,
            int startFromEpoch, boolean restore) {
        int wait = 0;
        int stoppedEpoch = 0;
        Double best = null;
        boolean bestWeights = false;
        int bestEpoch = 0;
        double md = max ? minDelta : -minDelta;
        for (int epoch = 0; epoch < values.length; epoch++) {
            double current = values[epoch];
            if (epoch < startFromEpoch) {
                continue;
            }
            if (restore && !bestWeights) {
                bestWeights = true;
                bestEpoch = epoch;
            }
            wait += 1;
            if (best == null || (max ? current - md > best : current - md < best)) {
                best = current;
                bestEpoch = epoch;
                if (baseline == null || (max ? current - md > baseline : current - md < baseline)) {
                    wait = 0;
                }
                continue;
            }
            if (wait >= patience && epoch > 0) {
                stoppedEpoch = epoch;
                break;                                   // model.stop_training = True
            }
        }
        return new int[] {stoppedEpoch == 0 ? 0 : stoppedEpoch + 1, best == null && !bestWeights ? 0 : bestEpoch + 1,
                restore && bestWeights ? 1 : 0};
    }

    @Test
    void randomRuns_matchKerasTranscription() {
        Random rng = new Random(11);
        for (int run = 0; run < 3000; run++) {
            int n = 1 + rng.nextInt(12);
            double[] values = new double[n];
            for (int i = 0; i < n; i++) {
                values[i] = rng.nextInt(8) / 8.0;       // exact in binary, so ties happen
            }
            int patience = rng.nextInt(4);
            double minDelta = rng.nextInt(3) / 8.0;
            boolean max = rng.nextBoolean();
            Double baseline = rng.nextBoolean() ? null : rng.nextInt(8) / 8.0;
            int start = rng.nextInt(3);
            boolean restore = rng.nextBoolean();
            int[] expected = keras(values, patience, minDelta, max, baseline, start, restore);

            Sequential m = SequentialTest.small(1);
            EarlyStopping es = new EarlyStopping("val_auc", patience, minDelta, restore, max ? "max" : "min")
                    .startFromEpoch(start);
            if (baseline != null) {
                es.baseline(baseline);
            }
            es.onTrainBegin(m);
            List<Float> weightAtEpoch = new ArrayList<>();
            int epochs = 0;
            for (int e = 1; e <= n; e++) {
                m.trainableVariables().get(0).data()[0] = e;   // marks the weights of each epoch
                weightAtEpoch.add((float) e);
                es.onEpochEnd(new EpochLogs(e, Map.of("loss", 0.0, "val_auc", values[e - 1]), 0.1));
                epochs = e;
                if (es.stoppedEpoch() > 0) {
                    break;
                }
            }
            es.onTrainEnd(new History());
            String what = "run " + run + ": " + java.util.Arrays.toString(values) + " patience " + patience + " minDelta "
                    + minDelta + (max ? " max" : " min") + " baseline " + baseline + " start " + start + " restore " + restore;
            assertThat(es.stoppedEpoch()).as(what).isEqualTo(expected[0]);
            if (expected[2] == 1) {
                assertThat(m.trainableVariables().get(0).data()[0]).as(what + ": restored").isEqualTo((float) expected[1]);
            } else {
                assertThat(m.trainableVariables().get(0).data()[0]).as(what + ": not restored").isEqualTo((float) epochs);
            }
        }
    }

    @Test
    void restoreBestWeights_restoresAtTheEndOfTrainingAlsoWithoutAnEarlyStop() {
        // The case: fit runs every epoch, the best val_loss was earlier; Keras 3 ends with the best
        // epoch's weights, not the last one's.
        Tensor[] d = SequentialTest.blobs(120, 5, 4);
        Sequential m = SequentialTest.small(2);
        m.compile(new SGD(2.0f, 0.9f, false), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<List<Tensor>> weights = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onEpochEnd(EpochLogs logs) {
                weights.add(m.getWeights());
            }
        };
        EarlyStopping es = new EarlyStopping("val_loss", 100, 0, true);
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(8).batchSize(16).validationSplit(0.25).verbose(0)
                .callbacks(spy, es));
        assertThat(h.epochs()).as("no early stop").hasSize(8);
        assertThat(es.stoppedEpoch()).isZero();
        double[] val = h.get("val_loss");
        int best = 0;
        for (int i = 1; i < val.length; i++) {
            best = val[i] < val[best] ? i : best;
        }
        assertThat(best).as("the test needs a best epoch before the last: " + java.util.Arrays.toString(val))
                .isLessThan(val.length - 1);
        assertThat(es.bestEpoch()).isEqualTo(best + 1);
        List<Tensor> now = m.getWeights();
        for (int i = 0; i < now.size(); i++) {
            assertThat(now.get(i).data()).as("weight " + i + " = best epoch's").isEqualTo(weights.get(best).get(i).data());
        }
    }

    @Test
    void baseline_improvementsThatDoNotBeatItKeepTheWaitGoing() {
        double[] values = {1.0, 0.9, 0.8, 0.85};
        assertThat(stoppedAt(values, 2, null)).as("no baseline: wait 1 at epoch 4").isZero();
        assertThat(stoppedAt(values, 2, 0.5)).as("baseline never beaten: wait 4 at epoch 4").isEqualTo(4);
        assertThat(stoppedAt(values, 2, 0.95)).as("baseline beaten at epoch 2").isZero();
    }

    private static int stoppedAt(double[] values, int patience, Double baseline) {
        EarlyStopping es = new EarlyStopping("val_loss", patience, 0, false);
        if (baseline != null) {
            es.baseline(baseline);
        }
        es.onTrainBegin(SequentialTest.small(1));
        for (int e = 1; e <= values.length && es.stoppedEpoch() == 0; e++) {
            es.onEpochEnd(new EpochLogs(e, Map.of("loss", 0.0, "val_loss", values[e - 1]), 0));
        }
        return es.stoppedEpoch();
    }

    @Test
    void startFromEpoch_ignoresTheWarmUpEpochs() {
        EarlyStopping es = new EarlyStopping("loss", 0, 0, false).startFromEpoch(2);
        es.onTrainBegin(SequentialTest.small(1));
        double[] values = {0.1, 0.2, 1.0, 0.9, 0.95};
        for (int e = 1; e <= values.length && es.stoppedEpoch() == 0; e++) {
            es.onEpochEnd(new EpochLogs(e, Map.of("loss", values[e - 1]), 0));
        }
        assertThat(es.bestEpoch()).isEqualTo(4);
        assertThat(es.best()).isEqualTo(0.9);
        assertThat(es.stoppedEpoch()).isEqualTo(5);
    }

    @Test
    void verbose_printsKerasMessagesAtTrainEnd() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        EarlyStopping es = new EarlyStopping("loss", 1, 0, true)
                .verbose(1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        es.onTrainBegin(SequentialTest.small(1));
        double[] values = {0.5, 0.4, 0.6, 0.7};
        for (int e = 1; e <= values.length && es.stoppedEpoch() == 0; e++) {
            es.onEpochEnd(new EpochLogs(e, Map.of("loss", values[e - 1]), 0));
        }
        es.onTrainEnd(new History());
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.format(
                "Epoch 3: early stopping%nRestoring model weights from the end of the best epoch: 2.%n"));
    }

    @Test
    void badArguments_refusedAtTheCall() {
        EarlyStopping es = new EarlyStopping();
        assertThatThrownBy(() -> es.baseline(Double.NaN)).hasMessage("EarlyStopping: baseline must be finite, got NaN");
        assertThatThrownBy(() -> es.startFromEpoch(-1)).hasMessage("EarlyStopping: startFromEpoch must be >= 0, got -1");
        assertThatThrownBy(() -> es.verbose(2, System.out)).hasMessage("EarlyStopping: verbose must be 0 or 1, got 2");
        assertThatThrownBy(() -> new EarlyStopping("loss", -1, 0, false))
                .hasMessage("EarlyStopping: patience must be >= 0, got -1");
        EarlyStopping byHand = new EarlyStopping("val_auc", 0, 0, false, "max");
        byHand.onTrainBegin(SequentialTest.small(1));
        assertThatThrownBy(() -> byHand.onEpochEnd(new EpochLogs(1, Map.of("loss", 1.0), 0)))
                .hasMessageContaining("EarlyStopping monitors 'val_auc', which epoch 1 did not log (it logged loss)");
    }
}
