package vecgrad.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vecgrad.app.report.ExperimentReport;
import vecgrad.app.report.MethodResult;
import vecgrad.app.report.MethodSummary;

/** The results as text: one row per run, the weight differences, the spread over seeds, and what they show. */
final class ResultsTable {

    /** The report's Table 1: test accuracy with tf.GradientTape and with model.fit(). */
    static final double REPORT_TAPE = 0.9773;
    static final double REPORT_FIT = 0.9750;

    private ResultsTable() {
    }

    static String format(ExperimentReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-8s %6s %9s %9s %12s %10s %10s%n",
                "method", "seed", "test acc", "test loss", "best val acc", "train time", "samples/s"));
        for (MethodResult m : r.methods()) {
            sb.append(String.format(Locale.ROOT, "%-8s %6d %9.4f %9.4f %12.4f %8.1f s %,10.0f%n", m.name(), m.seed(),
                    m.testAccuracy(), m.testLoss(), m.bestValAccuracy(), m.trainSeconds(), m.samplesPerSecond()));
        }
        if (!r.maxWeightDifference().isEmpty()) {
            List<String> parts = new ArrayList<>();
            r.maxWeightDifference().forEach((pair, d) -> parts.add(pair + " " + difference(d)));
            sb.append("\nmax |Δw| between the final weights: ").append(String.join(", ", parts)).append('\n');
        }
        if (!r.summary().isEmpty()) {
            sb.append("\nover ").append(r.summary().get(0).seeds()).append(" seeds (mean ± standard deviation):\n");
            sb.append(String.format(Locale.ROOT, "%-8s %-17s %s%n", "method", "test acc", "test loss"));
            for (MethodSummary s : r.summary()) {
                sb.append(String.format(Locale.ROOT, "%-8s %.4f ± %.4f   %.4f ± %.4f%n", s.name(),
                        s.meanTestAccuracy(), s.stdTestAccuracy(), s.meanTestLoss(), s.stdTestLoss()));
            }
        }
        sb.append('\n').append(conclusion(r));
        return sb.toString();
    }

    private static String difference(double d) {
        if (!Double.isFinite(d)) {
            return "not comparable (non-finite weights)";
        }
        return d == 0 ? "0 (bit-identical)" : String.format(Locale.ROOT, "%.3g", d);
    }

    /**
     * What the numbers say about the report's comparison, from the numbers themselves; the report's
     * tape-versus-fit gap is weighed only for its own network, the MLP.
     */
    static String conclusion(ExperimentReport r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Double> diffs = r.maxWeightDifference();
        List<String> names = r.methods().stream().map(MethodResult::name).distinct().toList();
        if (!diffs.isEmpty()) {
            // DoubleStream.max ignores no NaN: one non-finite difference makes worst non-finite.
            double worst = diffs.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            String who = String.join(", ", names);
            if (!Double.isFinite(worst)) {
                sb.append("The final weights of ").append(who).append(" are not all finite, so they cannot be compared:\n"
                        + "training diverged.\n");
            } else if (worst == 0) {
                sb.append("With the same seed (same initial weights, same batches) ").append(who)
                        .append(" end with bit-identical weights:\nthey are one and the same backpropagation.\n");
            } else {
                sb.append("With the same seed (same initial weights, same batches) the final weights of ").append(who)
                        .append(" differ by at most ").append(String.format(Locale.ROOT, "%.3g", worst))
                        .append(":\nthe same backpropagation, up to the rounding of float operations done in another order.\n");
            }
        }
        if (!"mlp".equals(r.config().model())) {
            // The report's two accuracies are its MLP's: a convnet's run has nothing to say about their gap.
            return sb.toString();
        }
        double gap = REPORT_TAPE - REPORT_FIT;
        sb.append(String.format(Locale.ROOT, "The report's %.4f (GradientTape) vs %.4f (model.fit), a gap of %.4f,",
                REPORT_TAPE, REPORT_FIT, gap));
        if (r.summary().isEmpty()) {
            sb.append(" came from different random initial\nweights and batch orders, not from the method;"
                    + " --seeds N shows how far the seed alone moves the accuracy.\n");
        } else {
            // Two runs with independent seeds differ by a standard deviation of sqrt(2)·σ.
            MethodSummary s = r.summary().get(0);
            double pairSd = Math.sqrt(2) * s.stdTestAccuracy();
            double[] acc = r.methods().stream().filter(m -> m.name().equals(s.name()))
                    .mapToDouble(MethodResult::testAccuracy).toArray();
            sb.append(String.format(Locale.ROOT, " compares with %s over %d seeds:%n"
                    + "test accuracy %.4f to %.4f, standard deviation %.4f, so two seeds differ by %.4f typically"
                    + " (√2 σ);%nthe report's gap is %.1f of those: %s%n",
                    s.name(), s.seeds(), Arrays.stream(acc).min().orElse(Double.NaN), Arrays.stream(acc).max().orElse(Double.NaN),
                    s.stdTestAccuracy(), pairSd, gap / pairSd,
                    gap <= 2 * pairSd ? "the seed alone explains it, not the method."
                            : "more than the seed explains here."));
        }
        return sb.toString();
    }
}
