package vecgrad.nn;

/**
 * How many rows {@code evaluate}, {@code predict} and fit's validation run through a model in one
 * forward pass: whole chunks of 32-row batches when every layer is known to compute each output row
 * from its input row alone, otherwise one 32-row batch at a time. The loss, the metrics and the
 * callbacks' batch hooks always see 32-row batches (Keras' {@code batch_size=32} for evaluate and
 * predict), so a chunk changes no printed number.
 */
final class InferenceChunks {

    /*
     * Why a chunk gives the same bits as 32-row calls: in inference mode every built-in layer's output
     * row depends on its input row only, computed by the same operations in the same order whatever
     * the number of rows.
     *   Dense        matmul: each C element is one fma chain over k in order (the Kernels contract,
     *                whatever the blocking, tile, thread split or m); bias: addRowVector per row.
     *   Conv2D       im2col copies each image's patches into its own rows; the GEMM as Dense.
     *   activations  the built-in ones are elementwise, or per row (softmax, log_softmax).
     *   BatchNormalization  training=false uses the moving statistics: per-feature constants.
     *   LayerNormalization  statistics over each sample's last axis.
     *   Normalization       per-feature constants (adapted or given).
     *   Dropout      the identity when not training.
     *   MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D   per image and channel.
     *   Flatten, Reshape    views of each sample.
     * A layer of the user's own, a subclass we do not know, or a Dense/Conv2D/Activation with a
     * function of the user's (Activation.of(name, function)) might mix rows, e.g. by normalising over
     * the batch: such a model keeps 32-row calls.
     *
     * Chunk size (bench/RESULTS.md, "Evaluation in large chunks", EvaluateAb): a 32-row product packs
     * the whole weight matrix for 32 rows and wastes a sixth of its last 6-row register tile; chunks
     * of 256 rows made the MLP's evaluation 1.3x faster on 1 and 2 threads. 512 rows were no faster,
     * 128 slightly slower, and 1024 rows 12% slower than 256 on 2 threads: a 256-row chunk of the
     * first layer's input (256 x 784 floats, 784 KB) stays within a core's 1 MB L2 while the
     * products run, a 1024-row one (3.2 MB) does not. So the chunk is also capped so that its
     * largest per-row buffer (a layer's input or output, or a convolution's im2col matrix) stays
     * within MAX_FLOATS: a convnet's im2col rows are large, and its 32-image products are already
     * large enough to run at full speed.
     */

    /** Keras' default batch size for evaluate and predict: what the loss, metrics and hooks see. */
    static final int BATCH = 32;

    /** The most rows in one forward pass. */
    static final int MAX_ROWS = 256;

    /** The most floats (1 MB) a chunk's largest buffer may hold, beyond one 32-row batch. */
    static final long MAX_FLOATS = 1L << 18;

    /**
     * Rows per chunk when positive, for benchmarks and tests that compare chunk sizes; 0 for the
     * default ({@link #rows}). Never changes a result, only the speed.
     */
    static volatile int rowsOverride;

    private InferenceChunks() {
    }

    /**
     * Rows per forward pass for {@code model}: a multiple of {@link #BATCH}, or {@link #BATCH} itself
     * when some layer is not known to be row-independent.
     */
    static int rows(Sequential model) {
        for (Layer layer : model.layers()) {
            if (!rowIndependent(layer)) {
                return BATCH;
            }
        }
        int override = rowsOverride;
        if (override > 0) {
            return Math.max(BATCH, override / BATCH * BATCH);
        }
        long largest = largestRowFloats(model);
        long fit = MAX_FLOATS / Math.max(1, largest);
        return (int) Math.max(BATCH, Math.min(MAX_ROWS, fit) / BATCH * BATCH);
    }

    /** Whether {@code layer} in inference computes each output row from its own input row only (see above). */
    static boolean rowIndependent(Layer layer) {
        if (layer instanceof Dense d) {
            return builtin(d.activation());
        }
        if (layer instanceof Conv2D c) {
            return builtin(c.activation());
        }
        if (layer instanceof ActivationLayer a) {
            return builtin(a.activation());
        }
        // All final classes: a user's layer cannot pass as one of them.
        return layer instanceof Dropout || layer instanceof BatchNormalization || layer instanceof LayerNormalization
                || layer instanceof Normalization || layer instanceof MaxPooling2D || layer instanceof AveragePooling2D
                || layer instanceof GlobalAveragePooling2D || layer instanceof Flatten || layer instanceof Reshape;
    }

    /** The library's own activations; a user's function ({@link Activation#of(String, java.util.function.UnaryOperator)}) is not. */
    private static boolean builtin(Activation a) {
        return a == null || a instanceof BuiltinActivation || a.getClass() == BuiltinActivation.Parameterized.class;
    }

    /** The largest per-row buffer of the forward pass, in floats: a layer's input or output, or an im2col matrix. */
    private static long largestRowFloats(Sequential model) {
        long largest = size(model.inputShape());
        for (Layer layer : model.layers()) {
            int[] out = layer.outputShape();
            largest = Math.max(largest, size(out));
            if (layer instanceof Conv2D c) {
                // cols (oh·ow, kh·kw·cin) per image
                int[] in = layer.inputShape();
                int[] k = c.kernelSize();
                largest = Math.max(largest, (long) out[0] * out[1] * k[0] * k[1] * in[2]);
            }
        }
        return largest;
    }

    private static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
