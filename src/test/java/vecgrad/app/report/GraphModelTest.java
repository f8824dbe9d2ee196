package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.app.report.GraphModel.Edge;
import vecgrad.app.report.GraphModel.Kind;
import vecgrad.app.report.GraphModel.Node;

final class GraphModelTest {

    @Test
    void constructor_rejectsDuplicateIds() {
        assertThatThrownBy(() -> GraphModel.builder().node("a", Kind.OP, "a").node("a", Kind.OP, "b").build())
                .hasMessageContaining("unique node ids").hasMessageContaining("'a'");
    }

    @Test
    void constructor_rejectsEdgesToUnknownNodes() {
        assertThatThrownBy(() -> GraphModel.builder().node("a", Kind.OP, "a").edge("a", "zz").build())
                .hasMessageContaining("no node 'zz'");
    }

    @Test
    void constructor_rejectsCycles() {
        assertThatThrownBy(() -> GraphModel.builder().node("a", Kind.OP, "a").node("b", Kind.OP, "b")
                .edge("a", "b").edge("b", "a").build()).hasMessageContaining("acyclic");
    }

    @Test
    void node_rejectsBadFields() {
        assertThatThrownBy(() -> new Node("a", List.of(), Kind.OP)).hasMessageContaining("at least one label line");
        assertThatThrownBy(() -> new Node(" ", List.of("x"), Kind.OP)).hasMessageContaining("non-blank node id");
        assertThatThrownBy(() -> new Node("a", List.of("x"), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("kind");
        assertThatThrownBy(() -> new Edge("a", "a")).hasMessageContaining("self-loop");
    }

    @Test
    void topologicalOrder_followsEdgesAndListOrder() {
        GraphModel g = GraphModel.builder().node("c", Kind.OP, "c").node("a", Kind.INPUT, "a").node("b", Kind.INPUT, "b")
                .edge("a", "c").edge("b", "c").build();
        assertThat(g.topologicalOrder()).containsExactly(1, 2, 0);
    }

    @Test
    void dot_quotesLabelsAndKeepsOrder() {
        GraphModel g = GraphModel.builder().node("x\"1", Kind.INPUT, "x", "(2,\\3)").node("y", Kind.LOSS, "loss")
                .edge("x\"1", "y", "e").build();
        String dot = Figures.dot(g, "forward");
        assertThat(dot).startsWith("digraph \"forward\" {")
                .contains("\"x\\\"1\" [label=\"x\\n(2,\\\\3)\", fillcolor=\"#dbeafe\"")
                .contains("\"x\\\"1\" -> \"y\" [label=\"e\"];")
                .endsWith("}\n");
    }

    @Test
    void dot_isAcceptedByGraphviz() throws Exception {
        var dotExe = java.util.stream.Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> java.nio.file.Path.of(d, "dot"))
                .filter(java.nio.file.Files::isExecutable).findFirst();
        org.junit.jupiter.api.Assumptions.assumeTrue(dotExe.isPresent(), "graphviz not installed");
        Process p = new ProcessBuilder(dotExe.get().toString(), "-Tsvg").redirectErrorStream(false).start();
        try (var in = p.getOutputStream()) {
            in.write(Figures.dot(SampleReports.backward(), "backward").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String svg = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(err).isZero();
        assertThat(svg).contains("<svg", "dW1 = xᵀ·dz1");
    }
}
