package vecgrad.app.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mean and sample standard deviation (divisor n - 1) of one method's test metrics over several seeds.
 *
 * @param name             the method's name
 * @param seeds            how many runs (seeds) were summarised, at least 2
 * @param meanTestAccuracy mean test accuracy
 * @param stdTestAccuracy  sample standard deviation of the test accuracy
 * @param meanTestLoss     mean test loss
 * @param stdTestLoss      sample standard deviation of the test loss
 */
public record MethodSummary(
        String name, int seeds, double meanTestAccuracy, double stdTestAccuracy, double meanTestLoss, double stdTestLoss) {

    /** Checks the name and the number of seeds. */
    public MethodSummary {
        Checks.name("name", name);
        if (seeds < 2) {
            throw new IllegalArgumentException("expected a summary over at least 2 seeds, got " + seeds);
        }
    }

    /**
     * One summary per method name that has at least two runs, in order of first appearance; empty
     * when every method ran once.
     */
    public static List<MethodSummary> of(List<MethodResult> runs) {
        Objects.requireNonNull(runs, "runs");
        Map<String, List<MethodResult>> byName = new LinkedHashMap<>();
        for (MethodResult r : runs) {
            byName.computeIfAbsent(Objects.requireNonNull(r, "run").name(), k -> new ArrayList<>()).add(r);
        }
        List<MethodSummary> out = new ArrayList<>();
        byName.forEach((name, rs) -> {
            if (rs.size() >= 2) {
                double[] acc = rs.stream().mapToDouble(MethodResult::testAccuracy).toArray();
                double[] loss = rs.stream().mapToDouble(MethodResult::testLoss).toArray();
                out.add(new MethodSummary(name, rs.size(), mean(acc), std(acc), mean(loss), std(loss)));
            }
        });
        return List.copyOf(out);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }
}
