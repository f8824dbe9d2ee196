package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.data.Dataset;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/** fit and evaluate over a Dataset are fit and evaluate over its tensors, bit for bit. */
final class DatasetFitTest {

    /** 203 rows of 5 pixels whose label is the brightest of the first 3. */
    private static Dataset data(long seed) {
        Random rng = new Random(seed);
        byte[] p = new byte[203 * 5];
        rng.nextBytes(p);
        int[] labels = new int[203];
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int j = 1; j < 3; j++) {
                if ((p[i * 5 + j] & 0xFF) > (p[i * 5 + best] & 0xFF)) {
                    best = j;
                }
            }
            labels[i] = best;
        }
        return Dataset.ofPixels(p, 5, labels);
    }

    private static Sequential compiled() {
        Sequential m = SequentialTest.small(4);
        m.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        return m;
    }

    @Test
    void fit_datasetWithSplit_sameWeightsAndHistoryAsTensors() {
        Dataset d = data(1);
        FitOptions options = FitOptions.defaults().epochs(3).batchSize(16).validationSplit(0.2).seed(9).verbose(0);
        Sequential a = compiled();
        History ha = a.fit(d, options);
        Sequential b = compiled();
        History hb = b.fit(d.images(), d.oneHot(3), options);
        assertWeightsEqual(a, b);
        assertThat(ha.epochs()).isEqualTo(hb.epochs().stream().map(e -> new EpochLogs(e.epoch(), e.loss(), e.accuracy(),
                e.valLoss(), e.valAccuracy(), ha.epochs().get(e.epoch() - 1).seconds())).toList());
        Evaluation ea = a.evaluate(d);
        Evaluation eb = b.evaluate(d.images(), d.oneHot(3));
        assertThat(ea).isEqualTo(eb);
    }

    @Test
    void fit_datasetWithValidationDataset_sameAsTensors() {
        Dataset train = data(2);
        Dataset val = data(3).first(50);
        Sequential a = compiled();
        List<EpochLogs> la = a.fit(train, FitOptions.defaults().epochs(2).batchSize(32).validationData(val).seed(1)
                .verbose(0)).epochs();
        Sequential b = compiled();
        List<EpochLogs> lb = b.fit(train.images(), train.oneHot(3), FitOptions.defaults().epochs(2).batchSize(32)
                .validationData(val.images(), val.oneHot(3)).seed(1).verbose(0)).epochs();
        assertWeightsEqual(a, b);
        for (int i = 0; i < la.size(); i++) {
            assertThat(la.get(i).valLoss()).isEqualTo(lb.get(i).valLoss());
            assertThat(la.get(i).loss()).isEqualTo(lb.get(i).loss());
        }
    }

    @Test
    void fit_datasetThatDoesNotFit_rejectedBeforeTraining() {
        Sequential m = compiled();
        float[] before = m.trainableVariables().get(0).data().clone();
        assertThatThrownBy(() -> m.fit(Dataset.ofPixels(new byte[8], 4, new int[2]), FitOptions.defaults().verbose(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected images of 5 features")
                .hasMessageContaining("got 4");
        assertThatThrownBy(() -> m.fit(Dataset.ofPixels(new byte[10], 5, new int[] {0, 3}), FitOptions.defaults()
                .verbose(0))).isInstanceOf(IllegalArgumentException.class).hasMessage("label 3 at index 1 is outside 0..2");
        Sequential sparse = SequentialTest.small(4);
        sparse.compile(new Adam(), Loss.sparseCategoricalCrossentropy());
        assertThatThrownBy(() -> sparse.fit(data(1), FitOptions.defaults().verbose(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the loss takes sparse labels");
        assertThat(m.trainableVariables().get(0).data()).isEqualTo(before);
    }

    private static void assertWeightsEqual(Sequential a, Sequential b) {
        for (int i = 0; i < a.trainableVariables().size(); i++) {
            Tensor wa = a.trainableVariables().get(i);
            assertThat(wa.data()).isEqualTo(b.trainableVariables().get(i).data());
        }
    }
}
