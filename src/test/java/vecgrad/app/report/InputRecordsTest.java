package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad input to the records is rejected at construction with a message naming what was expected. */
final class InputRecordsTest {

    @Test
    void runConfig_rejectsBadSettings() {
        assertThatThrownBy(() -> new RunConfig(List.of(256, 0), 5, 128, 0.001, 1, 1, "17", "k"))
                .hasMessageContaining("positive hidden-layer widths").hasMessageContaining("[256, 0]");
        assertThatThrownBy(() -> new RunConfig(List.of(), 0, 128, 0.001, 1, 1, "17", "k")).hasMessageContaining("epochs > 0");
        assertThatThrownBy(() -> new RunConfig(List.of(), 1, 128, Double.NaN, 1, 1, "17", "k"))
                .hasMessageContaining("learningRate");
        assertThat(SampleReports.config().layerSizes()).containsExactly(784, 256, 128, 64, 10);
    }

    @Test
    void epochStats_rejectsAccuracyOutsideUnitInterval() {
        assertThatThrownBy(() -> new EpochStats(1, 0.1, 1.5, 0.1, 0.9, 1))
                .hasMessageContaining("accuracy in [0, 1]").hasMessageContaining("1.5");
        assertThatThrownBy(() -> new EpochStats(0, 0.1, 0.5, 0.1, 0.9, 1)).hasMessageContaining("epoch > 0");
        assertThat(new EpochStats(1, 0.1, 0.5, Double.NaN, Double.NaN, 1).valAccuracy()).isNaN();
    }

    @Test
    void methodResult_rejectsBlankNameAndUnorderedHistory() {
        assertThatThrownBy(() -> new MethodResult(" ", 1, 0.9, 0.1, 0.9, 1, 1, List.of())).hasMessageContaining("non-blank name");
        List<EpochStats> backwards = List.of(new EpochStats(2, 0.1, 0.5, 0.1, 0.5, 1), new EpochStats(1, 0.1, 0.5, 0.1, 0.5, 1));
        assertThatThrownBy(() -> new MethodResult("tape", 1, 0.9, 0.1, 0.9, 1, 1, backwards))
                .hasMessageContaining("strictly increasing epochs").hasMessageContaining("2 then 1");
    }

    @Test
    void experimentReport_rejectsNoRunsAndDuplicateRuns() {
        ExperimentReport r = SampleReports.report();
        assertThatThrownBy(() -> new ExperimentReport(r.config(), List.of(), Map.of(), List.of(), "tape", r.confusion(), List.of(),
                r.forward(), r.backward())).hasMessageContaining("at least one method result");
        var twice = List.of(SampleReports.run("tape", 1, 0), SampleReports.run("tape", 1, 0.001));
        assertThatThrownBy(() -> new ExperimentReport(r.config(), twice, Map.of(), List.of(), "tape", r.confusion(), List.of(),
                r.forward(), r.backward())).hasMessageContaining("'tape' with seed 1 twice");
        assertThatThrownBy(() -> new ExperimentReport(r.config(), r.methods(), Map.of(), List.of(), "tape", null, List.of(),
                r.forward(), r.backward())).isInstanceOf(NullPointerException.class).hasMessageContaining("confusion");
        assertThatThrownBy(() -> new ExperimentReport(r.config(), r.methods(), Map.of(), List.of(), "sgd", r.confusion(),
                List.of(), r.forward(), r.backward())).hasMessageContaining("name one of the runs, got 'sgd'");
    }

    @Test
    void experimentReport_copiesCollectionsAndKeepsMapOrder() {
        ExperimentReport r = SampleReports.report();
        Map<String, Double> diffs = new LinkedHashMap<>();
        diffs.put("z", 1.0);
        diffs.put("a", 2.0);
        List<MethodResult> runs = new ArrayList<>(r.methods());
        var copy = new ExperimentReport(r.config(), runs, diffs, List.of(), "tape", r.confusion(), List.of(), r.forward(), r.backward());
        runs.clear();
        diffs.put("b", 3.0);
        assertThat(copy.methods()).hasSize(3);
        assertThat(copy.maxWeightDifference().keySet()).containsExactly("z", "a");
    }

