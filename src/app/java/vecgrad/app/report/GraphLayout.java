package vecgrad.app.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import vecgrad.autodiff.ComputationGraph;

/**
 * A layered drawing of a {@link ComputationGraph}, top to bottom: boxes sized to their text, and each edge
 * as a chain of points from the bottom of its source box to the top of its target box.
 *
 * <p>A simplified Sugiyama framework (Sugiyama, Tagawa and Toda, "Methods for visual understanding of
 * hierarchical system structures", 1981), in four steps:
 * <ol>
 * <li>Layers: longest path from the sources, so every edge points down; then each source (a
 *     parameter, an input) moves down to just above its first consumer, so a weight sits beside the
 *     matmul that reads it instead of at the top of the page.
 * <li>Dummy nodes: an edge spanning several layers is split by one dummy per layer crossed, so long
 *     edges take part in the ordering and are routed between boxes.
 * <li>Order within layers: alternating down and up sweeps sorting each layer by the barycentre of
 *     its neighbours in the previous layer, then swaps of adjacent nodes while they remove crossings
 *     (Gansner et al., "A technique for drawing directed graphs", 1993, sections 3.1-3.2); the order
 *     with the fewest crossings is kept.
 * <li>Coordinates: sweeps that move each node toward the weighted mean x of its neighbours (long
 *     edges weigh more, to straighten them), each followed by the least-squares projection onto
 *     "keep the order and the gaps", solved exactly by pool-adjacent-violators. Boxes of a layer
 *     therefore never overlap, by construction.
 * </ol>
 * Text width is estimated from the character count in a monospace font, so the layout does not
 * depend on the fonts installed and is the same on every machine.
 */
final class GraphLayout {

    static final double FONT_SIZE = 12;
    /** Advance of DejaVu Sans Mono (and most monospace fonts), 0.602 em, rounded up. */
    static final double CHAR_W = 0.61 * FONT_SIZE;
    static final double LINE_H = 15;
    static final double PAD_X = 10;
    static final double PAD_Y = 7;
    static final double NODE_GAP = 22;
    static final double DUMMY_W = 4;
    static final double DUMMY_GAP = 10;
    static final double LAYER_GAP = 44;
    static final double MARGIN = 16;
    private static final int ORDER_SWEEPS = 24;
    private static final int POSITION_SWEEPS = 12;

    /** A node's box: top-left corner, size and layer. */
    record Box(ComputationGraph.Node node, int layer, double x, double y, double w, double h) {
        double cx() {
            return x + w / 2;
        }

        boolean overlaps(Box o) {
            return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
        }
    }

    /** An edge's polyline: {@code points[2i], points[2i+1]} is point i, from source to target. */
    record Route(ComputationGraph.Edge edge, double[] points) {
    }

