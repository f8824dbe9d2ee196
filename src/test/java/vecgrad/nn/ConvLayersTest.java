package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.autodiff.GradientCheck;
import vecgrad.autodiff.Padding;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Conv2D, the pooling layers, Flatten and Reshape as layers: shapes and Keras names from the input
 * shape, Keras' initializer fans, gradients against finite differences (Conv2D against a direct
 * double-precision loop), refusals at build time naming the layer and both shapes, and whole-model
 * save and load.
 */
final class ConvLayersTest {

    private static Tensor uniform(long seed, int... shape) {
        return Tensor.randomUniform(new Random(seed), -1f, 1f, shape);
    }

    // ---------------------------------------------------------------- shapes and names

    @Test
    void sequential_buildsShapesAndKerasNames() {
        Sequential m = new Sequential(new int[] {11, 13, 3}, 5,
                new Conv2D(4, new int[] {3, 3}, new int[] {2, 2}, Padding.SAME, new int[] {1, 1}, true,
                        Activation.RELU, Initializer.glorotUniform(), Initializer.zeros()),
                new MaxPooling2D(),
                new Conv2D(6, 2),
                new AveragePooling2D(new int[] {2, 2}, new int[] {1, 1}, Padding.SAME),
                new Flatten(),
                new Dense(5),
                new Reshape(5, 1, 1),
                new GlobalAveragePooling2D());
        assertThat(m.layers()).extracting(Layer::name).containsExactly("conv2d", "max_pooling2d", "conv2d_1",
                "average_pooling2d", "flatten", "dense", "reshape", "global_average_pooling2d");
        // 11x13 same/2 -> 6x7; pool 2 valid -> 3x3; conv 2x2 valid -> 2x2; avg same/1 -> 2x2; flatten 24
        assertThat(m.layers()).extracting(l -> Tensor.shapeString(l.outputShape())).containsExactly("(6, 7, 4)",
                "(3, 3, 4)", "(2, 2, 6)", "(2, 2, 6)", "(24)", "(5)", "(5, 1, 1)", "(1)");
        assertThat(m.variables()).extracting(Variable::name).containsExactly("conv2d/kernel", "conv2d/bias",
                "conv2d_1/kernel", "conv2d_1/bias", "dense/kernel", "dense/bias");
        assertThat(m.variables().get(0).shape()).containsExactly(3, 3, 3, 4);
        assertThat(m.variables().get(2).shape()).containsExactly(2, 2, 4, 6);
        assertThat(m.predict(uniform(1, 2, 11, 13, 3)).shape()).containsExactly(2, 1);
    }

    /**
     * Keras' glorot_uniform on a kernel (kh, kw, in, out): limit sqrt(6 / (fan_in + fan_out)) with
     * fan_in = kh·kw·in and fan_out = kh·kw·out (keras/src/initializers/random_initializers.py).
     */
    @Test
    void conv2d_kernelDrawnWithKerasFans() {
        Sequential m = new Sequential(new int[] {8, 8, 3}, 9, new Conv2D(16, 5));
        float[] k = m.variables().get(0).data();
        double limit = Math.sqrt(6.0 / (5 * 5 * 3 + 5 * 5 * 16));
        float max = 0;
        for (float v : k) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat((double) max).isLessThanOrEqualTo(limit).isGreaterThan(0.98 * limit);
        assertThat(m.variables().get(1).data()).containsOnly(0f);
    }

    // ---------------------------------------------------------------- gradients

    /** Conv2D (same, stride 2, bias, tanh) against a direct loop in double, with respect to x, kernel and bias. */
    @Test
    void conv2d_layerGradientsAgainstDoubleReference() {
        for (int[] ks : new int[][] {{3, 3}, {5, 5}}) {
            for (Padding padding : Padding.values()) {
                Conv2D conv = new Conv2D(4, ks, new int[] {2, 2}, padding, new int[] {1, 1}, true, Activation.TANH,
                        Initializer.glorotUniform(), Initializer.glorotUniform());
                new Sequential(new int[] {11, 13, 3}, 3, conv);
                Tensor x = uniform(7, 3, 11, 13, 3);
                GradientCheck.check(in -> conv.call(in.get(0), true),
                        in -> tanh(conv2dRef(in[0], in[1], in[2], 3, 11, 13, 3, ks[0], ks[1], 4, 2, padding)),
                        List.of(x, conv.kernel(), conv.bias())).assertPassed();
            }
        }
        // dilation 2, stride 1
        Conv2D dilated = new Conv2D(2, new int[] {3, 3}, new int[] {1, 1}, Padding.SAME, new int[] {2, 2}, true,
                Activation.LINEAR, Initializer.glorotUniform(), Initializer.glorotUniform());
        new Sequential(new int[] {11, 13, 3}, 3, dilated);
        GradientCheck.check(in -> dilated.call(in.get(0), true), List.of(uniform(8, 3, 11, 13, 3), dilated.kernel(),
                dilated.bias())).assertPassed();
    }

