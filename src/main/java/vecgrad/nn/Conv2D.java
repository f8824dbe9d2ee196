package vecgrad.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import vecgrad.autodiff.ConvOps;
import vecgrad.autodiff.Ops;
import vecgrad.autodiff.Padding;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * A 2-D convolution layer on images {@code (batch, height, width, channels)}, as Keras'
 * {@code Conv2D}: {@code activation(conv2d(x, kernel) + bias)} with a kernel stored as Keras stores
 * it, {@code (kh, kw, channels, filters)}. Keras' defaults: strides 1, {@code "valid"} padding,
 * dilation 1, a bias, a linear activation, a Glorot-uniform kernel (fans {@code kh·kw·channels} and
 * {@code kh·kw·filters}) and a zero bias. Its weights are {@code NAME/kernel} and {@code NAME/bias}
 * ({@code conv2d/kernel}, {@code conv2d_1/bias}, ...). The op, padding and sizes are
 * {@link ConvOps#conv2d}'s (TensorFlow's placement of an odd "same" pad: bottom and right).
 */
public final class Conv2D extends Layer {

    /*
     * Keras 3, keras/src/layers/convolutional/base_conv.py and conv2d.py: the checks of __init__
     * (filters > 0, no zero in kernel_size or strides, strides > 1 not with dilation_rate > 1),
     * build's kernel_shape = kernel_size + (input_channel, filters), and get_config's keys.
     */

    private final int filters;
    private final int[] kernelSize;
    private final int[] strides;
    private final Padding padding;
    private final int[] dilationRate;
    private final boolean useBias;
    private final Activation activation;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private Variable kernel;
    private Variable bias;

    /**
     * A square {@code kernelSize × kernelSize} convolution with Keras' other defaults (strides 1,
     * "valid", linear).
     *
     * @param filters the number of output channels, at least 1
     * @param kernelSize the kernel's height and width, at least 1
     * @throws IllegalArgumentException if {@code filters} or {@code kernelSize} is below 1
     */
    public Conv2D(int filters, int kernelSize) {
        this(filters, kernelSize, Activation.LINEAR);
    }

    /**
     * A square convolution with an activation and Keras' other defaults (strides 1, "valid").
     *
     * @param filters the number of output channels, at least 1
     * @param kernelSize the kernel's height and width, at least 1
     * @param activation applied to {@code conv2d(x, kernel) + bias}
     * @throws IllegalArgumentException if {@code filters} or {@code kernelSize} is below 1
     */
    public Conv2D(int filters, int kernelSize, Activation activation) {
        this(filters, new int[] {kernelSize, kernelSize}, new int[] {1, 1}, Padding.VALID, new int[] {1, 1}, true,
                activation, Initializer.glorotUniform(), Initializer.zeros());
    }

    /**
     * A convolution with every setting given.
     *
     * @param filters the number of output channels, at least 1
     * @param kernelSize the kernel {@code {height, width}}, each at least 1
     * @param strides the strides {@code {down, across}}, each at least 1
     * @param padding {@link Padding#VALID} or {@link Padding#SAME}
     * @param dilationRate the dilation {@code {down, across}}, each at least 1; not above 1 when a stride is
     * @param useBias whether to add a bias {@code (filters)}
     * @param activation applied to {@code conv2d(x, kernel) + bias}
     * @param kernelInitializer draws the kernel {@code (kh, kw, channels, filters)} when the layer is built
     * @param biasInitializer draws the bias {@code (filters)} when the layer is built
     * @throws IllegalArgumentException if {@code filters} is below 1, a size, stride or dilation is not
     *     two values of at least 1, or a stride and a dilation are both above 1 (as Keras)
     */
    public Conv2D(int filters, int[] kernelSize, int[] strides, Padding padding, int[] dilationRate, boolean useBias,
                  Activation activation, Initializer kernelInitializer, Initializer biasInitializer) {
        if (filters < 1) {
            throw new IllegalArgumentException("Conv2D: filters must be >= 1, got " + filters);
        }
        this.filters = filters;
        this.kernelSize = pair("Conv2D", "kernelSize", kernelSize);
        this.strides = pair("Conv2D", "strides", strides);
        this.dilationRate = pair("Conv2D", "dilationRate", dilationRate);
        if (Math.max(this.strides[0], this.strides[1]) > 1 && Math.max(this.dilationRate[0], this.dilationRate[1]) > 1) {
            throw new IllegalArgumentException("Conv2D: strides > 1 are not supported with dilationRate > 1 (as Keras),"
                    + " got strides " + Arrays.toString(strides) + " and dilationRate " + Arrays.toString(dilationRate));
        }
        this.padding = Objects.requireNonNull(padding, "padding");
        this.useBias = useBias;
        this.activation = Objects.requireNonNull(activation, "activation");
        this.kernelInitializer = Objects.requireNonNull(kernelInitializer, "kernelInitializer");
        this.biasInitializer = Objects.requireNonNull(biasInitializer, "biasInitializer");
    }

    /** Checks a {rows, columns} pair of values >= 1 and returns a copy. */
    static int[] pair(String kind, String name, int[] values) {
        Objects.requireNonNull(values, () -> kind + ": " + name);
        if (values.length != 2 || values[0] < 1 || values[1] < 1) {
            throw new IllegalArgumentException(kind + ": expected " + name + " of two values >= 1, got "
                    + Arrays.toString(values));
        }
        return values.clone();
    }

    @Override
    protected void build(int[] inputShape) {
        requireImageShape("Conv2D", name(), inputShape);
        int[] kernelShape = {kernelSize[0], kernelSize[1], inputShape[2], filters};
        outputShape(inputShape, kernelShape);      // throws, naming both shapes, if the kernel does not fit
        // Kernel, then bias: the order the weights are drawn from the model's seed.
        kernel = addWeight("kernel", kernelShape, kernelInitializer, true);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, true);
        }
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        requireImageShape("Conv2D", name(), inputShape);
        return outputShape(inputShape, new int[] {kernelSize[0], kernelSize[1], inputShape[2], filters});
    }

    private int[] outputShape(int[] inputShape, int[] kernelShape) {
        try {
            return new int[] {
                ConvOps.outputLength(inputShape[0], kernelSize[0], strides[0], padding, dilationRate[0]),
                ConvOps.outputLength(inputShape[1], kernelSize[1], strides[1], padding, dilationRate[1]),
                filters};
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Conv2D " + name() + ": the kernel " + Tensor.shapeString(kernelShape)
                    + " does not fit inputs " + LayerInputs.batchShape(inputShape) + " with \"" + padding.kerasName()
                    + "\" padding: " + e.getMessage(), e);
        }
    }

    /** Throws unless the shape is an image {@code (height, width, channels)}, naming the layer. */
    static void requireImageShape(String kind, String name, int[] inputShape) {
        if (inputShape.length != 3) {
            throw new IllegalArgumentException(kind + " " + name + ": expected inputs of shape (batch, height, width,"
                    + " channels), got " + LayerInputs.batchShape(inputShape)
                    + (inputShape.length == 1 ? "; reshape flat rows to images first, e.g. Reshape(28, 28, 1)" : ""));
        }
    }

    /** {@return the number of output channels} */
    public int filters() {
        return filters;
    }

    /** {@return the kernel's {@code {height, width}}} */
    public int[] kernelSize() {
        return kernelSize.clone();
    }

    /** {@return the strides {@code {down, across}}} */
    public int[] strides() {
        return strides.clone();
    }

    /** {@return the padding} */
    public Padding padding() {
        return padding;
    }

    /** {@return the dilation {@code {down, across}}} */
    public int[] dilationRate() {
        return dilationRate.clone();
    }

    /** {@return whether the layer adds a bias} */
    public boolean useBias() {
        return useBias;
    }

    /** {@return the activation} */
    public Activation activation() {
        return activation;
    }

    /** {@return the kernel {@code (kh, kw, channels, filters)}} */
    public Variable kernel() {
        requireBuilt();
        return kernel;
    }

    /**
     * The bias.
     *
     * @return the bias {@code (filters)}, or null when the layer has none
     */
    public Variable bias() {
        requireBuilt();
        return bias;
    }

    /**
     * {@code activation(conv2d(x, kernel) + bias)}.
     *
     * @throws IllegalArgumentException if {@code x} is not a batch of the built input shape
     */
    @Override
    public Tensor call(Tensor x, boolean training) {
        LayerInputs.requireBatch(this, "Conv2D", x);
        Tensor y = ConvOps.conv2d(x, kernel, strides, padding, dilationRate);
        if (useBias) {
            y = Ops.add(y, bias);
        }
        return activation.apply(y);
    }

    /** Keras' base name, {@code conv2d}. */
    @Override
    public String baseName() {
        return "conv2d";
    }

    /** Keras' keys (channels_last only, one group). */
    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("filters", filters);
        c.put("kernel_size", List.of(kernelSize[0], kernelSize[1]));
        c.put("strides", List.of(strides[0], strides[1]));
        c.put("padding", padding.kerasName());
        c.put("data_format", "channels_last");
        c.put("dilation_rate", List.of(dilationRate[0], dilationRate[1]));
        c.put("groups", 1);
        c.put("activation", activation.kerasName());
        if (!activation.config().isEmpty()) {
            c.put("activation_config", activation.config());
        }
        c.put("use_bias", useBias);
        c.put("kernel_initializer", kernelInitializer.kerasName());
        c.put("bias_initializer", biasInitializer.kerasName());
        return c;
    }

    /** Rebuilds a layer from its {@link #config()}. */
    static Conv2D fromConfig(LayerRegistry.Config c) {
        requireChannelsLast(c);
        if (c.has("groups") && c.getInt("groups") != 1) {
            throw new IllegalArgumentException("expected 'groups' 1 (grouped convolutions are not supported), got "
                    + c.getInt("groups"));
        }
        return new Conv2D(c.getInt("filters"), c.getIntArray("kernel_size"), c.getIntArray("strides"),
                Padding.of(c.getString("padding")), c.getIntArray("dilation_rate"), c.getBoolean("use_bias"),
                c.getActivation("activation"), c.getInitializer("kernel_initializer"),
                c.getInitializer("bias_initializer"));
    }

    /** Refuses a config for channels-first images, the only layout this library does not hold. */
    static void requireChannelsLast(LayerRegistry.Config c) {
        if (c.has("data_format") && !"channels_last".equals(c.getString("data_format"))) {
            throw new IllegalArgumentException("expected 'data_format' \"channels_last\" (NHWC), got \""
                    + c.getString("data_format") + "\"");
        }
    }

    @Override
    public String toString() {
        return "Conv2D(" + filters + ", " + kernelSize[0] + "x" + kernelSize[1] + ", " + activation.kerasName() + ")";
    }
}
