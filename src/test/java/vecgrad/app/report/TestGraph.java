package vecgrad.app.report;

import java.util.ArrayList;
import java.util.List;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.ComputationGraph.Edge;
import vecgrad.autodiff.ComputationGraph.Kind;
import vecgrad.autodiff.ComputationGraph.Node;

/** Builds small {@link ComputationGraph}s by hand for the layout and drawing tests, in insertion order. */
final class TestGraph {

    private final List<Node> nodes = new ArrayList<>();
    private final List<Edge> edges = new ArrayList<>();

    static TestGraph builder() {
        return new TestGraph();
    }

    /** A node whose tensor is its id. */
    TestGraph node(String id, Kind kind, String... label) {
        nodes.add(new Node(id, kind, id, List.of(label)));
        return this;
    }

    TestGraph edge(String from, String to) {
        return edge(from, to, "");
    }

    TestGraph edge(String from, String to, String label) {
        edges.add(new Edge(from, to, label));
        return this;
    }

    ComputationGraph build() {
        return new ComputationGraph("test", nodes, edges);
    }
}