    /**
     * Every other layer with respect to its input, in float32 differences (its op is checked in double
     * on 11×13×3 images in ConvOpsTest). Small images here: the 90 input values are spread 0.022 apart,
     * more than two float32 steps, so no window's maximum changes within a difference.
     */
    @Test
    void poolingFlattenReshape_layerGradients() {
        List<Layer> layers = List.of(new MaxPooling2D(new int[] {3, 3}, new int[] {2, 2}, Padding.SAME),
                new AveragePooling2D(new int[] {3, 2}, new int[] {2, 3}, Padding.SAME), new AveragePooling2D(),
                new GlobalAveragePooling2D(), new Flatten(), new Reshape(5, -1));
        for (Layer layer : layers) {
            new Sequential(new int[] {3, 5, 2}, 3, layer);
            Tensor x = distinctValues(3 * 3 * 5 * 2).reshape(3, 3, 5, 2);
            GradientCheck.check(in -> Ops2.squareOf(layer.call(in.get(0), true)), List.of(x))
                    .assertPassed();
        }
    }

    /** A shuffled ramp in [-1, 1): no two values within a finite-difference step, so max pooling is smooth there. */
    private static Tensor distinctValues(int n) {
        float[] d = new float[n];
        Random r = new Random(3);
        for (int i = 0; i < n; i++) {
            d[i] = -1f + 2f * i / n;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        }
        return Tensor.wrap(d, n);
    }

    /** {@code y²}: a non-linear read-out, so the check sees each output's gradient at its own weight. */
    private static final class Ops2 {
        static Tensor squareOf(Tensor y) {
            return vecgrad.autodiff.Ops.square(y);
        }
    }

