package vecgrad.app.report;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import vecgrad.autodiff.ActivationOps;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.LossOps;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Synthetic report data shaped like the real experiment: three methods over five epochs, an MNIST-like
 * confusion matrix, digits drawn from a font, and the forward and backward graphs of one training
 * step of the 784-256-128-64-10 network. Deterministic.
 */
final class SampleReports {

    static final int[] TEST_COUNTS = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};

    private SampleReports() {
    }

    static RunConfig config() {
        return new RunConfig(List.of(256, 128, 64), 5, 128, 0.001, 42, 2, "17.0.15+6", "simd-512");
    }

    /** One run: a decaying loss, and a small per-method offset so the curves are distinguishable. */
    static MethodResult run(String name, long seed, double offset) {
        List<EpochStats> history = new ArrayList<>();
        for (int e = 1; e <= 5; e++) {
            double loss = 0.28 / e + 0.02 + offset;
            double acc = 0.985 - 0.07 / e - offset;
            history.add(new EpochStats(e, loss, acc, loss * 0.9 + 0.015, Math.min(1, acc + 0.008), 0.31 + 0.01 * e));
        }
        return new MethodResult(name, seed, 0.9773 - offset, 0.072 + offset, 0.9801 - offset, 1.62, 185_000 - 20_000 * offset * 100,
                history);
    }

    static List<MethodResult> methods() {
        return List.of(run("tape", 42, 0), run("fit", 42, 0.0023), run("manual", 42, 0.004));
    }

    static ConfusionMatrix confusion() {
        Random rng = new Random(7);
        int[][] c = new int[10][10];
        for (int t = 0; t < 10; t++) {
            int errors = 6 + rng.nextInt(30);
            for (int k = 0; k < errors; k++) {
                int p = rng.nextInt(10);
                if (p != t) {
                    c[t][p]++;
                }
            }
            int off = 0;
            for (int p = 0; p < 10; p++) {
                off += c[t][p];
            }
            c[t][t] = TEST_COUNTS[t] - off;
        }
        return ConfusionMatrix.of(c);
    }

    /** A digit drawn with the JDK's sans-serif font, slanted a little, as ink values in [0, 1]. */
    static float[] drawnDigit(int digit, double slant) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(java.awt.Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        g.transform(AffineTransform.getShearInstance(slant, 0));
        g.drawString(Integer.toString(digit), 8 - (float) (slant * 12), 23);
        g.dispose();
        float[] px = new float[784];
        for (int i = 0; i < 784; i++) {
            px[i] = img.getRaster().getSample(i % 28, i / 28, 0) / 255f;
        }
        return px;
    }

    static List<Misclassified> misclassified(int count) {
        Random rng = new Random(11);
        List<Misclassified> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int t = rng.nextInt(10);
            int p = (t + 1 + rng.nextInt(9)) % 10;
            double prob = i % 5 == 4 ? Double.NaN : 0.4 + 0.5 * rng.nextDouble();
            out.add(new Misclassified(100 + 37 * i, drawnDigit(t, rng.nextDouble() * 0.4 - 0.2), t, p, prob));
        }
        return out;
    }

    /** The forward graph of one training step of a 784-256-128-64-10 MLP, recorded by a real tape. */
    static ComputationGraph forward() {
        return step(true);
    }

    /** The backward graph of the same step: from the seed to the gradient of every parameter. */
    static ComputationGraph backward() {
        return step(false);
    }

    /**
     * One step of the report's MLP on a batch of 128, its tensors named as in the report (x, W1, b1,
     * mm1 = x·W1, z1, a1, ..., z4 the logits, loss), as StepGraphs names them in mnist.jar.
     */
    private static ComputationGraph step(boolean forward) {
        int[] sizes = {784, 256, 128, 64, 10};
        Random rng = new Random(7);
        Map<Tensor, String> names = new LinkedHashMap<>();
        Tensor x = Tensor.randomUniform(rng, 0, 1, 128, 784);
        float[] labels = new float[128 * 10];
        for (int i = 0; i < 128; i++) {
            labels[i * 10 + i % 10] = 1;
        }
        Tensor y = Tensor.of(labels, 128, 10);
        names.put(x, "x");
        names.put(y, "y");
        try (GradientTape tape = new GradientTape()) {
            Tensor a = x;
            for (int l = 1; l <= 4; l++) {
                Variable w = Variable.of("W" + l, Tensor.randomUniform(rng, -0.1f, 0.1f, sizes[l - 1], sizes[l]));
                Variable b = Variable.of("b" + l, Tensor.zeros(sizes[l]));
                Tensor mm = Ops.matmul(a, w);
                Tensor z = Ops.add(mm, b);
                names.put(mm, "mm" + l);
                names.put(z, "z" + l);
                a = z;
                if (l < 4) {
                    a = ActivationOps.relu(z);
                    names.put(a, "a" + l);
                }
            }
            Tensor loss = LossOps.softmaxCrossEntropyWithLogits(y, a);
            names.put(loss, "loss");
            return forward ? tape.forwardGraph(names) : tape.backwardGraph(loss, names);
        }
    }

    /** The id of the first node of {@code g} about the tensor named {@code tensor}. */
    static String idOf(ComputationGraph g, String tensor) {
        return g.nodes().stream().filter(n -> n.tensor().equals(tensor)).findFirst()
                .orElseThrow(() -> new AssertionError("no node for " + tensor + " in " + g.name())).id();
    }

    static Map<String, Double> weightDifferences() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("tape-fit", 0.0);
        m.put("tape-manual", 3.7e-7);
        return m;
    }

    static ExperimentReport report() {
        return new ExperimentReport(config(), methods(), weightDifferences(), List.of(), "tape", confusion(), misclassified(20),
                forward(), backward());
    }

    /** A report with three seeds per method and its summary. */
    static ExperimentReport multiSeedReport() {
        List<MethodResult> runs = new ArrayList<>();
        for (long seed = 42; seed < 45; seed++) {
            double jitter = (seed - 43) * 0.0011;
            runs.add(run("tape", seed, 0.0005 + jitter));
            runs.add(run("fit", seed, 0.0023 + jitter));
        }
        return new ExperimentReport(config(), runs, weightDifferences(), MethodSummary.of(runs), "tape", confusion(),
                misclassified(10), forward(), backward());
    }
}
