package peers;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * The TensorFlow Java peer of bench/compare.sh: trains the comparison's MLP or convnet on MNIST
 * with TF Java 1.1 (TensorFlow 2.18 underneath) and prints one {@code COMPARE {json}} line.
 *
 * <pre>
 * java -cp 'target/tfjava-peer.jar:target/lib/*' peers.TfPeer --model mlp|cnn --epochs 5 --threads 1
 *     [--data test-data/mnist] [--train-limit N] [--test-limit N] [--seed 42]
 * </pre>
 */
public final class TfPeer {

    /*
     * TF Java 1.1 has no Keras, so the graph is written with its ops, as Keras builds it:
     * - Dense: x·W + b; Conv2D: conv2d VALID stride 1 + biasAdd; MaxPooling2D(2): maxPool 2x2 VALID;
     *   kernels in Keras' layout (kh, kw, in, out), which is also TensorFlow's HWIO filter layout.
     * - Glorot uniform (keras/src/initializers/random_initializers.py): U(-l, l), l = sqrt(6 / (fan_in +
     *   fan_out)), with fan_in = kh*kw*in and fan_out = kh*kw*out for a conv kernel; biases zero. Drawn
     *   here with java.util.Random(seed) and loaded as the variables' initial values.
     * - Softmax + categorical cross-entropy as one softmaxCrossEntropyWithLogits on the logits, mean
     *   over the batch (what Keras does when the softmax output carries its logits).
     * - Dropout(0.5) (keras/src/layers/regularization/dropout.py): keep with probability 0.5 and
     *   scale by 1/0.5, training only: mask = floor(u + 0.5) / 0.5 with u ~ U[0, 1).
     * - Adam (keras/src/optimizers/adam.py): m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2,
     *   w -= lr sqrt(1-b2^t)/(1-b1^t) * m / (sqrt(v) + eps); TensorFlow's ApplyAdam kernel computes
     *   exactly this, with b1^t and b2^t fed each step.
     * - Gradients: Graph.addGradients (TensorFlow's C++ gradient registry).
     * - Batches of 128 from a permutation drawn each epoch; the last, partial batch is kept (Keras).
     *   Validation: the last 10% of the training set, evaluated after each epoch in batches of 128.
     */

    private static final int BATCH = 128;
    private static final float LR = 1e-3f;
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-7f;

    private final Ops tf;
    private final Random rng;
    private final List<Variable<TFloat32>> weights = new ArrayList<>();

    private TfPeer(Ops tf, long seed) {
        this.tf = tf;
        this.rng = new Random(seed);
    }

