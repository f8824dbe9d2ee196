package vecgrad.app.report;

/**
 * A {@link GraphModel} in Graphviz DOT, for {@code dot -Tsvg}: the same nodes, kinds and colours as
 * our own drawing, in the model's order.
 */
final class Dot {

    private Dot() {
    }

    static String of(GraphModel g, String name) {
        StringBuilder sb = new StringBuilder("digraph ").append(quote(name)).append(" {\n")
                .append("  rankdir=TB;\n")
                .append("  node [shape=box, style=\"rounded,filled\", fontname=\"DejaVu Sans Mono\", fontsize=11];\n")
                .append("  edge [color=\"#6b7280\", fontsize=9];\n");
        for (GraphModel.Node n : g.nodes()) {
            sb.append("  ").append(quote(n.id())).append(" [label=").append(quote(String.join("\n", n.label())))
                    .append(", fillcolor=").append(quote(Palette.fill(n.kind())))
                    .append(", color=").append(quote(Palette.stroke(n.kind())))
                    .append(", tooltip=").append(quote(n.kind().name().toLowerCase(java.util.Locale.ROOT)))
                    .append("];\n");
        }
        for (GraphModel.Edge e : g.edges()) {
            sb.append("  ").append(quote(e.from())).append(" -> ").append(quote(e.to()));
            if (!e.label().isEmpty()) {
                sb.append(" [label=").append(quote(e.label())).append(']');
            }
            sb.append(";\n");
        }
        return sb.append("}\n").toString();
    }

    /** A DOT quoted string: quote and backslash escaped, line breaks as DOT's centred {@code \n}. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> { }
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