    @Test
    void confusionMatrix_rejectsWrongShapeAndNegativeCounts() {
        assertThatThrownBy(() -> ConfusionMatrix.of(new int[9][10])).hasMessageContaining("10 x 10").hasMessageContaining("9 rows");
        int[][] ragged = new int[10][10];
        ragged[3] = new int[11];
        assertThatThrownBy(() -> ConfusionMatrix.of(ragged)).hasMessageContaining("row 3 with 11 columns");
        int[][] nullRow = new int[10][];
        assertThatThrownBy(() -> ConfusionMatrix.of(nullRow)).hasMessageContaining("row 0 with null");
        int[][] negative = new int[10][10];
        negative[2][5] = -1;
        assertThatThrownBy(() -> ConfusionMatrix.of(negative)).hasMessageContaining("non-negative").hasMessageContaining("[2][5]");
    }

    @Test
    void confusionMatrix_countsLabelsAndCopies() {
        ConfusionMatrix m = ConfusionMatrix.fromLabels(new int[] {0, 0, 1, 9}, new int[] {0, 3, 1, 9});
        assertThat(m.count(0, 0)).isEqualTo(1);
        assertThat(m.count(0, 3)).isEqualTo(1);
        assertThat(m.rowTotal(0)).isEqualTo(2);
        assertThat(m.total()).isEqualTo(4);
        int[][] out = m.counts();
        out[0][0] = 99;
        assertThat(m.count(0, 0)).isEqualTo(1);
        assertThatThrownBy(() -> ConfusionMatrix.fromLabels(new int[] {1, 2}, new int[] {1}))
                .hasMessageContaining("1 predictions for 2 labels");
        assertThatThrownBy(() -> ConfusionMatrix.fromLabels(new int[] {10}, new int[] {1}))
                .hasMessageContaining("trueLabels[0] in 0..9, got 10");
    }

    @Test
    void misclassified_rejectsBadPixelsAndLabels() {
        assertThatThrownBy(() -> new Misclassified(0, new float[783], 1, 2, 0.5)).hasMessageContaining("784 pixels")
                .hasMessageContaining("783");
        float[] bright = new float[784];
        bright[5] = 1.5f;
        assertThatThrownBy(() -> new Misclassified(0, bright, 1, 2, 0.5)).hasMessageContaining("[0, 1], got 1.5 at 5");
        float[] nan = new float[784];
        nan[0] = Float.NaN;
        assertThatThrownBy(() -> new Misclassified(0, nan, 1, 2, 0.5)).hasMessageContaining("NaN at 0");
        assertThatThrownBy(() -> new Misclassified(0, new float[784], 3, 3, 0.5)).hasMessageContaining("true = predicted = 3");
        assertThatThrownBy(() -> new Misclassified(0, new float[784], 3, 10, 0.5)).hasMessageContaining("predictedLabel in 0..9");
        assertThatThrownBy(() -> new Misclassified(-1, new float[784], 3, 1, 0.5)).hasMessageContaining("index >= 0");
        assertThatThrownBy(() -> new Misclassified(0, null, 3, 1, 0.5)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void misclassified_copiesPixels() {
        float[] px = new float[784];
        px[0] = 0.5f;
        Misclassified m = new Misclassified(0, px, 1, 2, Double.NaN);
        px[0] = 1f;
        m.pixels()[0] = 1f;
        assertThat(m.pixels()[0]).isEqualTo(0.5f);
    }

    @Test
    void methodSummary_meanAndSampleStd() {
        List<MethodResult> runs = new ArrayList<>();
        double[] acc = {0.97, 0.98, 0.99};
        for (int i = 0; i < 3; i++) {
            runs.add(new MethodResult("tape", i, acc[i], 0.1 * (i + 1), 0.9, 1, 1, List.of()));
        }
        runs.add(new MethodResult("fit", 0, 0.5, 0.5, 0.5, 1, 1, List.of()));
        List<MethodSummary> s = MethodSummary.of(runs);
        assertThat(s).hasSize(1); // fit ran once: no summary
        assertThat(s.get(0).seeds()).isEqualTo(3);
        assertThat(s.get(0).meanTestAccuracy()).isCloseTo(0.98, within(1e-12));
        assertThat(s.get(0).stdTestAccuracy()).isCloseTo(0.01, within(1e-12)); // sqrt((0.01² + 0 + 0.01²) / 2)
        assertThat(s.get(0).meanTestLoss()).isCloseTo(0.2, within(1e-12));
        assertThat(s.get(0).stdTestLoss()).isCloseTo(0.1, within(1e-12));
        assertThatThrownBy(() -> new MethodSummary("tape", 1, 0, 0, 0, 0)).hasMessageContaining("at least 2 seeds");
        assertThat(Arrays.asList(MethodSummary.of(List.of()).toArray())).isEmpty();
    }
}
