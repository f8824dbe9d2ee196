package vecgrad.app.report;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vecgrad.autodiff.ComputationGraph;

/**
 * Everything the report shows, as plain immutable data.
 *
 * @param config              the settings shared by every run
 * @param methods             one result per (method, seed), at least one; the first run of each
 *                            method name is the one whose curves are drawn
 * @param maxWeightDifference the largest absolute difference between the final weights of two methods,
 *                            keyed like {@code "tape-fit"}, in the order given
 * @param summary             mean and std over seeds per method; empty with a single seed
 * @param evaluatedMethod     the method (one of the runs' names) whose model gave the confusion matrix
 *                            and the misclassified digits
 * @param confusion           the test-set confusion matrix of that model
 * @param misclassified       misclassified test digits of that model to show (may be empty)
 * @param forward             the forward computation graph of one training step, as the tape recorded it
 *                            ({@link vecgrad.autodiff.GradientTape#forwardGraph}); its op producing the
 *                            tensor named {@code "loss"} is drawn as the loss
 * @param backward            the backward computation graph of the same step
 *                            ({@link vecgrad.autodiff.GradientTape#backwardGraph})
 * @param model               the trained model's layers, filters and feature maps ({@link ModelView#of}),
 *                            or {@code null}: then the network is drawn from {@code config} as the MLP
 */
public record ExperimentReport(
        RunConfig config,
        List<MethodResult> methods,
        Map<String, Double> maxWeightDifference,
        List<MethodSummary> summary,
        String evaluatedMethod,
        ConfusionMatrix confusion,
        List<Misclassified> misclassified,
        ComputationGraph forward,
        ComputationGraph backward,
        ModelView model) {

    /**
     * A report without a model view: the network figure is the MLP of {@code config}.
     *
     * @param config              the settings shared by every run
     * @param methods             one result per (method, seed), at least one
     * @param maxWeightDifference the largest weight difference between two methods, by pair
     * @param summary             mean and std over seeds per method
     * @param evaluatedMethod     the method whose model gave the confusion matrix and digits
     * @param confusion           the test-set confusion matrix of that model
     * @param misclassified       misclassified test digits of that model
     * @param forward             the forward computation graph of one training step
     * @param backward            the backward computation graph of that step
     * @throws IllegalArgumentException as the canonical constructor
     */
    public ExperimentReport(RunConfig config, List<MethodResult> methods, Map<String, Double> maxWeightDifference,
                            List<MethodSummary> summary, String evaluatedMethod, ConfusionMatrix confusion,
                            List<Misclassified> misclassified, ComputationGraph forward, ComputationGraph backward) {
        this(config, methods, maxWeightDifference, summary, evaluatedMethod, confusion, misclassified, forward, backward,
                null);
    }

    /**
     * This report with the given model view (a convnet's report then has its network boxes, filters
     * and feature maps).
     *
     * @param view the view of the evaluated model, from {@link ModelView#of}
     * @return a copy of this report with {@code view}
     */
    public ExperimentReport withModel(ModelView view) {
        return new ExperimentReport(config, methods, maxWeightDifference, summary, evaluatedMethod, confusion,
                misclassified, forward, backward, Objects.requireNonNull(view, "view"));
    }


    /**
     * Checks every field; collections are copied (the map keeps its iteration order).
     *
     * @throws IllegalArgumentException if there is no run, a (method, seed) pair repeats, a key is blank or
     *                                  {@code evaluatedMethod} names no run
     */
    public ExperimentReport {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(methods, "methods");
        methods = List.copyOf(methods);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("expected at least one method result, got none");
        }
        Set<String> runs = new HashSet<>();
        for (MethodResult m : methods) {
            if (!runs.add(m.name() + "\u0000" + m.seed())) {
                throw new IllegalArgumentException("expected one result per method and seed, got '" + m.name()
                        + "' with seed " + m.seed() + " twice");
            }
        }
        Objects.requireNonNull(maxWeightDifference, "maxWeightDifference");
        var diffs = new LinkedHashMap<String, Double>();
        maxWeightDifference.forEach((k, v) -> {
            Checks.name("maxWeightDifference key", k);
            diffs.put(k, Objects.requireNonNull(v, "maxWeightDifference value of " + k));
        });
        maxWeightDifference = Collections.unmodifiableMap(diffs);
        summary = List.copyOf(Objects.requireNonNull(summary, "summary"));
        Objects.requireNonNull(evaluatedMethod, "evaluatedMethod");
        if (methods.stream().noneMatch(m -> m.name().equals(evaluatedMethod))) {
            throw new IllegalArgumentException("expected evaluatedMethod to name one of the runs, got '" + evaluatedMethod
                    + "'");
        }
        Objects.requireNonNull(confusion, "confusion");
        misclassified = List.copyOf(Objects.requireNonNull(misclassified, "misclassified"));
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(backward, "backward");
    }
}
