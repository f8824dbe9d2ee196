package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vecgrad.app.report.ConfusionMatrix;
import vecgrad.app.report.EpochStats;
import vecgrad.app.report.ExperimentReport;
import vecgrad.app.report.MethodResult;
import vecgrad.app.report.MethodSummary;
import vecgrad.app.report.RunConfig;
import vecgrad.autodiff.ComputationGraph;

final class ResultsTableTest {

    private static MethodResult run(String name, long seed, double accuracy) {
        return new MethodResult(name, seed, accuracy, 0.0712, 0.9801, 12.34, 21_880.4,
                List.of(new EpochStats(1, 0.3, 0.9, 0.1, 0.9801, 12.3)));
    }

    private static ExperimentReport report(List<MethodResult> runs, Map<String, Double> diffs) {
        ComputationGraph g = new ComputationGraph("g", List.of(new ComputationGraph.Node("a", ComputationGraph.Kind.OP, "", List.of("a"))),
                List.of());
        return new ExperimentReport(new RunConfig(List.of(256, 128, 64), 1, 128, 1e-3, 42, 2, "17", "scalar"), runs, diffs,
                MethodSummary.of(runs), runs.get(0).name(), ConfusionMatrix.of(new int[10][10]), List.of(), g, g);
    }

    @Test
    void format_oneSeed_rowsDifferencesAndConclusion() {
        Map<String, Double> diffs = new LinkedHashMap<>();
        diffs.put("tape-fit", 0.0);
        diffs.put("tape-manual", 0.0);
        String text = ResultsTable.format(report(List.of(run("tape", 42, 0.9771), run("fit", 42, 0.9771),
                run("manual", 42, 0.9771)), diffs));
        assertThat(text).isEqualTo(""
                + "method     seed  test acc test loss best val acc train time  samples/s\n"
                + "tape         42    0.9771    0.0712       0.9801     12.3 s     21,880\n"
                + "fit          42    0.9771    0.0712       0.9801     12.3 s     21,880\n"
                + "manual       42    0.9771    0.0712       0.9801     12.3 s     21,880\n"
                + "\n"
                + "max |Δw| between the final weights: tape-fit 0 (bit-identical), tape-manual 0 (bit-identical)\n"
                + "\n"
                + "With the same seed (same initial weights, same batches) tape, fit, manual end with bit-identical weights:\n"
                + "they are one and the same backpropagation.\n"
                + "The report's 0.9773 (GradientTape) vs 0.9750 (model.fit), a gap of 0.0023, came from different random"
                + " initial\nweights and batch orders, not from the method; --seeds N shows how far the seed alone moves the"
                + " accuracy.\n");
    }

    @Test
    void format_nonFiniteDifference_neverCalledIdentical() {
        Map<String, Double> diffs = new LinkedHashMap<>();
        diffs.put("tape-fit", Double.NaN);
        diffs.put("tape-manual", 0.0);
        String text = ResultsTable.format(report(List.of(run("tape", 42, 0.1), run("fit", 42, 0.1),
                run("manual", 42, 0.1)), diffs));
        assertThat(text).contains("tape-fit not comparable (non-finite weights)")
                .contains("are not all finite, so they cannot be compared")
                .doesNotContain("same backpropagation").doesNotContain("NaN");
    }

    @Test
    void conclusion_convnet_leavesTheReportsMlpGapAlone() {
        List<MethodResult> runs = List.of(run("tape", 42, 0.9861), run("fit", 42, 0.9861));
        ComputationGraph g = new ComputationGraph("g", List.of(new ComputationGraph.Node("a", ComputationGraph.Kind.OP, "",
                List.of("a"))), List.of());
        ExperimentReport cnn = new ExperimentReport(new RunConfig(List.of(), 5, 128, 1e-3, 42, 2, "17", "scalar", 0, false,
                "cnn"), runs, Map.of("tape-fit", 0.0), MethodSummary.of(runs), "tape", ConfusionMatrix.of(new int[10][10]),
                List.of(), g, g, null);
        String text = ResultsTable.conclusion(cnn);
        assertThat(text).isEqualTo("With the same seed (same initial weights, same batches) tape, fit end with"
                + " bit-identical weights:\nthey are one and the same backpropagation.\n");
    }

    @Test
    void conclusion_nonZeroDifference_saysByHowMuch() {
        String text = ResultsTable.conclusion(report(List.of(run("tape", 1, 0.97), run("manual", 1, 0.97)),
                Map.of("tape-manual", 3.5e-7)));
        assertThat(text).startsWith("With the same seed (same initial weights, same batches) the final weights of tape,"
                + " manual differ by at most 3.50e-07:\nthe same backpropagation, up to the rounding");
    }

    @Test
    void format_severalSeeds_meanStdAndTheReportsGapInThoseUnits() {
        // tape: 0.9760, 0.9780, 0.9770: mean 0.9770, sample std 0.0010; two seeds differ by √2 · 0.0010 = 0.0014
        List<MethodResult> runs = List.of(run("tape", 1, 0.9760), run("tape", 2, 0.9780), run("tape", 3, 0.9770));
        String text = ResultsTable.format(report(runs, Map.of()));
        assertThat(text).doesNotContain("max |Δw|").contains("over 3 seeds (mean ± standard deviation):\n"
                + "method   test acc          test loss\n"
                + "tape     0.9770 ± 0.0010   0.0712 ± 0.0000\n");
        assertThat(text).contains("compares with tape over 3 seeds:\ntest accuracy 0.9760 to 0.9780, standard deviation"
                + " 0.0010, so two seeds differ by 0.0014 typically (√2 σ);\nthe report's gap is 1.6 of those: the seed alone"
                + " explains it, not the method.\n");
    }
}
