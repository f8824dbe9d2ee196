package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.nn.Activation;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.FitOptions;
import vecgrad.nn.Flatten;
import vecgrad.nn.Loss;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Metric;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * The convnet's report: a small Keras-style convnet trained briefly on real MNIST digits, then its
 * network boxes, learned filters and feature maps, and its tape's graphs, checked against shapes and
 * values worked out here by hand or by a direct loop.
 */
final class ConvReportTest {

    @TempDir
    Path tmp;

    private static Sequential model;
    private static Tensor images;

    /** Conv2D(8, 3×3, relu) → MaxPooling2D(2) → Conv2D(16, 3×3, relu) → MaxPooling2D(2) → Flatten → Dropout(0.5) → Dense(10). */
    static synchronized Sequential trained() {
        if (model == null) {
            Dataset train;
            try {
                Mnist mnist = Mnist.load(Path.of("test-data", "mnist"));
                train = mnist.train().first(1024);
                images = mnist.test().first(16).images(Mnist.imageShape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Sequential m = new Sequential(Mnist.imageShape(), 3, new Conv2D(8, 3, Activation.RELU), new MaxPooling2D(2),
                    new Conv2D(16, 3, Activation.RELU), new MaxPooling2D(2), new Flatten(), new Dropout(0.5),
                    new Dense(10, Activation.SOFTMAX));
            m.compile(new Adam(2e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
            m.fit(train.images(Mnist.imageShape()), train.oneHot(10), FitOptions.defaults().epochs(1).batchSize(32)
                    .seed(5).verbose(0));
            model = m;
        }
        return model;
    }

    static ModelView view() {
        return ModelView.of(trained(), images, 4, 8);
    }

    @Test
    void of_describesEveryLayer() {
        ModelView v = view();
        assertThat(v.convolutional()).isTrue();
        assertThat(v.input()).containsExactly(28, 28, 1);
        // 28-3+1 = 26, /2 = 13, 13-3+1 = 11, /2 = 5 (floor), 5·5·16 = 400
        assertThat(v.layers()).extracting(ModelView.LayerView::shapeText)
                .containsExactly("26×26×8", "13×13×8", "11×11×16", "5×5×16", "400", "400", "10");
        assertThat(v.layers()).extracting(ModelView.LayerView::type)
                .containsExactly("Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dropout", "Dense");
        // 3·3·1·8 + 8, 3·3·8·16 + 16, 400·10 + 10
        assertThat(v.layers()).extracting(ModelView.LayerView::parameters).containsExactly(80L, 0L, 1168L, 0L, 0L, 0L, 4010L);
        assertThat(v.layers().get(0).detail()).isEqualTo("3×3 kernel, relu");
        assertThat(v.layers().get(1).detail()).isEqualTo("max 2×2");
        assertThat(v.layers().get(5).detail()).isEqualTo("rate 0.5");
    }

    @Test
    void network_oneBoxPerLayerWithShapesKernelsAndTheTotal() {
        var doc = SvgDocs.parse(Figures.network(view()));
        assertThat(SvgDocs.select(doc, "//g[starts-with(@class,'layer ')]")).hasSize(8);   // input + 7 layers
        assertThat(SvgDocs.select(doc, "//g[@class='layer conv']")).hasSize(2);
        assertThat(SvgDocs.select(doc, "//g[@class='layer pool']")).hasSize(2);
        assertThat(SvgDocs.select(doc, "//text[@class='shape']").stream().map(Element::getTextContent))
                .containsExactly("28×28×1", "26×26×8", "13×13×8", "11×11×16", "5×5×16", "400", "400", "10");
        assertThat(SvgDocs.texts(doc)).contains("conv2d", "conv2d_1", "max_pooling2d", "3×3 kernel, relu", "max 2×2",
                "1,168 params", "4,010 params", "5,258 trainable parameters");
    }

    @Test
    void filters_oneGreySquarePerWeightInKerasLayout() {
        ModelView.FilterBank f = view().filters();
        float[] raw = ((Conv2D) trained().layers().get(0)).kernel().data();
        assertThat(f.height()).isEqualTo(3);
        assertThat(f.count()).isEqualTo(8);
        var doc = SvgDocs.parse(Figures.filters(f));
        List<Element> filters = SvgDocs.select(doc, "//g[@class='filter']");
        assertThat(filters).hasSize(8);
        assertThat(SvgDocs.select(doc, "//rect[@class='weight']")).hasSize(8 * 9);
        // The largest |w| in the raw kernel (kh, kw, in=1, out=8): index = (r·3 + c)·8 + k. Its square, the
        // (r·3 + c)-th of filter k, is pure black (negative) or white (positive); the weight 0 would be mid-grey.
        int arg = 0;
        for (int i = 1; i < raw.length; i++) {
            if (Math.abs(raw[i]) > Math.abs(raw[arg])) {
                arg = i;
            }
        }
        int k = arg % 8;
        int cell = arg / 8;
        Element square = (Element) filters.get(k).getElementsByTagName("rect").item(cell);
        assertThat(square.getAttribute("fill")).isEqualTo(raw[arg] < 0 ? "#000000" : "#ffffff");
        assertThat(ConvFigures.grey(0f, 1f)).isEqualTo("#808080");
    }

    @Test
    void featureMaps_digitsTimesChannelsMatchingADirectConvolution() throws IOException {
        // 5 of the 8 channels, so that keeping the first channels of each pixel is tested.
        ModelView.FeatureMaps m = ModelView.of(trained(), images, 4, 5).featureMaps();
        assertThat(m.digits()).hasSize(4);
        assertThat(m.channels()).isEqualTo(5);
        assertThat(view().featureMaps().channels()).isEqualTo(8);
        assertThat(m.height()).isEqualTo(26);
        // The kept values are the first conv's relu outputs: a direct loop in double at a few places.
        Conv2D conv = (Conv2D) trained().layers().get(0);
        float[] kernel = conv.kernel().data();
        float[] bias = conv.bias().data();
        float[] px = images.data();
        for (int[] at : new int[][] {{0, 13, 13, 0}, {1, 10, 5, 3}, {3, 20, 14, 4}, {2, 0, 25, 2}}) {
            int d = at[0];
            int i = at[1];
            int j = at[2];
            int ch = at[3];
            double sum = bias[ch];
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    sum += (double) px[d * 784 + (i + r) * 28 + (j + c)] * kernel[(r * 3 + c) * 8 + ch];
                }
            }
            assertThat((double) m.maps().get(d)[(i * 26 + j) * 5 + ch]).isCloseTo(Math.max(0, sum), within(1e-5));
        }
        assertThat(m.digits().get(2)).containsExactly(java.util.Arrays.copyOfRange(px, 2 * 784, 3 * 784));

        var doc = SvgDocs.parse(Figures.featureMaps(m));
        assertThat(SvgDocs.select(doc, "//image[@class='digit']")).hasSize(4);
        List<Element> maps = SvgDocs.select(doc, "//image[@class='map']");
        assertThat(maps).hasSize(4 * 5);
        var png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                maps.get(0).getAttribute("xlink:href").substring("data:image/png;base64,".length()))));
        assertThat(png.getWidth()).isEqualTo(26);
        assertThat(png.getHeight()).isEqualTo(26);
    }

    @Test
    void of_rejectsImagesOfAnotherShape() {
        assertThatThrownBy(() -> ModelView.of(trained(), Tensor.zeros(4, 784), 4, 8))
                .hasMessageContaining("expected images of shape (n, 28, 28, 1), got (4, 784)");
        assertThatThrownBy(() -> ModelView.of(trained(), images, 0, 8)).hasMessageContaining("at least 1 digit");
        assertThatThrownBy(() -> ModelView.of(trained(), images, 17, 8)).hasMessageContaining("at least 17 images, got 16");
    }

    @Test
    void of_anMlpHasNoConvFiguresAndKeepsItsDiagram() throws IOException {
        Sequential mlp = new Sequential(784, 1, new Dense(16, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        ModelView v = ModelView.of(mlp, Tensor.zeros(4, 784), 4, 8);
        assertThat(v.convolutional()).isFalse();
        assertThat(v.filters()).isNull();
        ExperimentReport plain = SampleReports.report();
        List<Path> a = Report.writeAll(plain, tmp.resolve("a"));
        List<Path> b = Report.writeAll(plain.withModel(v), tmp.resolve("b"));
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(Files.readString(b.get(i))).as(a.get(i).getFileName().toString()).isEqualTo(Files.readString(a.get(i)));
        }
    }

    @Test
    void writeAll_convnetAddsFiltersAndFeatureMaps() throws IOException {
        ExperimentReport r = convnetReport();
        List<Path> written = Report.writeAll(r, tmp);
        assertThat(written).extracting(p -> p.getFileName().toString()).endsWith("filters.svg", "feature-maps.svg");
        String html = Files.readString(tmp.resolve("report.html"));
        for (String id : HtmlPage.CONVNET_FIGURE_IDS) {
            assertThat(html).contains("<figure id=\"" + id + "\">");
        }
        assertThat(html).contains("<title>MNIST convnet", "conv2d 26×26×8 → max_pooling2d 13×13×8");
        for (Path p : written) {
            if (p.toString().endsWith(".svg")) {
                SvgDocs.parse(Files.readString(p));
            }
        }
        // The forward graph of the real tape holds the convolutions and the pooling.
        assertThat(Files.readString(tmp.resolve("forward.dot"))).contains("label=\"conv2d\\n(3, 26, 26, 8)\"",
                "label=\"maxPool2d\\n(3, 13, 13, 8)\"", "label=\"conv2d\\n(3, 11, 11, 16)\"");
        assertThat(Files.readString(tmp.resolve("backward.svg"))).contains("∂L/∂conv2d/kernel", "(3, 3, 1, 8)");
    }

    /** The sample report's runs with this convnet's view and the graphs of one recorded step. */
    static ExperimentReport convnetReport() {
        Sequential m = trained();
        ExperimentReport s = SampleReports.report();
        Tensor x = Tensor.of(java.util.Arrays.copyOf(images.data(), 3 * 784), 3, 28, 28, 1);
        float[] y = new float[30];
        y[7] = y[12] = y[24] = 1;
        ComputationGraph[] graphs = new ComputationGraph[2];
        try (GradientTape tape = new GradientTape()) {
            Tensor probs = m.call(x, true);
            Tensor loss = Loss.categoricalCrossentropy().call(Tensor.of(y, 3, 10), probs);
            Map<Tensor, String> names = Map.of(x, "x", loss, "loss");
            graphs[0] = tape.forwardGraph(names);
            graphs[1] = tape.backwardGraph(loss, names);
        }
        return new ExperimentReport(s.config(), s.methods(), s.maxWeightDifference(), s.summary(), s.evaluatedMethod(),
                s.confusion(), s.misclassified(), graphs[0], graphs[1], ModelView.of(m, images, 4, 8));
    }
}
