package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.ComputationGraph.Kind;

final class GraphLayoutTest {

    /** A random DAG: each node reads one to three earlier nodes. */
    static ComputationGraph randomDag(int n, long seed) {
        Random rng = new Random(seed);
        TestGraph b = TestGraph.builder();
        for (int i = 0; i < n; i++) {
            Kind kind = i < 4 ? Kind.CONSTANT : List.of(Kind.OP, Kind.RULE, Kind.GRADIENT).get(rng.nextInt(3));
            b.node("n" + i, kind, "node " + i, "x".repeat(1 + rng.nextInt(14)));
            if (i >= 4) {
                int reads = 1 + rng.nextInt(3);
                for (int k = 0; k < reads; k++) {
                    b.edge("n" + rng.nextInt(i), "n" + i);
                }
            }
        }
        return b.build();
    }

    static List<ComputationGraph> graphs() {
        return List.of(SampleReports.forward(), SampleReports.backward(), randomDag(60, 1), randomDag(45, 2));
    }

    /** The boxes of a graph whose nodes each concern a different named tensor, by tensor name. */
    private static Map<String, GraphLayout.Box> boxesByTensor(ComputationGraph g) {
        return GraphLayout.of(g).boxes().stream().collect(Collectors.toMap(b -> b.node().tensor(), Function.identity()));
    }

    private static Map<String, GraphLayout.Box> boxesById(GraphLayout.Layout layout) {
        return layout.boxes().stream().collect(Collectors.toMap(b -> b.node().id(), Function.identity()));
    }

    @Test
    void of_everyEdgeGoesFromALowerToAHigherLayer() {
        for (ComputationGraph g : graphs()) {
            GraphLayout.Layout layout = GraphLayout.of(g);
            var boxes = boxesById(layout);
            assertThat(layout.routes()).hasSameSizeAs(g.edges());
            for (GraphLayout.Route r : layout.routes()) {
                GraphLayout.Box from = boxes.get(r.edge().from());
                GraphLayout.Box to = boxes.get(r.edge().to());
                assertThat(from.layer()).as(r.edge().toString()).isLessThan(to.layer());
                double[] p = r.points();
                assertThat(p[1]).isEqualTo(from.y() + from.h());
                assertThat(p[p.length - 1]).isEqualTo(to.y());
                for (int i = 3; i < p.length; i += 2) {
                    assertThat(p[i]).as("route goes downward").isGreaterThanOrEqualTo(p[i - 2]);
                }
            }
        }
    }

    @Test
    void of_boxesDoNotOverlapAndStayInside() {
        for (ComputationGraph g : graphs()) {
            GraphLayout.Layout layout = GraphLayout.of(g);
            List<GraphLayout.Box> boxes = layout.boxes();
            assertThat(boxes).hasSameSizeAs(g.nodes());
            for (int i = 0; i < boxes.size(); i++) {
                GraphLayout.Box a = boxes.get(i);
                assertThat(a.x()).isGreaterThanOrEqualTo(0);
                assertThat(a.y()).isGreaterThanOrEqualTo(0);
                assertThat(a.x() + a.w()).isLessThanOrEqualTo(layout.width());
                assertThat(a.y() + a.h()).isLessThanOrEqualTo(layout.height());
                for (int j = i + 1; j < boxes.size(); j++) {
                    assertThat(a.overlaps(boxes.get(j))).as(a.node().id() + " and " + boxes.get(j).node().id()).isFalse();
                }
            }
        }
    }

    @Test
    void of_boxesFitTheirLongestLine() {
        ComputationGraph g = TestGraph.builder().node("a", Kind.OP, "short", "a much longer second line").build();
        GraphLayout.Box box = GraphLayout.of(g).boxes().get(0);
        assertThat(box.w()).isGreaterThanOrEqualTo("a much longer second line".length() * GraphLayout.CHAR_W);
        assertThat(box.h()).isGreaterThanOrEqualTo(2 * GraphLayout.LINE_H);
    }

    @Test
    void of_sourcesSitJustAboveTheirFirstConsumer() {
        ComputationGraph g = SampleReports.forward();
        var byTensor = boxesByTensor(g);
        assertThat(byTensor.get("W4").layer()).isEqualTo(byTensor.get("mm4").layer() - 1);
        assertThat(byTensor.get("b4").layer()).isEqualTo(byTensor.get("z4").layer() - 1);
        assertThat(byTensor.get("y").layer()).isEqualTo(byTensor.get("loss").layer() - 1);
        assertThat(byTensor.get("x").layer()).isZero();
    }

    @Test
    void of_forwardSpineIsStraight() {
        // The chain x -> matmul -> add -> relu -> ... is what the eye follows: its boxes share a column.
        var boxes = boxesByTensor(SampleReports.forward());
        double centre = boxes.get("z1").cx();
        for (String id : List.of("a1", "mm2", "z2", "a2", "mm3", "z3", "a3", "mm4", "z4")) {
            assertThat(boxes.get(id).cx()).as(id).isCloseTo(centre, within(12.0));
        }
    }

