package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

final class ChartsTest {

    @Test
    void curves_onePolylinePerMethodAndSeries() {
        var doc = SvgDocs.parse(Figures.curves(SampleReports.methods()));
        List<Element> lines = SvgDocs.select(doc, "//polyline[contains(@class,'series')]");
        assertThat(lines).hasSize(3 * 4); // 3 methods × {loss, val loss, accuracy, val accuracy}
        assertThat(lines).extracting(e -> e.getElementsByTagName("title").item(0).getTextContent())
                .contains("tape, train loss", "fit, validation loss", "manual, validation accuracy");
        for (Element line : lines) {
            assertThat(line.getAttribute("points").split(" ")).hasSize(5);
        }
        assertThat(SvgDocs.texts(doc)).contains("loss", "accuracy", "epoch", "tape", "fit", "manual", "training");
    }

    @Test
    void curves_decreasingLossIsDrawnGoingDown() {
        var doc = SvgDocs.parse(Figures.curves(SampleReports.methods()));
        Element tapeLoss = SvgDocs.select(doc, "//polyline[title='tape, train loss']").get(0);
        double[] ys = Arrays.stream(tapeLoss.getAttribute("points").split(" "))
                .mapToDouble(p -> Double.parseDouble(p.split(",")[1])).toArray();
        for (int i = 1; i < ys.length; i++) {
            assertThat(ys[i]).as("SVG y grows downward").isGreaterThan(ys[i - 1]);
        }
    }

    @Test
    void curves_skipMissingValidationAndDrawTheFirstSeedOnly() {
        List<EpochStats> h = List.of(new EpochStats(1, 0.5, 0.8, Double.NaN, Double.NaN, 1),
                new EpochStats(2, 0.3, 0.9, Double.NaN, Double.NaN, 1));
        var runs = List.of(new MethodResult("tape", 1, 0.9, 0.3, Double.NaN, 2, 100, h),
                new MethodResult("tape", 2, 0.9, 0.3, Double.NaN, 2, 100, h));
        var doc = SvgDocs.parse(Figures.curves(runs));
        assertThat(SvgDocs.select(doc, "//polyline[contains(@class,'series')]")).hasSize(2); // train loss, train accuracy
    }

    @Test
    void curves_rejectNoRuns() {
        assertThatThrownBy(() -> Figures.curves(List.of())).hasMessageContaining("at least one run");
    }

    @Test
    void confusion_hundredCellsWithCountsAndRecall() {
        var cm = SampleReports.confusion();
        var doc = SvgDocs.parse(Figures.confusion(cm));
        List<Element> cells = SvgDocs.select(doc, "//rect[@class='cell']");
        assertThat(cells).hasSize(100);
        assertThat(cells.get(0).getTextContent().strip()).isEqualTo("true 0, predicted 0: " + cm.count(0, 0));
        assertThat(cells.get(13).getTextContent().strip()).isEqualTo("true 1, predicted 3: " + cm.count(1, 3));
        List<String> texts = SvgDocs.texts(doc);
        assertThat(texts).contains("true label", "predicted label", Integer.toString(cm.count(1, 1)), "count");
        // recall of digit 1: count(1,1) / 1135, written by hand from the sample's TEST_COUNTS
        assertThat(texts).contains(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * cm.count(1, 1) / 1135));
    }

    @Test
    void confusion_darkerForLargerCounts() {
        int[][] c = new int[10][10];
        c[0][0] = 1000;
        c[0][1] = 10;
        var doc = SvgDocs.parse(Figures.confusion(ConfusionMatrix.of(c)));
        List<Element> cells = SvgDocs.select(doc, "//rect[@class='cell']");
        assertThat(brightness(cells.get(0).getAttribute("fill"))).isLessThan(brightness(cells.get(1).getAttribute("fill")));
        assertThat(brightness(cells.get(1).getAttribute("fill"))).isLessThan(brightness(cells.get(2).getAttribute("fill")));
        assertThat(cells.get(2).getAttribute("fill")).isEqualTo("#f7fbff"); // zero: the lightest colour
    }

    private static int brightness(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        return (rgb >> 16) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
    }

    @Test
    void misclassified_oneImagePerDigitWithCaption() throws Exception {
        var digits = SampleReports.misclassified(12);
        var doc = SvgDocs.parse(Figures.misclassified(digits));
        List<Element> images = SvgDocs.select(doc, "//image");
        assertThat(images).hasSize(12);
        List<String> texts = SvgDocs.texts(doc);
        for (Misclassified d : digits) {
            assertThat(texts).contains("true " + d.trueLabel() + " / pred " + d.predictedLabel());
        }
        // The PNG holds the digit's pixels: ink 1 is black (0), ink 0 white (255).
        String href = images.get(0).getAttribute("xlink:href");
        assertThat(href).startsWith("data:image/png;base64,");
        var img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(href.substring(href.indexOf(',') + 1))));
        assertThat(img.getWidth()).isEqualTo(28);
        float[] px = digits.get(0).pixels();
        for (int i = 0; i < 784; i++) {
            int grey = img.getRaster().getSample(i % 28, i / 28, 0);
            assertThat(grey).as("pixel " + i).isCloseTo(Math.round(255 * (1 - px[i])), org.assertj.core.data.Offset.offset(0));
        }
    }

    @Test
    void misclassified_emptyListGivesANote() {
        var doc = SvgDocs.parse(Figures.misclassified(List.of()));
        assertThat(SvgDocs.texts(doc)).containsExactly("no misclassified digits");
    }

    @Test
    void network_drawsSampledUnitsCountsAndActivations() {
        var doc = SvgDocs.parse(Figures.network(List.of(784, 256, 128, 64, 10)));
        // 8 drawn units (6 + 2 around "⋮") per wide layer, all 10 outputs
        assertThat(SvgDocs.select(doc, "//circle[@class='unit']")).hasSize(4 * 8 + 10);
        assertThat(SvgDocs.select(doc, "//g[contains(@class,'connections')]/line")).hasSize(8 * 8 * 3 + 8 * 10);
        List<String> texts = SvgDocs.texts(doc);
        assertThat(texts).contains("784 units", "256 units", "128 units", "64 units", "10 units", "softmax", "⋮", "x784",
                "P(9)", "W[1] 784×256, b[1] 256", "200,960 parameters");
        assertThat(texts.stream().filter("ReLU"::equals)).hasSize(3);
        // 784·256+256 + 256·128+128 + 128·64+64 + 64·10+10
        assertThat(texts).contains("784-256-128-64-10: 242,762 trainable parameters");
    }

    @Test
    void network_rejectsBadSizes() {
        assertThatThrownBy(() -> Figures.network(List.of(784))).hasMessageContaining("at least an input and an output");
        assertThatThrownBy(() -> Figures.network(List.of(784, 0, 10))).hasMessageContaining("positive layer widths");
        List<Integer> withNull = new ArrayList<>(List.of(784, 10));
        withNull.add(1, null);
        assertThatThrownBy(() -> Figures.network(withNull)).hasMessageContaining("positive layer widths");
    }

    @Test
    void graph_rejectsABadIdPrefix() {
        assertThatThrownBy(() -> Figures.graph(SampleReports.forward(), "t", "a b"))
                .hasMessageContaining("id prefix");
    }
}
