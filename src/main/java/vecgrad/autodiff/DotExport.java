package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ComputationGraph} as Graphviz DOT, in the graph's own order: each node, then the
 * edges it completes (those whose other end is already written), so an edge sits next to the node it
 * leads to.
 */
final class DotExport {

    private static final String HEADER = "  rankdir=TB;\n"
            + "  node [fontname=\"Helvetica\", fontsize=10];\n"
            + "  edge [fontname=\"Helvetica\", fontsize=9];\n";

    private DotExport() {
    }

    static String render(ComputationGraph graph) {
        StringBuilder dot = new StringBuilder("digraph ").append(id(graph.name())).append(" {\n").append(HEADER);
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            position.put(graph.nodes().get(i).id(), i);
        }
        List<List<ComputationGraph.Edge>> completed = new ArrayList<>();
        for (int i = 0; i < graph.nodes().size(); i++) {
            completed.add(new ArrayList<>());
        }
        for (ComputationGraph.Edge e : graph.edges()) {
            completed.get(Math.max(position.get(e.from()), position.get(e.to()))).add(e);
        }
        for (int i = 0; i < graph.nodes().size(); i++) {
            ComputationGraph.Node n = graph.nodes().get(i);
            dot.append("  ").append(id(n.id())).append(" [").append(style(n.kind()))
                    .append(", label=").append(quote(String.join("\n", n.label()))).append("];\n");
            for (ComputationGraph.Edge e : completed.get(i)) {
                dot.append("  ").append(id(e.from())).append(" -> ").append(id(e.to()));
                if (!e.label().isEmpty()) {
                    dot.append(" [label=").append(quote(e.label())).append(']');
                }
                dot.append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    private static String style(ComputationGraph.Kind kind) {
        return switch (kind) {
            case PARAMETER, GRADIENT -> "shape=ellipse, style=filled, fillcolor=\"#e8f0fa\"";
            case WATCHED -> "shape=ellipse, style=solid";
            case CONSTANT -> "shape=ellipse, style=dashed";
            case OP, RULE -> "shape=box";
            case SEED -> "shape=plaintext";
            case SUM -> "shape=circle";
        };
    }

    /** A DOT id: plain when it is an identifier other than a DOT keyword, quoted otherwise. */
    private static String id(String s) {
        boolean keyword = s.matches("(?i)node|edge|graph|digraph|subgraph|strict");
        return s.matches("[A-Za-z_][A-Za-z_0-9]*") && !keyword ? s : quote(s);
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
