package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.ComputationGraph.Edge;
import vecgrad.autodiff.ComputationGraph.Kind;
import vecgrad.autodiff.ComputationGraph.Node;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class ComputationGraphTest {

    @Test
    void forwardGraph_denseLayer_nodesAndEdgesInRecordOrder() {
        Tensor x = Tensor.zeros(4, 3);
        Variable w = Variable.of("W1", Tensor.zeros(3, 2));
        Variable b = Variable.of("b1", Tensor.zeros(2));
        Tensor watched = Tensor.ones(4, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(watched);
            Tensor z = Ops.add(Ops.matmul(x, w), b);
            Tensor a = ActivationOps.relu(z);
            Ops.mul(a, watched);
            ComputationGraph g = tape.forwardGraph(Map.of(x, "x", z, "z1"));

            assertThat(g.name()).isEqualTo("forward");
            assertThat(g.nodes()).containsExactly(
                    new Node("l0", Kind.CONSTANT, "x", List.of("x", "(4, 3)")),
                    new Node("l1", Kind.PARAMETER, "W1", List.of("W1", "(3, 2)")),
                    new Node("t0", Kind.OP, "", List.of("matmul", "(4, 2)")),
                    new Node("l2", Kind.PARAMETER, "b1", List.of("b1", "(2)")),
                    new Node("t1", Kind.OP, "z1", List.of("add", "z1 (4, 2)")),
                    new Node("t2", Kind.OP, "", List.of("relu", "(4, 2)")),
                    new Node("l3", Kind.WATCHED, "", List.of("watched", "(4, 2)")),
                    new Node("t3", Kind.OP, "", List.of("mul", "(4, 2)")));
            assertThat(g.edges()).containsExactly(
                    new Edge("l0", "t0", "a"), new Edge("l1", "t0", "b"),
                    new Edge("t0", "t1", "a"), new Edge("l2", "t1", "b"),
                    new Edge("t1", "t2", ""),
                    new Edge("t2", "t3", "a"), new Edge("l3", "t3", "b"));
        }
    }

    @Test
    void backwardGraph_tensorUsedTwice_sumNodeAndLeafGradients() {
        Variable v = Variable.of("v", Tensor.ones(2));
        try (GradientTape tape = new GradientTape()) {
            Tensor p = Ops.mul(v, v);
            Tensor loss = Ops.sum(p);
            ComputationGraph g = tape.backwardGraph(loss, Map.of(p, "p", loss, "L"));

            assertThat(g.name()).isEqualTo("backward");
            assertThat(g.nodes()).containsExactly(
                    new Node("seed", Kind.SEED, "L", List.of("∂L/∂L = 1")),
                    new Node("b1", Kind.RULE, "L", List.of("sum′", "dx = g (every element)")),
                    new Node("b0", Kind.RULE, "p", List.of("mul′", "da = g ⊙ b", "db = g ⊙ a")),
                    new Node("g0", Kind.GRADIENT, "v", List.of("∂L/∂v", "(2)")),
                    new Node("s0", Kind.SUM, "v", List.of("+")));
            assertThat(g.edges()).containsExactly(
                    new Edge("seed", "b1", "()"),
                    new Edge("b1", "b0", "∂p (2)"),
                    new Edge("b0", "s0", "∂v (2)"), new Edge("b0", "s0", "∂v (2)"),
                    new Edge("s0", "g0", ""));
        }
    }

    @Test
    void graphDot_isTheGraphRendered() {
        Variable w = Variable.of("W", Tensor.ones(2, 2));
        Tensor x = Tensor.ones(1, 2);
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(Ops.matmul(x, w));
            Map<Tensor, String> names = Map.of(x, "x");
            assertThat(tape.forwardGraphDot(names)).isEqualTo(tape.forwardGraph(names).toDot());
            assertThat(tape.backwardGraphDot(loss, names)).isEqualTo(tape.backwardGraph(loss, names).toDot());
        }
    }

    @Test
    void toDot_handBuiltGraph_quotesIdsThatAreNotIdentifiers() {
        ComputationGraph g = new ComputationGraph("my graph", List.of(
                new Node("node", Kind.CONSTANT, "", List.of("in")),
                new Node("a b", Kind.OP, "", List.of("op", "(1)")),
                new Node("ok_1", Kind.SEED, "", List.of("s"))),
                List.of(new Edge("node", "a b", ""), new Edge("ok_1", "a b", "x \"y\"")));
        assertThat(g.toDot()).isEqualTo("digraph \"my graph\" {\n"
                + "  rankdir=TB;\n"
                + "  node [fontname=\"Helvetica\", fontsize=10];\n"
                + "  edge [fontname=\"Helvetica\", fontsize=9];\n"
                + "  \"node\" [shape=ellipse, style=dashed, label=\"in\"];\n"
                + "  \"a b\" [shape=box, label=\"op\\n(1)\"];\n"
                + "  \"node\" -> \"a b\";\n"
                + "  ok_1 [shape=plaintext, label=\"s\"];\n"
                + "  ok_1 -> \"a b\" [label=\"x \\\"y\\\"\"];\n"
                + "}\n");
    }

    @Test
    void constructor_badGraphs_throw() {
        Node a = new Node("a", Kind.OP, "", List.of("a"));
        assertThatThrownBy(() -> new ComputationGraph("g", List.of(a, a), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> new ComputationGraph("g", List.of(a), List.of(new Edge("a", "b", ""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no node 'b'");
        assertThatThrownBy(() -> new ComputationGraph(" ", List.of(a), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("graph name");
        assertThatThrownBy(() -> new Node("n", Kind.OP, "", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one label line");
        assertThatThrownBy(() -> new Node("", Kind.OP, "", List.of("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node id");
        assertThatThrownBy(() -> new Edge("a", null, "")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void graphs_closedTape_throw() {
        Variable v = Variable.of("v", Tensor.ones(1));
        GradientTape tape = new GradientTape();
        Tensor y = Ops.exp(v);
        tape.close();
        assertThatThrownBy(() -> tape.forwardGraph(Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("forwardGraph");
        assertThatThrownBy(() -> tape.backwardGraph(y, Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("backwardGraph");
    }
}
