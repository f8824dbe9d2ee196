package vecgrad.app.report;

import java.util.EnumSet;
import java.util.Set;
import vecgrad.autodiff.ComputationGraph;

/**
 * Draws a {@link GraphLayout}: a title and a legend of the node kinds present, edges as smooth
 * curves with arrowheads (coloured when they carry a gradient), then the boxes on top. Data nodes
 * (inputs, parameters) are square-cornered, operations rounded like pills.
 */
final class GraphSvg {

    private static final double HEADER = 58;

    private GraphSvg() {
    }

    /**
     * @param idPrefix prefix of the element ids in this document (arrowhead markers), so that
     *                 several graphs can be inlined into one HTML page
     */
    static String svg(ComputationGraph g, String title, String idPrefix) {
        GraphLayout.Layout layout = GraphLayout.of(g);
        Set<NodeRole> kinds = EnumSet.noneOf(NodeRole.class);
        g.nodes().forEach(node -> kinds.add(NodeRole.of(node)));
        double legendWidth = 0;
        for (NodeRole k : kinds) {
            legendWidth += 30 + 8 * k.name().length();
        }
        double width = Math.max(layout.width(), Math.max(legendWidth, 9 * title.length()) + 2 * GraphLayout.MARGIN);
        double dx = (width - layout.width()) / 2;
        Svg svg = new Svg(width, layout.height() + HEADER, title);
        svg.text(GraphLayout.MARGIN, 24, title, "font-size", "15", "font-weight", "bold");
        double lx = GraphLayout.MARGIN;
        for (NodeRole k : kinds) {
            svg.rect(lx, 36, 18, 12, "fill", Palette.fill(k), "stroke", Palette.stroke(k), "rx", rx(k, 12));
            String name = k.cssName();
            svg.text(lx + 23, 46, name, "font-size", "12");
            lx += 30 + 8 * name.length();
        }

        svg.open("defs");
        marker(svg, idPrefix + "arrow", "#6b7280");
        marker(svg, idPrefix + "arrow-gradient", Palette.stroke(NodeRole.GRADIENT));
        svg.close("defs");

        svg.open("g", "transform", "translate(" + Svg.num(dx) + "," + Svg.num(HEADER) + ")");
        var index = GraphLayout.indexById(g);
        svg.open("g", "class", "edges", "fill", "none", "stroke-width", "1.3");
        for (GraphLayout.Route r : layout.routes()) {
            boolean gradient = NodeRole.of(g.nodes().get(index.get(r.edge().from()))) == NodeRole.GRADIENT;
            String colour = gradient ? Palette.stroke(NodeRole.GRADIENT) : "#6b7280";
            String marker = "url(#" + idPrefix + (gradient ? "arrow-gradient" : "arrow") + ")";
            svg.open("path", "class", "edge", "d", pathData(r.points()), "stroke", colour, "marker-end", marker);
            svg.textElement("title", r.edge().from() + " → " + r.edge().to());
            svg.close("path");
        }
        svg.close("g");
        for (GraphLayout.Route r : layout.routes()) {
            if (!r.edge().label().isEmpty()) {
                // Beside the first segment, on the side the edge turns to, so that the labels of two edges
                // leaving one node in opposite directions do not overlap.
                double[] p = r.points();
                boolean left = p[p.length - 2] < p[0] - 1;
                double mx = (p[0] + p[2]) / 2 + (left ? -4 : 4);
                double my = (p[1] + p[3]) / 2 + 4;
                String anchor = left ? "end" : "start";
                svg.text(mx, my, r.edge().label(), "font-size", "10", "text-anchor", anchor, "stroke", "#ffffff",
                        "stroke-width", "3");
                svg.text(mx, my, r.edge().label(), "font-size", "10", "text-anchor", anchor, "fill", "#374151");
            }
        }

        svg.open("g", "class", "nodes", "font-family", Svg.MONO, "font-size", Svg.num(GraphLayout.FONT_SIZE),
                "text-anchor", "middle");
        for (GraphLayout.Box b : layout.boxes()) {
            NodeRole k = NodeRole.of(b.node());
            svg.open("g", "class", "node " + k.cssName());
            svg.textElement("title", b.node().id());
            svg.rect(b.x(), b.y(), b.w(), b.h(), "fill", Palette.fill(k), "stroke", Palette.stroke(k),
                    "stroke-width", k == NodeRole.LOSS ? "2" : "1.2", "rx", rx(k, b.h()));
            double y = b.y() + GraphLayout.PAD_Y + GraphLayout.LINE_H - 4;
            for (int i = 0; i < b.node().label().size(); i++) {
                String line = b.node().label().get(i);
                if (i == 0) {
                    svg.text(b.cx(), y, line, "font-weight", "bold", "fill", Palette.stroke(k));
                } else {
                    svg.text(b.cx(), y, line, "fill", "#374151");
                }
                y += GraphLayout.LINE_H;
            }
            svg.close("g");
        }
        svg.close("g");
        svg.close("g");
        return svg.done();
    }

    private static String rx(NodeRole k, double h) {
        return k == NodeRole.INPUT || k == NodeRole.PARAMETER ? "2" : Svg.num(Math.min(h / 2, 11));
    }

    private static void marker(Svg svg, String id, String colour) {
        svg.open("marker", "id", id, "viewBox", "0 0 10 10", "refX", "9", "refY", "5", "markerWidth", "7",
                "markerHeight", "7", "markerUnits", "userSpaceOnUse", "orient", "auto");
        svg.element("path", "d", "M0,0 L10,5 L0,10 z", "fill", colour);
        svg.close("marker");
    }

    /**
     * Path data through the route's points: vertical runs through a layer as straight lines, the
     * steps between layers as cubic curves leaving and entering vertically.
     */
    static String pathData(double[] p) {
        StringBuilder d = new StringBuilder("M").append(Svg.num(p[0])).append(',').append(Svg.num(p[1]));
        for (int i = 2; i + 1 < p.length; i += 2) {
            double x0 = p[i - 2];
            double y0 = p[i - 1];
            double x1 = p[i];
            double y1 = p[i + 1];
            if (x0 == x1) {
                d.append(" L").append(Svg.num(x1)).append(',').append(Svg.num(y1));
            } else {
                double my = (y0 + y1) / 2;
                d.append(" C").append(Svg.num(x0)).append(',').append(Svg.num(my)).append(' ')
                        .append(Svg.num(x1)).append(',').append(Svg.num(my)).append(' ')
                        .append(Svg.num(x1)).append(',').append(Svg.num(y1));
            }
        }
        return d.toString();
    }
}
