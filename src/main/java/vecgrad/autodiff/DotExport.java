package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Writes a tape's recording as Graphviz DOT. Every id and every line comes from the record order
 * (identity maps are used for look-ups only, never iterated), so the text is deterministic.
 */
final class DotExport {

    private static final String HEADER = "  node [fontname=\"Helvetica\", fontsize=10];\n"
            + "  edge [fontname=\"Helvetica\", fontsize=9];\n";

    private DotExport() {
    }

    /** Ops as boxes (t0, t1, ... in record order), inputs no op produced as ellipses (l0, l1, ...). */
    static String forward(List<Node> nodes, Predicate<Tensor> tracked, Map<? extends Tensor, String> names) {
        StringBuilder dot = new StringBuilder("digraph forward {\n  rankdir=TB;\n").append(HEADER);
        Map<Tensor, String> ids = new IdentityHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            ids.put(nodes.get(i).output(), "t" + i);
        }
        int leaves = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            Tensor[] inputs = node.inputs();
            for (Tensor in : inputs) {
                if (!ids.containsKey(in)) {
                    String id = "l" + leaves++;
                    ids.put(in, id);
                    dot.append("  ").append(id).append(" [shape=ellipse, ").append(leafStyle(in, tracked))
                            .append(", label=").append(quote(leafName(in, tracked, names) + "\n" + in.shapeString()))
                            .append("];\n");
                }
            }
            String name = names.get(node.output());
            dot.append("  t").append(i).append(" [shape=box, label=")
                    .append(quote(node.op() + "\n" + (name == null ? "" : name + " ") + node.output().shapeString()))
                    .append("];\n");
            for (int j = 0; j < inputs.length; j++) {
                dot.append("  ").append(ids.get(inputs[j])).append(" -> t").append(i);
                if (inputs.length > 1) {
                    dot.append(" [label=").append(quote(node.argName(j))).append(']');
                }
                dot.append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    /**
     * The seed ({@code seed}), the backward rules applied (b0, b1, ... by record index), sums where a
     * gradient has several contributions (s0, s1, ...), and the gradients of inputs no op produced
     * (g0, g1, ... in the order those inputs first appear in the recording).
     */
    static String backward(List<Node> nodes, Tensor target, Predicate<Tensor> tracked,
                           Map<? extends Tensor, String> names) {
        StringBuilder dot = new StringBuilder("digraph backward {\n  rankdir=TB;\n").append(HEADER);
        String seedLabel = target.rank() == 0 ? "∂L/∂L = 1" : "seed: ones\n" + target.shapeString();
        dot.append("  seed [shape=plaintext, label=").append(quote(seedLabel)).append("];\n");

        // The contributions to each tensor's gradient, as edges from the node that sends one.
        Map<Tensor, List<Edge>> into = new IdentityHashMap<>();
        into.computeIfAbsent(target, t -> new ArrayList<>()).add(new Edge("seed", target.shapeString()));
        Map<Tensor, Boolean> produced = new IdentityHashMap<>();
        for (Node node : nodes) {
            produced.put(node.output(), Boolean.TRUE);
        }
        int[] sums = {0};
        for (int i = nodes.size() - 1; i >= 0; i--) {
            Node node = nodes.get(i);
            List<Edge> senders = into.get(node.output());
            if (senders == null) {
                continue;
            }
            String id = "b" + i;
            dot.append("  ").append(id).append(" [shape=box, label=")
                    .append(quote(node.op() + "′\n" + node.rule().replace("; ", "\n"))).append("];\n");
            connect(dot, senders, id, sums);
            Tensor[] inputs = node.inputs();
            for (int j = 0; j < inputs.length; j++) {
                if (tracked.test(inputs[j])) {
                    String name = inputs[j] instanceof Variable v ? v.name() : names.get(inputs[j]);
                    String label = (name != null ? "∂" + name : "d" + node.argName(j)) + " " + inputs[j].shapeString();
                    into.computeIfAbsent(inputs[j], t -> new ArrayList<>()).add(new Edge(id, label));
                }
            }
        }

        Map<Tensor, Boolean> emitted = new IdentityHashMap<>();
        int grads = 0;
        for (Node node : nodes) {
            for (Tensor in : node.inputs()) {
                List<Edge> senders = into.get(in);
                if (senders != null && !produced.containsKey(in) && emitted.put(in, Boolean.TRUE) == null) {
                    String id = "g" + grads++;
                    dot.append("  ").append(id).append(" [shape=ellipse, style=filled, fillcolor=\"#e8f0fa\", label=")
                            .append(quote("∂L/∂" + leafName(in, tracked, names) + "\n" + in.shapeString()))
                            .append("];\n");
                    connect(dot, senders, id, sums);
                }
            }
        }
        return dot.append("}\n").toString();
    }

    /** A gradient sent from a DOT node, with its edge label. */
    private record Edge(String from, String label) {
    }

    /** Edges from each sender to {@code to}, through a sum node when there are several. */
    private static void connect(StringBuilder dot, List<Edge> senders, String to, int[] sums) {
        if (senders.size() == 1) {
            edge(dot, senders.get(0).from(), to, senders.get(0).label());
            return;
        }
        String sum = "s" + sums[0]++;
        dot.append("  ").append(sum).append(" [shape=circle, label=\"+\"];\n");
        for (Edge e : senders) {
            edge(dot, e.from(), sum, e.label());
        }
        edge(dot, sum, to, null);
    }

    private static void edge(StringBuilder dot, String from, String to, String label) {
        dot.append("  ").append(from).append(" -> ").append(to);
        if (label != null) {
            dot.append(" [label=").append(quote(label)).append(']');
        }
        dot.append(";\n");
    }

    private static String leafName(Tensor t, Predicate<Tensor> tracked, Map<? extends Tensor, String> names) {
        if (t instanceof Variable v) {
            return v.name();
        }
        String name = names.get(t);
        if (name != null) {
            return name;
        }
        return tracked.test(t) ? "watched" : "constant";
    }

    private static String leafStyle(Tensor t, Predicate<Tensor> tracked) {
        if (t instanceof Variable v && v.trainable()) {
            return "style=filled, fillcolor=\"#e8f0fa\"";
        }
        return tracked.test(t) ? "style=solid" : "style=dashed";
    }

    /** A DOT string literal; a newline becomes DOT's centred line break. */
    private static String quote(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
