package vecgrad.app.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import vecgrad.nn.AveragePooling2D;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.Layer;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

/**
 * What the report draws of a trained model beyond its results: each layer as a box (the network
 * diagram of a convnet), the first convolution's learned filters, and that layer's feature maps for
 * a few test digits. Plain data, taken from a {@link Sequential} by {@link #of}.
 *
 * @param input       the input shape without the batch axis, e.g. {@code [28, 28, 1]}
 * @param layers      the layers in order, at least one
 * @param filters     the first Conv2D layer's kernels, or {@code null} if the model has none
 * @param featureMaps that layer's outputs for a few digits, or {@code null} if the model has no Conv2D
 *                    layer or no digits were given
 */
public record ModelView(List<Integer> input, List<LayerView> layers, FilterBank filters, FeatureMaps featureMaps) {

    /**
     * Checks every field; the lists are copied.
     *
     * @param input       the input shape, every size positive
     * @param layers      the layers, at least one
     * @param filters     the first convolution's kernels, or {@code null}
     * @param featureMaps its feature maps, or {@code null}
     * @throws IllegalArgumentException if the input shape is empty or not positive, or there are no layers
     */
    public ModelView {
        input = List.copyOf(Objects.requireNonNull(input, "input"));
        if (input.isEmpty() || input.stream().anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("expected a non-empty input shape of positive sizes, got " + input);
        }
        layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("expected at least one layer, got none");
        }
    }

    /** {@return true if a layer is a convolution, so the report draws the convnet figures} */
    public boolean convolutional() {
        return layers.stream().anyMatch(l -> l.type().equals("Conv2D"));
    }

    /**
     * One layer as the diagram shows it.
     *
     * @param name        the layer's name, e.g. {@code conv2d}
     * @param type        its class name, e.g. {@code Conv2D}
     * @param outputShape its output shape without the batch axis
     * @param detail      what else the box says (kernel and activation, pool size, dropout rate), or {@code ""}
     * @param parameters  its number of weights
     */
    public record LayerView(String name, String type, List<Integer> outputShape, String detail, long parameters) {

        /**
         * Checks every field.
         *
         * @param name        the layer's name, non-blank
         * @param type        its class name, non-blank
         * @param outputShape its output shape, non-empty
         * @param detail      the extra text, or {@code ""}
         * @param parameters  its number of weights, not negative
         * @throws IllegalArgumentException if a name is blank, the shape empty or the count negative
         */
        public LayerView {
            Checks.name("layer name", name);
            Checks.name("layer type", type);
            outputShape = List.copyOf(Objects.requireNonNull(outputShape, "outputShape"));
            if (outputShape.isEmpty()) {
                throw new IllegalArgumentException("expected an output shape for layer '" + name + "', got none");
            }
            Objects.requireNonNull(detail, "detail");
            if (parameters < 0) {
                throw new IllegalArgumentException("expected a parameter count >= 0 for layer '" + name + "', got "
                        + parameters);
            }
        }

        /** {@return the output shape as the diagram writes it, e.g. {@code 26×26×32}} */
        public String shapeText() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < outputShape.size(); i++) {
                sb.append(i == 0 ? "" : "×").append(outputShape.get(i));
            }
            return sb.toString();
        }
    }

    /**
     * A convolution's kernels, stored as Keras stores them: {@code (height, width, inChannels, count)}.
     *
     * @param layer      the layer's name
     * @param height     kernel height
     * @param width      kernel width
     * @param inChannels input channels
     * @param count      number of filters
     * @param kernel     {@code height * width * inChannels * count} weights in that layout
     */
    public record FilterBank(String layer, int height, int width, int inChannels, int count, float[] kernel) {

        /**
         * Checks the sizes; the array is copied.
         *
         * @param layer      the layer's name, non-blank
         * @param height     kernel height, positive
         * @param width      kernel width, positive
         * @param inChannels input channels, positive
         * @param count      number of filters, positive
         * @param kernel     the weights, {@code height * width * inChannels * count} of them
         * @throws IllegalArgumentException if a size is not positive or the array has another length
         */
        public FilterBank {
            Checks.name("layer name", layer);
            if (height <= 0 || width <= 0 || inChannels <= 0 || count <= 0) {
                throw new IllegalArgumentException("expected positive kernel sizes, got (" + height + ", " + width + ", "
                        + inChannels + ", " + count + ")");
            }
            kernel = Objects.requireNonNull(kernel, "kernel").clone();
            if (kernel.length != height * width * inChannels * count) {
                throw new IllegalArgumentException("expected " + height * width * inChannels * count + " kernel weights for ("
                        + height + ", " + width + ", " + inChannels + ", " + count + "), got " + kernel.length);
            }
        }

        /**
         * One weight.
         *
         * @param r      row in the kernel
         * @param c      column in the kernel
         * @param in     input channel
         * @param filter filter index
         * @return the weight at {@code (r, c, in, filter)}
         */
        public float weight(int r, int c, int in, int filter) {
            return kernel[((r * width + c) * inChannels + in) * count + filter];
        }
    }

    /**
     * A convolution's outputs for a few digits.
     *
     * @param layer    the layer's name
     * @param digits   the input images, each {@code imageSize * imageSize} grey levels in [0, 1]
     * @param imageSize the side of an input image
     * @param height   output height
     * @param width    output width
     * @param channels the channels kept (the first ones of the layer)
     * @param maps     per digit, {@code height * width * channels} activations, channels last
     */
    public record FeatureMaps(String layer, List<float[]> digits, int imageSize, int height, int width, int channels,
                              List<float[]> maps) {

        /**
         * Checks the sizes; the arrays are copied.
         *
         * @param layer     the layer's name, non-blank
         * @param digits    the input images, at least one
         * @param imageSize the side of an input image, positive
         * @param height    output height, positive
         * @param width     output width, positive
         * @param channels  the channels kept, positive
         * @param maps      one array per digit of {@code height * width * channels} values
         * @throws IllegalArgumentException if a size is not positive or an array has another length
         */
        public FeatureMaps {
            Checks.name("layer name", layer);
            if (imageSize <= 0 || height <= 0 || width <= 0 || channels <= 0) {
                throw new IllegalArgumentException("expected positive sizes, got image " + imageSize + ", maps " + height
                        + "×" + width + "×" + channels);
            }
            digits = copy(digits, imageSize * imageSize, "digit");
            maps = copy(maps, height * width * channels, "feature map");
            if (digits.isEmpty() || digits.size() != maps.size()) {
                throw new IllegalArgumentException("expected one feature map per digit and at least one digit, got "
                        + digits.size() + " digits and " + maps.size() + " maps");
            }
        }

        private static List<float[]> copy(List<float[]> arrays, int length, String what) {
            List<float[]> out = new ArrayList<>();
            for (float[] a : Objects.requireNonNull(arrays, what + "s")) {
                if (Objects.requireNonNull(a, what).length != length) {
                    throw new IllegalArgumentException("expected " + length + " values per " + what + ", got " + a.length);
                }
                out.add(a.clone());
            }
            return List.copyOf(out);
        }
    }

    /**
     * The view of a built model: every layer, and for its first Conv2D layer the kernels and the
     * feature maps of the first {@code digits} images (inference mode, so Dropout does nothing).
     *
     * @param model    a built model (any Sequential)
     * @param images   images shaped like the model's input with a batch axis, e.g. {@code (n, 28, 28, 1)}
     *                 with grey levels in [0, 1]; may be {@code null} for no feature maps
     * @param digits   how many of them to show, at least 1
     * @param channels how many of the convolution's channels to show (at most its filter count), at least 1
     * @return the view
     * @throws IllegalArgumentException if {@code digits} or {@code channels} is below 1, or the images do not
     *                                  match the model's input shape or are fewer than {@code digits}
     */
    public static ModelView of(Sequential model, Tensor images, int digits, int channels) {
        Objects.requireNonNull(model, "model");
        if (digits < 1 || channels < 1) {
            throw new IllegalArgumentException("ModelView: expected at least 1 digit and 1 channel, got " + digits
                    + " digits and " + channels + " channels");
        }
        int[] in = model.inputShape();
        if (images != null) {
            int[] s = images.shape();
            if (s.length != in.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), in)) {
                throw new IllegalArgumentException("ModelView: expected images of shape (n, " + join(in) + "), got "
                        + images.shapeString());
            }
            if (s[0] < digits) {
                throw new IllegalArgumentException("ModelView: expected at least " + digits + " images, got " + s[0]);
            }
        }
        List<LayerView> views = new ArrayList<>();
        Conv2D first = null;
        for (Layer l : model.layers()) {
            views.add(new LayerView(l.name(), l.className(), boxed(l.outputShape()), detail(l), l.countParams()));
            if (first == null && l instanceof Conv2D c) {
                first = c;
            }
        }
        FilterBank filters = null;
        FeatureMaps maps = null;
        if (first != null) {
            int[] k = first.kernel().shape();
            filters = new FilterBank(first.name(), k[0], k[1], k[2], k[3], first.kernel().data());
            if (images != null && in.length == 3 && in[0] == in[1] && in[2] == 1) {
                maps = featureMaps(model, first, images, digits, Math.min(channels, first.filters()));
            }
        }
        return new ModelView(boxed(in), views, filters, maps);
    }

    /** The first {@code n} images through the layers up to and including {@code conv}, in inference mode. */
    private static FeatureMaps featureMaps(Sequential model, Conv2D conv, Tensor images, int n, int channels) {
        int side = images.shape()[1];
        float[] pixels = Arrays.copyOf(images.data(), n * side * side);
        Tensor x = Tensor.of(pixels, n, side, side, 1);
        for (Layer l : model.layers()) {
            x = l.call(x, false);
            if (l == conv) {
                break;
            }
        }
        int[] s = x.shape();
        int h = s[1];
        int w = s[2];
        int all = s[3];
        List<float[]> digits = new ArrayList<>();
        List<float[]> maps = new ArrayList<>();
        float[] out = x.data();
        for (int d = 0; d < n; d++) {
            digits.add(Arrays.copyOfRange(pixels, d * side * side, (d + 1) * side * side));
            float[] m = new float[h * w * channels];
            for (int p = 0; p < h * w; p++) {
                System.arraycopy(out, (d * h * w + p) * all, m, p * channels, channels);
            }
            maps.add(m);
        }
        return new FeatureMaps(conv.name(), digits, side, h, w, channels, maps);
    }

    private static String detail(Layer l) {
        if (l instanceof Conv2D c) {
            int[] k = c.kernelSize();
            String stride = c.strides()[0] == 1 && c.strides()[1] == 1 ? "" : ", stride " + c.strides()[0];
            return k[0] + "×" + k[1] + " kernel" + stride + ", " + c.activation().kerasName();
        }
        if (l instanceof MaxPooling2D p) {
            return "max " + p.poolSize()[0] + "×" + p.poolSize()[1];
        }
        if (l instanceof AveragePooling2D p) {
            return "average " + p.poolSize()[0] + "×" + p.poolSize()[1];
        }
        if (l instanceof Dropout d) {
            return String.format(Locale.ROOT, "rate %s", Json.number(d.rate()));
        }
        if (l instanceof Dense d) {
            return d.activation().kerasName();
        }
        return "";
    }

    private static List<Integer> boxed(int[] shape) {
        return Arrays.stream(shape).boxed().toList();
    }

    private static String join(int[] shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.toString();
    }
}
