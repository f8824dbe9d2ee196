package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A computation graph as plain, immutable data: nodes with a kind and lines of text, and directed
 * edges with a label, both in a deterministic order. {@link GradientTape#forwardGraph} and
 * {@link GradientTape#backwardGraph} describe a recording this way; {@link #toDot()} renders it as
 * Graphviz DOT, and a drawing program can render the same description, so both show one graph.
 *
 * <pre>{@code
 * try (GradientTape tape = new GradientTape()) {
 *     Tensor z = Ops.add(Ops.matmul(x, w1), b1);
 *     Tensor loss = LossOps.softmaxCrossEntropyWithLogits(y, z);
 *     ComputationGraph forward = tape.forwardGraph(Map.of(x, "x", y, "y", z, "logits", loss, "loss"));
 *     ComputationGraph backward = tape.backwardGraph(loss, Map.of(x, "x", y, "y", z, "logits", loss, "loss"));
 * }
 * }</pre>
 *
 * @param name  the graph's name ({@code "forward"}, {@code "backward"}), non-blank
 * @param nodes the nodes, ids unique and non-blank
 * @param edges the edges, each between two listed nodes (an op reading one tensor twice has two)
 */
public record ComputationGraph(String name, List<Node> nodes, List<Edge> edges) {

    /** What a node stands for. */
    public enum Kind {
        /** A trainable variable read by the computation (forward graph). */
        PARAMETER,
        /** A tensor the tape watches that no recorded op produced (forward graph). */
        WATCHED,
        /** A tensor the tape does not track, such as input data (forward graph). */
        CONSTANT,
        /** A recorded op: its name, then its output's name (if known) and shape (forward graph). */
        OP,
        /** The start of the backward pass: the target's gradient with respect to itself. */
        SEED,
        /** A backward rule applied: the op's name with a prime, then one line per input gradient. */
        RULE,
        /** The sum of several contributions to one tensor's gradient. */
        SUM,
        /** The gradient of the target with respect to a variable or watched tensor. */
        GRADIENT
    }

    /**
     * A node.
     *
     * @param id     unique within the graph, non-blank
     * @param kind   what it stands for
     * @param tensor the name of the tensor it concerns (a variable's name or one given by the caller),
     *               or {@code ""}: in a forward graph the tensor it is or produces; in a backward graph
     *               the tensor whose gradient flows into it
     * @param label  the lines of text to show, at least one
     */
    public record Node(String id, Kind kind, String tensor, List<String> label) {

        /**
         * Checks every field; the list is copied.
         *
         * @param id     unique within the graph, non-blank
         * @param kind   what the node stands for
         * @param tensor the name of the tensor it concerns, or {@code ""}
         * @param label  the lines of text to show, at least one
         * @throws IllegalArgumentException if {@code id} is blank or {@code label} is empty
         */
        public Node {
            requireNonBlank("node id", id);
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(tensor, "tensor");
            label = List.copyOf(Objects.requireNonNull(label, "label"));
            if (label.isEmpty()) {
                throw new IllegalArgumentException("expected at least one label line for node '" + id + "', got none");
            }
        }
    }

    /**
     * A directed edge.
     *
     * @param from  the id of the source node
     * @param to    the id of the target node
     * @param label text along the edge, or {@code ""}
     */
    public record Edge(String from, String to, String label) {

        /**
         * Checks every field.
         *
         * @param from  the id of the source node, non-blank
         * @param to    the id of the target node, non-blank
         * @param label text along the edge, or {@code ""}
         * @throws IllegalArgumentException if {@code from} or {@code to} is blank
         */
        public Edge {
            requireNonBlank("edge source", from);
            requireNonBlank("edge target", to);
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * Checks that ids are unique and that edges join listed nodes; the lists are copied.
     *
     * @param name  the graph's name, non-blank
     * @param nodes the nodes, ids unique and non-blank
     * @param edges the edges, each between two listed nodes
     * @throws IllegalArgumentException if {@code name} is blank, two nodes share an id, or an edge names a node
     *         not in {@code nodes}
     */
    public ComputationGraph {
        requireNonBlank("graph name", name);
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        edges = List.copyOf(Objects.requireNonNull(edges, "edges"));
        Set<String> ids = new HashSet<>();
        for (Node n : nodes) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("expected unique node ids, got '" + n.id() + "' twice");
            }
        }
        for (Edge e : edges) {
            if (!ids.contains(e.from()) || !ids.contains(e.to())) {
                throw new IllegalArgumentException("expected edges between listed nodes, got " + e.from() + " -> "
                        + e.to() + " with no node '" + (ids.contains(e.from()) ? e.to() : e.from()) + "'");
            }
        }
    }

    /**
     * The graph as a Graphviz DOT digraph ({@code dot -Tsvg}): ops and backward rules as boxes,
     * parameters and gradients as filled ellipses, other leaves as plain (watched) or dashed
     * (constant) ellipses, sums as circles. The same graph gives the same text.
     *
     * @return the DOT source, a {@code digraph} named after the graph
     */
    public String toDot() {
        return DotExport.render(this);
    }

    private static void requireNonBlank(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException("expected a non-blank " + what + ", got '" + value + "'");
        }
    }

    // ---------------------------------------------------------------- from a recording (used by GradientTape)

    /*
     * Ids and order come from the record order alone (identity maps are used for look-ups, never
     * iterated), so the same computation gives the same graph. Ops are t<i> by record index; inputs
     * no op produced are l0, l1, ... in order of first use; the backward pass has the seed, the rules
     * b<i> by record index, the sums s0, s1, ... and the leaf gradients g0, g1, ...
     */

    /** Ops as t0, t1, ... in record order, each preceded by the inputs no op produced, seen for the first time. */
    static ComputationGraph forward(List<vecgrad.autodiff.Node> recorded, Predicate<Tensor> tracked,
                                    Map<? extends Tensor, String> names) {
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        Map<Tensor, String> ids = new IdentityHashMap<>();
        for (int i = 0; i < recorded.size(); i++) {
            ids.put(recorded.get(i).output(), "t" + i);
        }
        int leaves = 0;
        for (int i = 0; i < recorded.size(); i++) {
            vecgrad.autodiff.Node op = recorded.get(i);
            Tensor[] inputs = op.inputs();
            for (Tensor in : inputs) {
                if (!ids.containsKey(in)) {
                    String id = "l" + leaves++;
                    ids.put(in, id);
                    nodes.add(new Node(id, leafKind(in, tracked), nameOf(in, names),
                            List.of(leafName(in, tracked, names), in.shapeString())));
                }
            }
            String name = nameOf(op.output(), names);
            nodes.add(new Node("t" + i, Kind.OP, name,
                    List.of(op.op(), (name.isEmpty() ? "" : name + " ") + op.output().shapeString())));
            for (int j = 0; j < inputs.length; j++) {
                edges.add(new Edge(ids.get(inputs[j]), "t" + i, inputs.length > 1 ? op.argName(j) : ""));
            }
        }
        return new ComputationGraph("forward", nodes, edges);
    }

    /**
     * From the seed, the backward rules applied to reach every tracked input the target depends on,
     * a sum wherever a gradient has several contributions, and one gradient node per tracked input no
     * op produced; edges carry each gradient's name and shape.
     */
    static ComputationGraph backward(List<vecgrad.autodiff.Node> recorded, Tensor target, Predicate<Tensor> tracked,
                                     Map<? extends Tensor, String> names) {
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        nodes.add(new Node("seed", Kind.SEED, nameOf(target, names),
                target.rank() == 0 ? List.of("∂L/∂L = 1") : List.of("seed: ones", target.shapeString())));

        // The contributions to each tensor's gradient, as (sender id, edge label).
        Map<Tensor, List<String[]>> into = new IdentityHashMap<>();
        into.computeIfAbsent(target, t -> new ArrayList<>()).add(new String[] {"seed", target.shapeString()});
        Map<Tensor, Boolean> produced = new IdentityHashMap<>();
        for (vecgrad.autodiff.Node op : recorded) {
            produced.put(op.output(), Boolean.TRUE);
        }
        int[] sums = {0};
        for (int i = recorded.size() - 1; i >= 0; i--) {
            vecgrad.autodiff.Node op = recorded.get(i);
            List<String[]> senders = into.get(op.output());
            if (senders == null) {
                continue;
            }
            String id = "b" + i;
            List<String> label = new ArrayList<>();
            label.add(op.op() + "′");
            label.addAll(List.of(op.rule().split("; ")));
            String tensor = nameOf(op.output(), names);
            nodes.add(new Node(id, Kind.RULE, tensor, label));
            connect(nodes, edges, senders, id, tensor, sums);
            Tensor[] inputs = op.inputs();
            for (int j = 0; j < inputs.length; j++) {
                if (tracked.test(inputs[j])) {
                    String name = nameOf(inputs[j], names);
                    String edgeLabel = (name.isEmpty() ? "d" + op.argName(j) : "∂" + name) + " " + inputs[j].shapeString();
                    into.computeIfAbsent(inputs[j], t -> new ArrayList<>()).add(new String[] {id, edgeLabel});
                }
            }
        }

        Map<Tensor, Boolean> emitted = new IdentityHashMap<>();
        int grads = 0;
        for (vecgrad.autodiff.Node op : recorded) {
            for (Tensor in : op.inputs()) {
                List<String[]> senders = into.get(in);
                if (senders != null && !produced.containsKey(in) && emitted.put(in, Boolean.TRUE) == null) {
                    String id = "g" + grads++;
                    String tensor = nameOf(in, names);
                    nodes.add(new Node(id, Kind.GRADIENT, tensor,
                            List.of("∂L/∂" + leafName(in, tracked, names), in.shapeString())));
                    connect(nodes, edges, senders, id, tensor, sums);
                }
            }
        }
        return new ComputationGraph("backward", nodes, edges);
    }

    /** Edges from each sender to {@code to}, through a new sum node when there are several. */
    private static void connect(List<Node> nodes, List<Edge> edges, List<String[]> senders, String to, String tensor,
                                int[] sums) {
        if (senders.size() == 1) {
            edges.add(new Edge(senders.get(0)[0], to, senders.get(0)[1]));
            return;
        }
        String sum = "s" + sums[0]++;
        nodes.add(new Node(sum, Kind.SUM, tensor, List.of("+")));
        for (String[] s : senders) {
            edges.add(new Edge(s[0], sum, s[1]));
        }
        edges.add(new Edge(sum, to, ""));
    }

    /** The caller's name for the tensor, else a variable's own name, else "". */
    private static String nameOf(Tensor t, Map<? extends Tensor, String> names) {
        String name = names.get(t);
        if (name != null) {
            return name;
        }
        return t instanceof Variable v ? v.name() : "";
    }

    private static String leafName(Tensor t, Predicate<Tensor> tracked, Map<? extends Tensor, String> names) {
        String name = nameOf(t, names);
        if (!name.isEmpty()) {
            return name;
        }
        return tracked.test(t) ? "watched" : "constant";
    }

    private static Kind leafKind(Tensor t, Predicate<Tensor> tracked) {
        if (t instanceof Variable v && v.trainable()) {
            return Kind.PARAMETER;
        }
        return tracked.test(t) ? Kind.WATCHED : Kind.CONSTANT;
    }
}
