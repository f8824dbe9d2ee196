package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class DotExportTest {

    private static final String HEADER = "  rankdir=TB;\n"
            + "  node [fontname=\"Helvetica\", fontsize=10];\n"
            + "  edge [fontname=\"Helvetica\", fontsize=9];\n";

    @Test
    void forwardGraphDot_denseLayer_exactText() {
        Tensor x = Tensor.zeros(4, 3);
        Variable w = Variable.of("W1", Tensor.zeros(3, 2));
        Variable b = Variable.of("b1", Tensor.zeros(2));
        try (GradientTape tape = new GradientTape()) {
            Tensor z = Ops.add(Ops.matmul(x, w), b);
            ActivationOps.relu(z);
            assertThat(tape.forwardGraphDot(Map.of(x, "x", z, "z1"))).isEqualTo("digraph forward {\n" + HEADER
                    + "  l0 [shape=ellipse, style=dashed, label=\"x\\n(4, 3)\"];\n"
                    + "  l1 [shape=ellipse, style=filled, fillcolor=\"#e8f0fa\", label=\"W1\\n(3, 2)\"];\n"
                    + "  t0 [shape=box, label=\"matmul\\n(4, 2)\"];\n"
                    + "  l0 -> t0 [label=\"a\"];\n"
                    + "  l1 -> t0 [label=\"b\"];\n"
                    + "  l2 [shape=ellipse, style=filled, fillcolor=\"#e8f0fa\", label=\"b1\\n(2)\"];\n"
                    + "  t1 [shape=box, label=\"add\\nz1 (4, 2)\"];\n"
                    + "  t0 -> t1 [label=\"a\"];\n"
                    + "  l2 -> t1 [label=\"b\"];\n"
                    + "  t2 [shape=box, label=\"relu\\n(4, 2)\"];\n"
                    + "  t1 -> t2;\n"
                    + "}\n");
        }
    }

    @Test
    void backwardGraphDot_tensorUsedThreeTimes_sumsThroughOneNode() {
        Variable v = Variable.of("v", Tensor.ones(2));
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(Ops.add(Ops.mul(v, v), v));
            assertThat(tape.backwardGraphDot(loss)).isEqualTo("digraph backward {\n" + HEADER
                    + "  seed [shape=plaintext, label=\"∂L/∂L = 1\"];\n"
                    + "  b2 [shape=box, label=\"sum′\\ndx = g (every element)\"];\n"
                    + "  seed -> b2 [label=\"()\"];\n"
                    + "  b1 [shape=box, label=\"add′\\nda = g\\ndb = g\"];\n"
                    + "  b2 -> b1 [label=\"dx (2)\"];\n"
                    + "  b0 [shape=box, label=\"mul′\\nda = g ⊙ b\\ndb = g ⊙ a\"];\n"
                    + "  b1 -> b0 [label=\"da (2)\"];\n"
                    + "  g0 [shape=ellipse, style=filled, fillcolor=\"#e8f0fa\", label=\"∂L/∂v\\n(2)\"];\n"
                    + "  s0 [shape=circle, label=\"+\"];\n"
                    + "  b1 -> s0 [label=\"∂v (2)\"];\n"
                    + "  b0 -> s0 [label=\"∂v (2)\"];\n"
                    + "  b0 -> s0 [label=\"∂v (2)\"];\n"
                    + "  s0 -> g0;\n"
                    + "}\n");
        }
    }

    @Test
    void backwardGraphDot_onlyWhatTheTargetDependsOn() {
        Variable a = Variable.of("a", Tensor.ones(2));
        Variable unused = Variable.of("unused", Tensor.ones(2));
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(Ops.exp(a));
            Ops.sum(unused);
            String dot = tape.backwardGraphDot(loss);
            assertThat(dot).contains("∂L/∂a").contains("exp′").doesNotContain("unused");
            assertThat(tape.forwardGraphDot()).contains("unused");
        }
    }

    @Test
    void export_sameComputationTwice_identicalText() {
        String[] first = trainingStepGraphs(5L);
        String[] second = trainingStepGraphs(5L);
        assertThat(second).containsExactly(first);
    }

    @Test
    void export_trainingStep784_256_128_64_10_rendersWithGraphviz(@TempDir Path dir)
            throws IOException, InterruptedException {
        assumeTrue(onPath("dot"), "Graphviz `dot` is not on PATH (.ci/install-deps installs it)");
        String[] graphs = trainingStepGraphs(6L);
        assertThat(graphs[0]).contains("W1\\n(784, 256)").contains("b4\\n(10)").contains("x\\n(32, 784)")
                .contains("softmaxCrossEntropyWithLogits");
        assertThat(graphs[1]).contains("∂L/∂W1\\n(784, 256)").contains("∂L/∂b4\\n(10)")
                .doesNotContain("∂L/∂x").doesNotContain("shape=circle");   // x is a constant; a chain has no sums
        for (String graph : graphs) {
            Path file = dir.resolve("graph.dot");
            Files.writeString(file, graph, StandardCharsets.UTF_8);
            Process dot = new ProcessBuilder("dot", "-Tsvg", file.toString()).redirectErrorStream(true).start();
            byte[] out = dot.getInputStream().readAllBytes();
            assertThat(dot.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String svg = new String(out, StandardCharsets.UTF_8);
            assertThat(dot.exitValue()).as(svg).isZero();
            assertThat(svg).contains("<svg").contains("W1").doesNotContain("Warning").doesNotContain("Error");
        }
    }

    @Test
    void export_namesAreEscaped() {
        Variable w = Variable.of("odd \"name\" \\ here", Tensor.ones(1));
        try (GradientTape tape = new GradientTape()) {
            Ops.exp(w);
            assertThat(tape.forwardGraphDot()).contains("label=\"odd \\\"name\\\" \\\\ here\\n(1)\"");
        }
    }

    @Test
    void export_badArguments_throw() {
        Variable w = Variable.of("w", Tensor.ones(1));
        try (GradientTape tape = new GradientTape()) {
            Ops.exp(w);
            assertThatThrownBy(() -> tape.backwardGraphDot(Tensor.ones(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not record");
            assertThatThrownBy(() -> tape.backwardGraphDot(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> tape.forwardGraphDot(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> tape.forwardGraphDot(Map.of(w, " ")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank name");
        }
    }

    /** Forward and backward DOT of one training step of the report's 784-256-128-64-10 network, batch 32. */
    private static String[] trainingStepGraphs(long seed) {
        TestNetwork net = new TestNetwork(seed, 784, 256, 128, 64, 10);
        GradientChecker data = new GradientChecker(seed);
        Tensor x = data.uniform(0, 1, 32, 784);
        Tensor y = data.oneHot(32, 10);
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = net.loss(x, y);
            Map<Tensor, String> names = Map.of(x, "x", y, "y", loss, "L");
            return new String[] {tape.forwardGraphDot(names), tape.backwardGraphDot(loss, names)};
        }
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
