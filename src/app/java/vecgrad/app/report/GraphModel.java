package vecgrad.app.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A computation graph to draw: nodes and directed edges, acyclic, in a deterministic order (the order
 * given is the order drawn and written, so the same graph gives the same figure byte for byte).
 *
 * @param nodes the nodes, ids unique
 * @param edges the edges, each between two listed nodes; parallel edges are allowed (an op may read
 *              one input twice), self-loops and cycles are not
 */
public record GraphModel(List<Node> nodes, List<Edge> edges) {

    /** What a node stands for; it picks the node's colour and shape. */
    public enum Kind {
        /** Data fed in: images, labels. */
        INPUT,
        /** A trainable weight or bias. */
        PARAMETER,
        /** An operation: matmul, add, relu, ... */
        OP,
        /** The loss (the root of the backward pass). */
        LOSS,
        /** A gradient, or an operation of the backward pass. */
        GRADIENT
    }

    /**
     * A node.
     *
     * @param id    unique id within the graph, non-blank
     * @param label the text lines drawn in its box, at least one (e.g. {@code ["matmul", "(128,256)"]})
     * @param kind  what it stands for
     */
    public record Node(String id, List<String> label, Kind kind) {

        /** Checks every field; the list is copied. */
        public Node {
            Checks.name("node id", id);
            Objects.requireNonNull(label, "label");
            label = List.copyOf(label);
            if (label.isEmpty()) {
                throw new IllegalArgumentException("expected at least one label line for node '" + id + "', got none");
            }
            Objects.requireNonNull(kind, "kind");
        }
    }

    /**
     * A directed edge {@code from -> to}.
     *
     * @param from  the id of the source node
     * @param to    the id of the target node
     * @param label text drawn along the edge, or {@code ""} for none
     */
    public record Edge(String from, String to, String label) {

        /** Checks every field. */
        public Edge {
            Checks.name("edge source", from);
            Checks.name("edge target", to);
            Objects.requireNonNull(label, "label");
            if (from.equals(to)) {
                throw new IllegalArgumentException("expected an edge between two nodes, got a self-loop on '" + from + "'");
            }
        }

        /** An edge without a label. */
        public Edge(String from, String to) {
            this(from, to, "");
        }
    }

    /**
     * Checks that ids are unique, that edges join listed nodes and that there is no cycle; the lists
     * are copied.
     */
    public GraphModel {
        Objects.requireNonNull(nodes, "nodes");
        Objects.requireNonNull(edges, "edges");
        nodes = List.copyOf(nodes);
        edges = List.copyOf(edges);
        Map<String, Integer> index = new HashMap<>();
        for (Node n : nodes) {
            if (index.putIfAbsent(n.id(), index.size()) != null) {
                throw new IllegalArgumentException("expected unique node ids, got '" + n.id() + "' twice");
            }
        }
        for (Edge e : edges) {
            for (String end : List.of(e.from(), e.to())) {
                if (!index.containsKey(end)) {
                    throw new IllegalArgumentException(
                            "expected edges between listed nodes, got " + e.from() + " -> " + e.to() + " with no node '" + end + "'");
                }
            }
        }
        if (topologicalOrder(nodes.size(), edges, index) == null) {
            throw new IllegalArgumentException("expected an acyclic graph, got a cycle among " + nodes.size() + " nodes");
        }
    }

    /** The position of each node id in {@link #nodes()}. */
    Map<String, Integer> indexById() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).id(), i);
        }
        return index;
    }

    /** Node indices in topological order, ties broken by list order; {@code null} if there is a cycle. */
    int[] topologicalOrder() {
        return topologicalOrder(nodes.size(), edges, indexById());
    }

    private static int[] topologicalOrder(int n, List<Edge> edges, Map<String, Integer> index) {
        // Kahn's algorithm with a FIFO over list order: deterministic, no recursion.
        int[] indegree = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (Edge e : edges) {
            int to = index.get(e.to());
            out.get(index.get(e.from())).add(to);
            indegree[to]++;
        }
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            if (indegree[i] == 0) {
                ready.add(i);
            }
        }
        int[] order = new int[n];
        int k = 0;
        while (!ready.isEmpty()) {
            int v = ready.poll();
            order[k++] = v;
            for (int w : out.get(v)) {
                if (--indegree[w] == 0) {
                    ready.add(w);
                }
            }
        }
        return k == n ? order : null;
    }

    /** A builder that keeps insertion order. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects nodes and edges in order; {@link #build()} checks the whole graph. */
    public static final class Builder {

        private final List<Node> nodes = new ArrayList<>();
        private final List<Edge> edges = new ArrayList<>();

        private Builder() {
        }

        /** Adds a node whose box shows the given lines. */
        public Builder node(String id, Kind kind, String... label) {
            nodes.add(new Node(id, List.of(label), kind));
            return this;
        }

        /** Adds an edge without a label. */
        public Builder edge(String from, String to) {
            edges.add(new Edge(from, to));
            return this;
        }

        /** Adds an edge with a label. */
        public Builder edge(String from, String to, String label) {
            edges.add(new Edge(from, to, label));
            return this;
        }

        /** The graph, checked. */
        public GraphModel build() {
            return new GraphModel(nodes, edges);
        }
    }
}