    /** The position of each node id in the graph's node list. */
    static Map<String, Integer> indexById(ComputationGraph g) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            index.put(g.nodes().get(i).id(), i);
        }
        return index;
    }

    /** Node indices in topological order, ties broken by list order; {@code null} if there is a cycle. */
    static int[] topologicalOrder(ComputationGraph g) {
        // Kahn's algorithm with a FIFO over list order: deterministic, no recursion.
        int n = g.nodes().size();
        Map<String, Integer> index = indexById(g);
        int[] indegree = new int[n];
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ArrayList<>());
        }
        for (ComputationGraph.Edge e : g.edges()) {
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

    /** The drawing: boxes in node order, routes in edge order, and the total size. */
    record Layout(List<Box> boxes, List<Route> routes, double width, double height, int layers) {
    }

    private GraphLayout() {
    }

    static double boxWidth(ComputationGraph.Node n) {
        int chars = 0;
        for (String line : n.label()) {
            chars = Math.max(chars, line.codePointCount(0, line.length()));
        }
        return Math.ceil(chars * CHAR_W + 2 * PAD_X);
    }

    static double boxHeight(ComputationGraph.Node n) {
        return n.label().size() * LINE_H + 2 * PAD_Y;
    }

    static Layout of(ComputationGraph g) {
        if (topologicalOrder(g) == null) {
            throw new IllegalArgumentException("expected an acyclic graph, got a cycle among " + g.nodes().size()
                    + " nodes of '" + g.name() + "'");
        }
        return new Builder(g).build();
    }

    /** The working state of one layout; virtual nodes are the real ones (0..n-1) then the dummies. */
    private static final class Builder {
        private final ComputationGraph g;
        private final int n;
        private final int[] from;
        private final int[] to;
        private final List<Integer> layerOf = new ArrayList<>();
        private final List<Double> widthOf = new ArrayList<>();
        /** Per edge: its chain of virtual nodes, source first. */
        private final List<int[]> chains = new ArrayList<>();
        /** Per virtual node: neighbours in the layer above / below, with a weight per segment. */
        private final List<List<int[]>> up = new ArrayList<>();
        private final List<List<int[]>> down = new ArrayList<>();
        private List<List<Integer>> order;
        private int[] pos;
        private double[] x;
        private boolean[] hasIn;

        Builder(ComputationGraph g) {
            this.g = g;
            this.n = g.nodes().size();
            var index = indexById(g);
            from = new int[g.edges().size()];
            to = new int[g.edges().size()];
            for (int e = 0; e < from.length; e++) {
                from[e] = index.get(g.edges().get(e).from());
                to[e] = index.get(g.edges().get(e).to());
            }
        }

        Layout build() {
            hasIn = new boolean[n];
            for (int e = 0; e < from.length; e++) {
                hasIn[to[e]] = true;
            }
            int[] layer = assignLayers();
            for (int v = 0; v < n; v++) {
                addVirtual(layer[v], boxWidth(g.nodes().get(v)));
            }
            for (int e = 0; e < from.length; e++) {
                int span = layer[to[e]] - layer[from[e]];
                int[] chain = new int[span + 1];
                chain[0] = from[e];
                chain[span] = to[e];
                for (int k = 1; k < span; k++) {
                    chain[k] = addVirtual(layer[from[e]] + k, DUMMY_W);
                }
                for (int k = 0; k < span; k++) {
                    int a = chain[k];
                    int b = chain[k + 1];
                    int dummies = (a >= n ? 1 : 0) + (b >= n ? 1 : 0);
                    int w = dummies == 2 ? 32 : dummies == 1 ? 8 : 4;
                    down.get(a).add(new int[] {b, w});
                    // A source (weight, bias, input) should sit beside its consumer, not drag it sideways:
                    // its consumer gives it no weight (see pull).
                    up.get(b).add(new int[] {a, a < n && !hasIn[a] ? 0 : w});
                }
                chains.add(chain);
            }
            orderLayers(layer);
            assignX();
            return place();
        }

        private int addVirtual(int layer, double width) {
            layerOf.add(layer);
            widthOf.add(width);
            up.add(new ArrayList<>());
            down.add(new ArrayList<>());
            return layerOf.size() - 1;
        }

        private int[] assignLayers() {
            int[] topo = topologicalOrder(g);
            int[] layer = new int[n];
            for (int v : topo) {
                for (int e = 0; e < from.length; e++) {
                    if (to[e] == v) {
                        layer[v] = Math.max(layer[v], layer[from[e]] + 1);
                    }
                }
            }
            for (int v = 0; v < n; v++) {
                if (!hasIn[v]) {
                    int first = Integer.MAX_VALUE;
                    for (int e = 0; e < from.length; e++) {
                        if (from[e] == v) {
                            first = Math.min(first, layer[to[e]]);
                        }
                    }
                    if (first != Integer.MAX_VALUE) {
                        layer[v] = first - 1;
                    }
                }
            }
            return layer;
        }

        // ------------------------------------------------------------------ ordering

        private void orderLayers(int[] realLayer) {
            int layers = 0;
            for (int l : layerOf) {
                layers = Math.max(layers, l + 1);
            }
            order = new ArrayList<>();
            for (int l = 0; l < layers; l++) {
                order.add(new ArrayList<>());
            }
            // Initial order: real nodes in topological order, then dummies in edge order.
            for (int v : topologicalOrder(g)) {
                order.get(realLayer[v]).add(v);
            }
            for (int v = n; v < layerOf.size(); v++) {
                order.get(layerOf.get(v)).add(v);
            }
            pos = new int[layerOf.size()];
            renumber();
            List<List<Integer>> best = copy(order);
            long bestCrossings = crossings();
            for (int sweep = 0; sweep < ORDER_SWEEPS && bestCrossings > 0; sweep++) {
                boolean downward = sweep % 2 == 0;
                if (downward) {
                    for (int l = 1; l < layers; l++) {
                        sortByBarycentre(l, up);
                    }
                } else {
                    for (int l = layers - 2; l >= 0; l--) {
                        sortByBarycentre(l, down);
                    }
                }
                transpose();
                long c = crossings();
                if (c < bestCrossings) {
                    bestCrossings = c;
                    best = copy(order);
                }
            }
            order = best;
            renumber();
        }

        private void sortByBarycentre(int l, List<List<int[]>> neighbours) {
            List<Integer> layer = order.get(l);
            double[] key = new double[layerOf.size()];
            for (int v : layer) {
                List<int[]> ns = neighbours.get(v);
                if (ns.isEmpty()) {
                    key[v] = pos[v];
                } else {
                    double s = 0;
                    for (int[] nb : ns) {
                        s += pos[nb[0]];
                    }
                    key[v] = s / ns.size();
                }
            }
            layer.sort(Comparator.<Integer>comparingDouble(v -> key[v]).thenComparingInt(v -> pos[v]));
            renumber(l);
        }

        /** Swaps adjacent nodes while a swap lowers the crossings with both neighbouring layers. */
        private void transpose() {
            boolean improved = true;
            for (int round = 0; improved && round < 8; round++) {
                improved = false;
                for (List<Integer> layer : order) {
                    for (int i = 0; i + 1 < layer.size(); i++) {
                        int a = layer.get(i);
                        int b = layer.get(i + 1);
                        if (pairCrossings(b, a) < pairCrossings(a, b)) {
                            layer.set(i, b);
                            layer.set(i + 1, a);
                            pos[a] = i + 1;
                            pos[b] = i;
                            improved = true;
                        }
                    }
                }
            }
        }

        /** Crossings between the edges of {@code a} and {@code b} when {@code a} is left of {@code b}. */
        private long pairCrossings(int a, int b) {
            long c = 0;
            for (List<List<int[]>> side : List.of(up, down)) {
                for (int[] na : side.get(a)) {
                    for (int[] nb : side.get(b)) {
                        if (pos[na[0]] > pos[nb[0]]) {
                            c++;
                        }
                    }
                }
            }
            return c;
        }

        private long crossings() {
            long c = 0;
            for (List<Integer> layer : order) {
                List<int[]> segs = new ArrayList<>();
                for (int a : layer) {
                    for (int[] nb : down.get(a)) {
                        segs.add(new int[] {pos[a], pos[nb[0]]});
                    }
                }
                for (int i = 0; i < segs.size(); i++) {
                    for (int j = i + 1; j < segs.size(); j++) {
                        long d = (long) (segs.get(i)[0] - segs.get(j)[0]) * (segs.get(i)[1] - segs.get(j)[1]);
                        if (d < 0) {
                            c++;
                        }
                    }
                }
            }
            return c;
        }

        private void renumber() {
            for (int l = 0; l < order.size(); l++) {
                renumber(l);
            }
        }

        private void renumber(int l) {
            List<Integer> layer = order.get(l);
            for (int i = 0; i < layer.size(); i++) {
                pos[layer.get(i)] = i;
            }
        }

        private static List<List<Integer>> copy(List<List<Integer>> o) {
            List<List<Integer>> c = new ArrayList<>();
            for (List<Integer> l : o) {
                c.add(new ArrayList<>(l));
            }
            return c;
        }

        // ------------------------------------------------------------------ coordinates

        private double gap(int a, int b) {
            double sep = a < n && b < n ? NODE_GAP : DUMMY_GAP;
            return widthOf.get(a) / 2 + sep + widthOf.get(b) / 2;
        }

        private void assignX() {
            x = new double[layerOf.size()];
            for (List<Integer> layer : order) {
                double cursor = 0;
                for (int i = 0; i < layer.size(); i++) {
                    if (i > 0) {
                        cursor += gap(layer.get(i - 1), layer.get(i));
                    }
                    x[layer.get(i)] = cursor;
                }
                double shift = cursor / 2;
                for (int v : layer) {
                    x[v] -= shift;
                }
            }
            int layers = order.size();
            for (int sweep = 0; sweep < POSITION_SWEEPS; sweep++) {
                if (sweep % 2 == 0) {
                    for (int l = 1; l < layers; l++) {
                        pull(order.get(l), List.of(up));
                    }
                } else {
                    for (int l = layers - 2; l >= 0; l--) {
                        pull(order.get(l), List.of(down));
                    }
                }
            }
            for (int l = 0; l < layers; l++) {
                pull(order.get(l), List.of(up, down));
            }
        }

        /** Moves a layer toward its neighbours' weighted mean x, keeping order and gaps. */
        private void pull(List<Integer> layer, List<List<List<int[]>>> sides) {
            int k = layer.size();
            double[] target = new double[k];
            double[] weight = new double[k];
            for (int i = 0; i < k; i++) {
                int v = layer.get(i);
                double s = 0;
                double w = 0;
                double plain = 0;
                int count = 0;
                for (List<List<int[]>> side : sides) {
                    for (int[] nb : side.get(v)) {
                        s += nb[1] * x[nb[0]];
                        w += nb[1];
                        plain += x[nb[0]];
                        count++;
                    }
                }
                // Weight-0 neighbours (sources seen from their consumer) count only when nothing else does.
                target[i] = w > 0 ? s / w : count > 0 ? plain / count : x[v];
                // ... and yields when it competes for a place with its consumer's other inputs.
                weight[i] = v < n && !hasIn[v] ? 0.05 : Math.max(w, 1);
            }
            double[] offset = new double[k];
            for (int i = 1; i < k; i++) {
                offset[i] = offset[i - 1] + gap(layer.get(i - 1), layer.get(i));
            }
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                y[i] = target[i] - offset[i];
            }
            double[] fitted = isotonic(y, weight);
            for (int i = 0; i < k; i++) {
                x[layer.get(i)] = fitted[i] + offset[i];
            }
        }

        // ------------------------------------------------------------------ output

        private Layout place() {
            int layers = order.size();
            double[] layerH = new double[layers];
            for (int v = 0; v < n; v++) {
                int l = layerOf.get(v);
                layerH[l] = Math.max(layerH[l], boxHeight(g.nodes().get(v)));
            }
            double[] top = new double[layers];
            double cursor = MARGIN;
            for (int l = 0; l < layers; l++) {
                top[l] = cursor;
                cursor += Math.max(layerH[l], LINE_H) + LAYER_GAP;
            }
            double height = cursor - LAYER_GAP + MARGIN;
            double minX = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < layerOf.size(); v++) {
                minX = Math.min(minX, x[v] - widthOf.get(v) / 2);
                maxX = Math.max(maxX, x[v] + widthOf.get(v) / 2);
            }
            double shift = MARGIN - minX;
            double width = maxX - minX + 2 * MARGIN;

            List<Box> boxes = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                ComputationGraph.Node node = g.nodes().get(v);
                int l = layerOf.get(v);
                double w = widthOf.get(v);
                double h = boxHeight(node);
                boxes.add(new Box(node, l, x[v] + shift - w / 2, top[l] + (layerH[l] - h) / 2, w, h));
            }
            double[] outX = ports(true);
            double[] inX = ports(false);
            List<Route> routes = new ArrayList<>();
            for (int e = 0; e < chains.size(); e++) {
                int[] chain = chains.get(e);
                Box src = boxes.get(chain[0]);
                Box dst = boxes.get(chain[chain.length - 1]);
                double[] pts = new double[4 * chain.length - 4];
                int p = 0;
                pts[p++] = outX[e] + shift;
                pts[p++] = src.y() + src.h();
                for (int k = 1; k + 1 < chain.length; k++) {
                    int d = chain[k];
                    int l = layerOf.get(d);
                    pts[p++] = x[d] + shift;
                    pts[p++] = top[l];
                    pts[p++] = x[d] + shift;
                    pts[p++] = top[l] + layerH[l];
                }
                pts[p++] = inX[e] + shift;
                pts[p] = dst.y();
                routes.add(new Route(g.edges().get(e), pts));
            }
            return new Layout(List.copyOf(boxes), List.copyOf(routes), width, height, layers);
        }

        /**
         * Per edge, the x where it leaves its source box (bottom) or enters its target box (top):
         * the edges of a box are spread over its middle in the order of their other ends, so they
         * do not cross at the box.
         */
        private double[] ports(boolean outgoing) {
            double[] port = new double[chains.size()];
            List<List<Integer>> edgesAt = new ArrayList<>();
            for (int v = 0; v < n; v++) {
                edgesAt.add(new ArrayList<>());
            }
            for (int e = 0; e < chains.size(); e++) {
                int[] chain = chains.get(e);
                edgesAt.get(outgoing ? chain[0] : chain[chain.length - 1]).add(e);
            }
            for (int v = 0; v < n; v++) {
                List<Integer> es = edgesAt.get(v);
                es.sort(Comparator.<Integer>comparingDouble(e -> x[otherEnd(e, outgoing)]).thenComparingInt(e -> e));
                double spacing = es.size() < 2 ? 0 : Math.min(10, 0.7 * widthOf.get(v) / (es.size() - 1));
                for (int i = 0; i < es.size(); i++) {
                    port[es.get(i)] = x[v] + (i - (es.size() - 1) / 2.0) * spacing;
                }
            }
            return port;
        }

        /** The virtual node next to the box at the given end of edge {@code e}. */
        private int otherEnd(int e, boolean outgoing) {
            int[] chain = chains.get(e);
            return outgoing ? chain[1] : chain[chain.length - 2];
        }
    }

    /**
     * Weighted least-squares non-decreasing fit of {@code y} (pool adjacent violators): the closest
     * sequence, in the weighted squared distance, that never decreases.
     */
    static double[] isotonic(double[] y, double[] w) {
        int k = y.length;
        double[] mean = new double[k];
        double[] weight = new double[k];
        int[] size = new int[k];
        int blocks = 0;
        for (int i = 0; i < k; i++) {
            mean[blocks] = y[i];
            weight[blocks] = w[i];
            size[blocks] = 1;
            blocks++;
            while (blocks > 1 && mean[blocks - 2] > mean[blocks - 1]) {
                double tw = weight[blocks - 2] + weight[blocks - 1];
                mean[blocks - 2] = (mean[blocks - 2] * weight[blocks - 2] + mean[blocks - 1] * weight[blocks - 1]) / tw;
                weight[blocks - 2] = tw;
                size[blocks - 2] += size[blocks - 1];
                blocks--;
            }
        }
        double[] out = new double[k];
        int i = 0;
        for (int b = 0; b < blocks; b++) {
            Arrays.fill(out, i, i + size[b], mean[b]);
            i += size[b];
        }
        return out;
    }
}
