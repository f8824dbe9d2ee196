package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.ComputationGraph.Kind;

/** The report's graph figures drawn from the tape's {@link ComputationGraph}, and its DOT files. */
final class GraphFigureTest {

    @Test
    void graph_rejectsDuplicateIdsAndEdgesToUnknownNodes() {
        assertThatThrownBy(() -> TestGraph.builder().node("a", Kind.OP, "a").node("a", Kind.OP, "b").build())
                .hasMessageContaining("unique node ids").hasMessageContaining("'a'");
        assertThatThrownBy(() -> TestGraph.builder().node("a", Kind.OP, "a").edge("a", "zz").build())
                .hasMessageContaining("no node 'zz'");
    }

    @Test
    void figure_rejectsCycles() {
        ComputationGraph cyclic = TestGraph.builder().node("a", Kind.OP, "a").node("b", Kind.OP, "b")
                .edge("a", "b").edge("b", "a").build();
        assertThatThrownBy(() -> Figures.graph(cyclic, "t", "p-")).hasMessageContaining("acyclic");
        ComputationGraph loop = TestGraph.builder().node("a", Kind.OP, "a").edge("a", "a").build();
        assertThatThrownBy(() -> Figures.graph(loop, "t", "p-")).hasMessageContaining("acyclic");
    }

    @Test
    void topologicalOrder_followsEdgesAndListOrder() {
        ComputationGraph g = TestGraph.builder().node("c", Kind.OP, "c").node("a", Kind.CONSTANT, "a")
                .node("b", Kind.CONSTANT, "b").edge("a", "c").edge("b", "c").build();
        assertThat(GraphLayout.topologicalOrder(g)).containsExactly(1, 2, 0);
    }

    @Test
    void roles_colourTheTapesKindsAsTheReportDid() {
        // The forward graph of the sample step: x, y data; W, b parameters; the op named "loss" the loss.
        ComputationGraph forward = SampleReports.forward();
        var roles = forward.nodes().stream().collect(java.util.stream.Collectors.toMap(
                ComputationGraph.Node::tensor, NodeRole::of));
        assertThat(roles).containsEntry("x", NodeRole.INPUT).containsEntry("y", NodeRole.INPUT)
                .containsEntry("W1", NodeRole.PARAMETER).containsEntry("b4", NodeRole.PARAMETER)
                .containsEntry("mm2", NodeRole.OP).containsEntry("a3", NodeRole.OP).containsEntry("loss", NodeRole.LOSS);
        assertThat(roles.values()).filteredOn(r -> r == NodeRole.LOSS).hasSize(1);
        // Backward: the seed is the loss, everything else (rules, sums, parameter gradients) a gradient.
        List<NodeRole> backward = SampleReports.backward().nodes().stream().map(NodeRole::of).toList();
        assertThat(backward.get(0)).isEqualTo(NodeRole.LOSS);
        assertThat(backward.subList(1, backward.size())).containsOnly(NodeRole.GRADIENT);
    }

    @Test
    void figure_showsTheOpsShapesAndWeightsOfTheStep() {
        var doc = SvgDocs.parse(Figures.graph(SampleReports.forward(), "Forward", "f-"));
        assertThat(SvgDocs.texts(doc)).contains("x", "(128, 784)", "W1", "(784, 256)", "b4", "(10)", "matmul", "relu",
                "a3 (128, 64)", "z4 (128, 10)", "softmaxCrossEntropyWithLogits", "loss ()");
        assertThat(SvgDocs.select(doc, "//g[@class='node parameter']")).hasSize(8);
        assertThat(SvgDocs.select(doc, "//g[@class='node loss']")).hasSize(1);
        var back = SvgDocs.parse(Figures.graph(SampleReports.backward(), "Backward", "b-"));
        assertThat(SvgDocs.texts(back)).contains("∂L/∂L = 1", "∂L/∂W1", "(784, 256)", "∂L/∂b4", "matmul′", "relu′");
        assertThat(SvgDocs.select(back, "//g[@class='node gradient']")).hasSizeGreaterThanOrEqualTo(8 + 4 * 3);
    }

    @Test
    void dot_isTheTapesOwnWriter() {
        ComputationGraph g = SampleReports.backward();
        assertThat(g.toDot()).startsWith("digraph backward {").contains("∂L/∂W1").endsWith("}\n");
    }

    @Test
    void dot_isAcceptedByGraphviz() throws Exception {
        var dotExe = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "dot")).filter(Files::isExecutable).findFirst();
        Assumptions.assumeTrue(dotExe.isPresent(), "graphviz not installed");
        for (ComputationGraph g : List.of(SampleReports.forward(), SampleReports.backward())) {
            Process p = new ProcessBuilder(dotExe.get().toString(), "-Tsvg").start();
            try (var in = p.getOutputStream()) {
                in.write(g.toDot().getBytes(StandardCharsets.UTF_8));
            }
            String svg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(err).isZero();
            assertThat(svg).contains("<svg", g.name().equals("forward") ? "softmaxCrossEntropyWithLogits" : "∂L/∂W1");
        }
    }
}