    @Test
    void of_removesAvoidableCrossings() {
        // Listed so that the first order crosses: a -> d, b -> c with c listed before d.
        ComputationGraph g = TestGraph.builder().node("a", Kind.CONSTANT, "a").node("b", Kind.CONSTANT, "b")
                .node("c", Kind.OP, "c").node("d", Kind.OP, "d").edge("a", "d").edge("b", "c").build();
        var boxes = boxesById(GraphLayout.of(g));
        assertThat(Math.signum(boxes.get("a").cx() - boxes.get("b").cx()))
                .isEqualTo(Math.signum(boxes.get("d").cx() - boxes.get("c").cx()));
    }

    @Test
    void of_isDeterministic() {
        ComputationGraph g = SampleReports.backward();
        GraphLayout.Layout a = GraphLayout.of(g);
        GraphLayout.Layout b = GraphLayout.of(g);
        assertThat(b.boxes()).isEqualTo(a.boxes());
        for (int i = 0; i < a.routes().size(); i++) {
            assertThat(Arrays.equals(a.routes().get(i).points(), b.routes().get(i).points())).isTrue();
        }
    }

    @Test
    void of_handlesParallelEdgesAndIsolatedNodes() {
        ComputationGraph g = TestGraph.builder().node("x", Kind.CONSTANT, "x").node("sq", Kind.OP, "mul")
                .node("alone", Kind.PARAMETER, "alone").edge("x", "sq", "lhs").edge("x", "sq", "rhs").build();
        GraphLayout.Layout layout = GraphLayout.of(g);
        assertThat(layout.routes()).hasSize(2);
        assertThat(layout.routes().get(0).points()[0]).isNotEqualTo(layout.routes().get(1).points()[0]);
        var doc = SvgDocs.parse(Figures.graph(g, "t", "p-"));
        assertThat(SvgDocs.texts(doc)).contains("lhs", "rhs", "alone");
    }

    @Test
    void isotonic_poolsAdjacentViolators() {
        assertThat(GraphLayout.isotonic(new double[] {1, 3, 2, 4}, new double[] {1, 1, 1, 1}))
                .containsExactly(1, 2.5, 2.5, 4);
        // weighted: (3·1 + 1·3) / 4
        assertThat(GraphLayout.isotonic(new double[] {3, 1}, new double[] {1, 3})).containsExactly(1.5, 1.5);
        assertThat(GraphLayout.isotonic(new double[] {5, 4, 3}, new double[] {1, 1, 1})).containsExactly(4, 4, 4);
    }

    @Test
    void svg_oneBoxPerNodeOnePathPerEdgeColouredByKind() {
        ComputationGraph g = SampleReports.backward();
        var doc = SvgDocs.parse(Figures.graph(g, "Backward", "b-"));
        assertThat(SvgDocs.select(doc, "//g[starts-with(@class,'node ')]")).hasSize(g.nodes().size());
        assertThat(SvgDocs.select(doc, "//path[@class='edge']")).hasSize(g.edges().size());
        assertThat(SvgDocs.select(doc, "//g[@class='node gradient']/rect").get(0).getAttribute("fill"))
                .isEqualTo(Palette.fill(NodeRole.GRADIENT));
        assertThat(SvgDocs.select(doc, "//marker").stream().map(e -> e.getAttribute("id")))
                .allMatch(id -> id.startsWith("b-"));
        assertThat(SvgDocs.select(doc, "//path[@class='edge']").get(0).getAttribute("marker-end")).startsWith("url(#b-");
    }

    @Test
    void svg_escapesLabels() {
        ComputationGraph g = TestGraph.builder().node("a<&\"", Kind.OP, "x < y && \"z\"", "∂L/∂W ᵀ")
                .node("b", Kind.SEED, "loss").edge("a<&\"", "b", "<edge & \"label\">").build();
        String svg = Figures.graph(g, "title <&\">", "e-");
        var doc = SvgDocs.parse(svg);
        assertThat(SvgDocs.texts(doc)).contains("x < y && \"z\"", "∂L/∂W ᵀ", "<edge & \"label\">", "title <&\">");
        assertThat(SvgDocs.select(doc, "//g[@class='node op']/title").get(0).getTextContent()).isEqualTo("a<&\"");
    }

    @Test
    void svg_readableWidthForTheBackwardGraph() {
        // About 40 nodes: the drawing must stay within a page-and-a-half of width so it is legible in report.html.
        var doc = SvgDocs.parse(Figures.graph(SampleReports.backward(), "Backward", "b-"));
        double width = Double.parseDouble(doc.getDocumentElement().getAttribute("width"));
        assertThat(width).isLessThan(1400);
        List<ComputationGraph> big = new ArrayList<>(List.of(randomDag(60, 3)));
        assertThat(GraphLayout.of(big.get(0)).width()).isLessThan(4000);
    }
}