    public static void main(String[] args) throws Exception {
        long mainStart = System.nanoTime();
        String model = "mlp";
        int epochs = 5;
        int threads = 1;
        int trainLimit = 60000;
        int testLimit = 10000;
        long seed = 42;
        Path data = Path.of("test-data", "mnist");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("TfPeer: " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--model" -> model = value;
                case "--epochs" -> epochs = Integer.parseInt(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--train-limit" -> trainLimit = Integer.parseInt(value);
                case "--test-limit" -> testLimit = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--data" -> data = Path.of(value);
                default -> throw new IllegalArgumentException("TfPeer: unknown option " + args[i]);
            }
            i++;
        }
        if (!model.equals("mlp") && !model.equals("cnn")) {
            throw new IllegalArgumentException("TfPeer: --model must be mlp or cnn, got " + model);
        }
        boolean cnn = model.equals("cnn");
        double startup = startupSeconds();

        float[] trainX = images(data.resolve("train-images-idx3-ubyte.gz"), trainLimit);
        int[] trainY = labels(data.resolve("train-labels-idx1-ubyte.gz"), trainLimit);
        float[] testX = images(data.resolve("t10k-images-idx3-ubyte.gz"), testLimit);
        int[] testY = labels(data.resolve("t10k-labels-idx1-ubyte.gz"), testLimit);
        int all = trainY.length;
        int trainCount = all - (int) Math.round(all * 0.1);   // the last 10% validate
        double load = (System.nanoTime() - mainStart) / 1e9;

        long setupStart = System.nanoTime();
        ConfigProto config = ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(threads)
                .setInterOpParallelismThreads(1)
                .build();
        try (Graph g = new Graph(); Session s = new Session(g, config)) {
            Ops tf = Ops.create(g);
            TfPeer net = new TfPeer(tf, seed);
            Shape xShape = cnn ? Shape.of(-1, 28, 28, 1) : Shape.of(-1, 784);
            Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(xShape));
            Placeholder<TFloat32> y = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 10)));
            Placeholder<TFloat32> b1Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Placeholder<TFloat32> b2Power = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
            Forward forward = cnn ? net.convnet(seed) : net.mlp();
            Operand<TFloat32> trainLogits = forward.apply(x, true);
            Operand<TFloat32> evalLogits = forward.apply(x, false);
            Operand<TFloat32> trainLoss = net.meanCrossEntropy(trainLogits, y);
            Operand<TFloat32> evalLoss = net.meanCrossEntropy(evalLogits, y);
            List<Op> updates = net.adam(trainLoss, b1Power, b2Power);
            s.initialize();
            double setup = (System.nanoTime() - setupStart) / 1e9;

            int sample = 784;
            float[] xb = new float[BATCH * sample];
            float[] yb = new float[BATCH * 10];
            float[] logits = new float[BATCH * 10];
            int[] order = new int[trainCount];
            for (int i = 0; i < trainCount; i++) {
                order[i] = i;
            }
            Random shuffle = new Random(seed);
            List<Double> epochSeconds = new ArrayList<>();
            double valAcc = 0;
            double valLoss = 0;
            double trainLossMean = 0;
            long step = 0;
            long trainStart = System.nanoTime();
            for (int epoch = 1; epoch <= epochs; epoch++) {
                long epochStart = System.nanoTime();
                for (int i = trainCount - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                double lossSum = 0;
                for (int from = 0; from < trainCount; from += BATCH) {
                    int n = Math.min(BATCH, trainCount - from);
                    fill(trainX, trainY, order, from, n, xb, yb);
                    step++;
                    float p1 = (float) Math.pow(BETA1, step);
                    float p2 = (float) Math.pow(BETA2, step);
                    try (TFloat32 xt = batch(xb, n, cnn); TFloat32 yt = labelsTensor(yb, n);
                            TFloat32 p1t = TFloat32.scalarOf(p1); TFloat32 p2t = TFloat32.scalarOf(p2)) {
                        Session.Runner r = s.runner().feed(x, xt).feed(y, yt).feed(b1Power, p1t).feed(b2Power, p2t)
                                .fetch(trainLoss);
                        for (Op u : updates) {
                            r.addTarget(u);
                        }
                        try (Result res = r.run()) {
                            lossSum += (double) ((TFloat32) res.get(0)).getFloat() * n;
                        }
                    }
                }
                trainLossMean = lossSum / trainCount;
                double[] val = evaluate(s, x, y, evalLogits, evalLoss, trainX, trainY, trainCount, all, xb, yb, logits, cnn);
                valLoss = val[0];
                valAcc = val[1];
                epochSeconds.add((System.nanoTime() - epochStart) / 1e9);
            }
            double train = (System.nanoTime() - trainStart) / 1e9;
            double[] test = evaluate(s, x, y, evalLogits, evalLoss, testX, testY, 0, testY.length, xb, yb, logits, cnn);
            StringBuilder epochsJson = new StringBuilder();
            for (double e : epochSeconds) {
                epochsJson.append(epochsJson.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.4f", e));
            }
            System.out.println(String.format(Locale.ROOT,
                    "COMPARE {\"system\":\"tfjava\",\"model\":\"%s\",\"config\":\"tf-%s-t%d\",\"threads\":%d,"
                            + "\"version\":\"TF Java 1.1.0 (TensorFlow %s), JDK %s\",\"epochs\":%d,\"train_samples\":%d,"
                            + "\"startup_s\":%.4f,\"load_s\":%.4f,\"setup_s\":%.4f,\"train_s\":%.4f,\"epoch_s\":[%s],"
                            + "\"train_loss\":%.5f,\"val_loss\":%.5f,\"val_acc\":%.5f,\"test_loss\":%.5f,\"test_acc\":%.5f}",
                    model, model, threads, threads, TensorFlow.version(), Runtime.version(), epochs, trainCount,
                    startup, load, setup, train, epochsJson, trainLossMean, valLoss, valAcc, test[0], test[1]));
        }
    }

    /** Seconds from the launch time bench/compare.sh passes in COMPARE_T0_MS to main, or -1 without it. */
    private static double startupSeconds() {
        String t0 = System.getenv("COMPARE_T0_MS");
        return t0 == null || t0.isEmpty() ? -1 : (System.currentTimeMillis() - Long.parseLong(t0)) / 1e3;
    }

    /** The network from the input placeholder to the logits, training or not (Dropout). */
    private interface Forward {
        Operand<TFloat32> apply(Operand<TFloat32> x, boolean training);
    }

    private Forward mlp() {
        int[] widths = {784, 256, 128, 64, 10};
        List<Variable<TFloat32>> ws = new ArrayList<>();
        List<Variable<TFloat32>> bs = new ArrayList<>();
        for (int l = 0; l + 1 < widths.length; l++) {
            ws.add(glorot(Shape.of(widths[l], widths[l + 1]), widths[l], widths[l + 1]));
            bs.add(zeros(widths[l + 1]));
        }
        return (x, training) -> {
            Operand<TFloat32> h = x;
            for (int l = 0; l < ws.size(); l++) {
                h = tf.math.add(tf.linalg.matMul(h, ws.get(l)), bs.get(l));
                if (l + 1 < ws.size()) {
                    h = tf.nn.relu(h);
                }
            }
            return h;
        };
    }

    private Forward convnet(long seed) {
        Variable<TFloat32> k1 = glorot(Shape.of(3, 3, 1, 32), 9, 9 * 32);
        Variable<TFloat32> c1 = zeros(32);
        Variable<TFloat32> k2 = glorot(Shape.of(3, 3, 32, 64), 9 * 32, 9 * 64);
        Variable<TFloat32> c2 = zeros(64);
        Variable<TFloat32> w = glorot(Shape.of(1600, 10), 1600, 10);
        Variable<TFloat32> b = zeros(10);
        List<Long> ones = List.of(1L, 1L, 1L, 1L);
        return (x, training) -> {
            Operand<TFloat32> h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(x, k1, ones, "VALID"), c1));
            h = pool(h);
            h = tf.nn.relu(tf.nn.biasAdd(tf.nn.conv2d(h, k2, ones, "VALID"), c2));
            h = pool(h);
            h = tf.reshape(h, tf.constant(new int[] {-1, 1600}));
            if (training) {
                Operand<TFloat32> u = tf.random.randomUniform(tf.shape(h), TFloat32.class,
                        RandomUniform.seed(seed), RandomUniform.seed2(seed + 1));
                Operand<TFloat32> keep = tf.constant(0.5f);
                h = tf.math.mul(h, tf.math.div(tf.math.floor(tf.math.add(u, keep)), keep));
            }
            return tf.math.add(tf.linalg.matMul(h, w), b);
        };
    }

    private Operand<TFloat32> pool(Operand<TFloat32> h) {
        Operand<org.tensorflow.types.TInt32> two = tf.constant(new int[] {1, 2, 2, 1});
        return tf.nn.maxPool(h, two, two, "VALID");
    }

    private Operand<TFloat32> meanCrossEntropy(Operand<TFloat32> logits, Operand<TFloat32> y) {
        return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, y).loss(), tf.constant(0));
    }

    /** One ApplyAdam per weight, on the loss's gradients. */
    private List<Op> adam(Operand<TFloat32> loss, Operand<TFloat32> b1Power, Operand<TFloat32> b2Power) {
        List<Operand<?>> xs = new ArrayList<>(weights);
        org.tensorflow.op.core.Gradients grads = tf.gradients(loss, xs);
        List<Op> updates = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            Variable<TFloat32> w = weights.get(i);
            Variable<TFloat32> m = tf.variable(tf.zerosLike(w));
            Variable<TFloat32> v = tf.variable(tf.zerosLike(w));
            updates.add(tf.train.applyAdam(w, m, v, b1Power, b2Power, tf.constant(LR), tf.constant(BETA1),
                    tf.constant(BETA2), tf.constant(EPSILON), grads.<TFloat32>dy(i)));
        }
        return updates;
    }

    private Variable<TFloat32> glorot(Shape shape, int fanIn, int fanOut) {
        float[] values = new float[(int) shape.size()];
        double limit = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
        Variable<TFloat32> v = tf.variable(tf.constant(shape, DataBuffers.of(values, true, false)));
        weights.add(v);
        return v;
    }

    private Variable<TFloat32> zeros(int n) {
        Variable<TFloat32> v = tf.variable(tf.constant(Shape.of(n), DataBuffers.of(new float[n], true, false)));
        weights.add(v);
        return v;
    }

    private static TFloat32 batch(float[] xb, int n, boolean cnn) {
        Shape shape = cnn ? Shape.of(n, 28, 28, 1) : Shape.of(n, 784);
        return TFloat32.tensorOf(shape, DataBuffers.of(xb, true, false).narrow((long) n * 784));
    }

    private static TFloat32 labelsTensor(float[] yb, int n) {
        return TFloat32.tensorOf(Shape.of(n, 10), DataBuffers.of(yb, true, false).narrow((long) n * 10));
    }

    private static void fill(float[] xs, int[] ys, int[] order, int from, int n, float[] xb, float[] yb) {
        java.util.Arrays.fill(yb, 0, n * 10, 0f);
        for (int r = 0; r < n; r++) {
            int row = order == null ? from + r : order[from + r];
            System.arraycopy(xs, row * 784, xb, r * 784, 784);
            yb[r * 10 + ys[row]] = 1f;
        }
    }

    /** Mean loss and accuracy of rows [from, to) in batches of 128. */
    private static double[] evaluate(Session s, Operand<TFloat32> x, Operand<TFloat32> y, Operand<TFloat32> logitsOp,
            Operand<TFloat32> lossOp, float[] xs, int[] ys, int from, int to, float[] xb, float[] yb, float[] logits,
            boolean cnn) {
        double lossSum = 0;
        long correct = 0;
        for (int at = from; at < to; at += BATCH) {
            int n = Math.min(BATCH, to - at);
            fill(xs, ys, null, at, n, xb, yb);
            try (TFloat32 xt = batch(xb, n, cnn); TFloat32 yt = labelsTensor(yb, n);
                    Result res = s.runner().feed(x, xt).feed(y, yt).fetch(logitsOp).fetch(lossOp).run()) {
                ((TFloat32) res.get(0)).copyTo(DataBuffers.of(logits, false, false).narrow((long) n * 10));
                lossSum += (double) ((TFloat32) res.get(1)).getFloat() * n;
            }
            for (int r = 0; r < n; r++) {
                int best = 0;
                for (int c = 1; c < 10; c++) {
                    if (logits[r * 10 + c] > logits[r * 10 + best]) {
                        best = c;
                    }
                }
                if (best == ys[at + r]) {
                    correct++;
                }
            }
        }
        return new double[] {lossSum / (to - from), (double) correct / (to - from)};
    }

    private static float[] images(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file, 2051)) {
            int n = Math.min(in.readInt(), limit);
            int rows = in.readInt();
            int cols = in.readInt();
            if (rows != 28 || cols != 28) {
                throw new IOException(file + ": expected 28x28 images, got " + rows + "x" + cols);
            }
            byte[] pixels = in.readNBytes(n * 784);
            float[] out = new float[pixels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (pixels[i] & 0xff) / 255f;
            }
            return out;
        }
    }

    private static int[] labels(Path file, int limit) throws IOException {
        try (DataInputStream in = open(file, 2049)) {
            int n = Math.min(in.readInt(), limit);
            byte[] bytes = in.readNBytes(n);
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = bytes[i] & 0xff;
            }
            return out;
        }
    }

    private static DataInputStream open(Path file, int magic) throws IOException {
        InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16));
        int got = in.readInt();
        if (got != magic) {
            in.close();
            throw new IOException(file + ": expected IDX magic " + magic + ", got " + got);
        }
        return in;
    }
}