    static double[] tanh(double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.tanh(y[i]);
        }
        return y;
    }

    /** Direct convolution plus bias, stride s both ways, TF's padding, in double. */
    static double[] conv2dRef(double[] x, double[] k, double[] bias, int n, int h, int w, int c, int kh, int kw, int f,
                              int s, Padding padding) {
        boolean same = padding == Padding.SAME;
        int oh = same ? (h + s - 1) / s : (h - kh) / s + 1;
        int ow = same ? (w + s - 1) / s : (w - kw) / s + 1;
        int top = same ? Math.max((oh - 1) * s + kh - h, 0) / 2 : 0;
        int left = same ? Math.max((ow - 1) * s + kw - w, 0) / 2 : 0;
        double[] y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < f; o++) {
                        double acc = bias[o];
                        for (int p = 0; p < kh; p++) {
                            for (int q = 0; q < kw; q++) {
                                int hi = i * s - top + p;
                                int wi = j * s - left + q;
                                if (hi >= 0 && hi < h && wi >= 0 && wi < w) {
                                    for (int ch = 0; ch < c; ch++) {
                                        acc += x[((b * h + hi) * w + wi) * c + ch] * k[((p * kw + q) * c + ch) * f + o];
                                    }
                                }
                            }
                        }
                        y[((b * oh + i) * ow + j) * f + o] = acc;
                    }
                }
            }
        }
        return y;
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void build_refusesWhatDoesNotFit_namingTheLayerAndBothShapes() {
        assertThatThrownBy(() -> new Sequential(new int[] {4, 4, 1}, 1, new Conv2D(2, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conv2d").hasMessageContaining("(5, 5, 1, 2)").hasMessageContaining("(batch, 4, 4, 1)")
                .hasMessageContaining("valid");
        assertThatThrownBy(() -> new Sequential(784, 1, new Conv2D(2, 3)))
                .hasMessageContaining("Conv2D conv2d").hasMessageContaining("(batch, 784)").hasMessageContaining("Reshape");
        assertThatThrownBy(() -> new Sequential(new int[] {4, 4, 1}, 1, new MaxPooling2D(5)))
                .hasMessageContaining("max_pooling2d").hasMessageContaining("5x5").hasMessageContaining("(batch, 4, 4, 1)");
        assertThatThrownBy(() -> new Sequential(10, 1, new Flatten()))
                .hasMessageContaining("Flatten flatten").hasMessageContaining("(batch, 10)");
        assertThatThrownBy(() -> new Sequential(new int[] {4, 4, 1}, 1, new Reshape(5, -1)))
                .hasMessageContaining("reshape").hasMessageContaining("(batch, 4, 4, 1)").hasMessageContaining("(batch, 5, -1)");
        assertThatThrownBy(() -> new Sequential(new int[] {6, 6, 2}, 1, new Conv2D(2, 3), new Dense(3)))
                .hasMessageContaining("flatten");
        assertThatThrownBy(() -> new Conv2D(2, new int[] {3, 3}, new int[] {0, 1}, Padding.VALID, new int[] {1, 1}, true,
                Activation.LINEAR, Initializer.glorotUniform(), Initializer.zeros()))
                .hasMessageContaining("strides").hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> new Conv2D(2, new int[] {3, 3}, new int[] {2, 2}, Padding.VALID, new int[] {2, 2}, true,
                Activation.LINEAR, Initializer.glorotUniform(), Initializer.zeros()))
                .hasMessageContaining("dilationRate");
        assertThatThrownBy(() -> new Conv2D(0, 3)).hasMessageContaining("filters must be >= 1, got 0");
        assertThatThrownBy(() -> new MaxPooling2D(new int[] {2, 2}, new int[] {-2, 2}, Padding.SAME))
                .hasMessageContaining("strides");
        assertThatThrownBy(() -> new Reshape(-1, -1)).hasMessageContaining("(-1, -1)");
    }

    @Test
    void call_refusesAnotherChannelCount_namingBothShapes() {
        Sequential m = new Sequential(new int[] {6, 6, 3}, 1, new Conv2D(2, 3));
        Layer conv = m.layers().get(0);
        assertThatThrownBy(() -> conv.call(Tensor.zeros(2, 6, 6, 1), false))
                .hasMessageContaining("(batch, 6, 6, 3)").hasMessageContaining("(2, 6, 6, 1)");
        assertThatThrownBy(() -> m.predict(Tensor.zeros(2, 36)))
                .hasMessageContaining("(2, 36)");
    }

    // ---------------------------------------------------------------- save and load

    @Test
    void saveThenLoad_convnetPredictsBitIdenticallyWithTheSameConfigs(@TempDir Path dir) throws IOException {
        Sequential m = new Sequential(new int[] {12, 10, 2}, 4,
                new Conv2D(3, new int[] {3, 2}, new int[] {2, 1}, Padding.SAME, new int[] {1, 1}, true,
                        Activation.RELU, Initializer.glorotUniform(), Initializer.zeros()),
                new Conv2D(4, new int[] {3, 3}, new int[] {1, 1}, Padding.VALID, new int[] {2, 2}, false,
                        Activation.TANH, Initializer.heNormal(), Initializer.zeros()),
                new AveragePooling2D(new int[] {2, 2}, new int[] {1, 1}, Padding.SAME),
                new MaxPooling2D(new int[] {2, 2}, null, Padding.SAME),
                new Flatten(), new Dense(6), new Reshape(3, 2, 1), new GlobalAveragePooling2D(), new Dense(2,
                        Activation.SOFTMAX));
        Path file = dir.resolve("cnn.safetensors");
        m.save(file);
        Sequential back = Sequential.load(file);
        assertThat(back.layers()).extracting(Layer::className).containsExactly("Conv2D", "Conv2D", "AveragePooling2D",
                "MaxPooling2D", "Flatten", "Dense", "Reshape", "GlobalAveragePooling2D", "Dense");
        for (int i = 0; i < m.layers().size(); i++) {
            assertThat(back.layers().get(i).config()).isEqualTo(m.layers().get(i).config());
        }
        assertThat(m.layers().get(0).config()).containsEntry("kernel_size", List.of(3, 2))
                .containsEntry("strides", List.of(2, 1)).containsEntry("padding", "same")
                .containsEntry("data_format", "channels_last");
        assertThat(((Conv2D) back.layers().get(1)).bias()).isNull();
        Tensor x = uniform(12, 5, 12, 10, 2);
        assertThat(back.predict(x).data()).isEqualTo(m.predict(x).data());
    }
}
