package vecgrad.app.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the {@code results.json} tree of an {@link ExperimentReport}; the layout is documented on {@link Report#json}. */
final class ResultsJson {

    private ResultsJson() {
    }

    static String of(ExperimentReport r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("config", config(r.config()));
        List<Object> methods = new ArrayList<>();
        for (MethodResult m : r.methods()) {
            methods.add(method(m));
        }
        root.put("methods", methods);
        root.put("maxWeightDifference", new LinkedHashMap<>(r.maxWeightDifference()));
        if (!r.summary().isEmpty()) {
            Map<String, Object> summary = new LinkedHashMap<>();
            for (MethodSummary s : r.summary()) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("seeds", s.seeds());
                one.put("testAccuracy", meanStd(s.meanTestAccuracy(), s.stdTestAccuracy()));
                one.put("testLoss", meanStd(s.meanTestLoss(), s.stdTestLoss()));
                summary.put(s.name(), one);
            }
            root.put("summary", summary);
        }
        root.put("evaluatedMethod", r.evaluatedMethod());
        List<Object> rows = new ArrayList<>();
        for (int[] row : r.confusion().counts()) {
            rows.add(java.util.Arrays.stream(row).boxed().toList());
        }
        root.put("confusionMatrix", rows);
        List<Object> wrong = new ArrayList<>();
        for (Misclassified m : r.misclassified()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", m.index());
            one.put("trueLabel", m.trueLabel());
            one.put("predictedLabel", m.predictedLabel());
            one.put("probability", m.probability());
            wrong.add(one);
        }
        root.put("misclassified", wrong);
        return Json.write(root);
    }

    private static Map<String, Object> config(RunConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden", c.hidden());
        m.put("epochs", c.epochs());
        m.put("batchSize", c.batchSize());
        m.put("learningRate", c.learningRate());
        m.put("seed", c.seed());
        m.put("threads", c.threads());
        m.put("jdk", c.jdk());
        m.put("kernels", c.kernels());
        m.put("dropout", c.dropout());
        m.put("batchNorm", c.batchNorm());
        m.put("model", c.model());
        return m;
    }

    private static Map<String, Object> method(MethodResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("seed", r.seed());
        m.put("testAccuracy", r.testAccuracy());
        m.put("testLoss", r.testLoss());
        m.put("bestValAccuracy", r.bestValAccuracy());
        m.put("trainSeconds", r.trainSeconds());
        m.put("samplesPerSecond", r.samplesPerSecond());
        List<Object> history = new ArrayList<>();
        for (EpochStats e : r.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("epoch", e.epoch());
            h.put("loss", e.loss());
            h.put("accuracy", e.accuracy());
            h.put("valLoss", e.valLoss());
            h.put("valAccuracy", e.valAccuracy());
            h.put("seconds", e.seconds());
            history.add(h);
        }
        m.put("history", history);
        return m;
    }

    private static Map<String, Object> meanStd(double mean, double std) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        return m;
    }
}
