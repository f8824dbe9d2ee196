package vecgrad.nn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import vecgrad.data.Dataset;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * Evaluation in chunks against 32-row calls, A/B on a shared machine: in one JVM, rounds alternate
 * between chunks of 32 rows (the old way) and of {@code CHUNK} rows for {@code evaluate} (10,000
 * MNIST-like rows, the report's MLP), fit's validation ({@code evaluate} of a 6,000-image pixel
 * dataset) and {@code predict} (10,000 rows), so that both see the same load. Prints the median time of each and the median
 * of the per-round ratios (32-row time / chunk time: above 1 means chunks are faster), and checks
 * that both give the same bits (loss, accuracy, predictions).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.nn.EvaluateAb THREADS [ROUNDS] [CHUNK] [BASE]</pre>
 * (BASE, default 32, compares two chunk sizes).
 */
public final class EvaluateAb {

    private EvaluateAb() {
    }

    /**
     * Runs the rounds and prints the medians.
     *
     * @param args the thread count, the number of rounds (default 30), the chunk rows (default: the library's choice)
     *     and the rows of the base it is compared with (default 32)
     */
    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int chunk = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int base = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        Parallel.setThreads(threads);
        Sequential model = new Sequential(784, 42, new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Random random = new Random(42);
        float[] data = new float[10_000 * 784];
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextFloat() < 0.8f ? 0f : 1f - random.nextFloat();
        }
        Tensor x = Tensor.wrap(data, 10_000, 784);
        int[] labels = new int[10_000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = random.nextInt(10);
        }
        Tensor y = Tensor.oneHot(labels, 10);
        byte[] pixels = new byte[6_000 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextFloat() < 0.8f ? 0 : (byte) (1 + random.nextInt(255));
        }
        Dataset validation = Dataset.ofPixels(pixels, 784, Arrays.copyOf(labels, 6_000));

        InferenceChunks.rowsOverride = chunk;
        int rows = InferenceChunks.rows(model);
        InferenceChunks.rowsOverride = 0;
        // Warm-up: both paths until C2 has compiled the kernels.
        long until = System.nanoTime() + 8_000_000_000L;
        while (System.nanoTime() < until) {
            run(model, x, y, validation, base, true);
            run(model, x, y, validation, rows, true);
        }
        double[][] t = new double[6][rounds];
        for (int r = 0; r < rounds; r++) {
            boolean chunkFirst = r % 2 == 0;
            double[] a = run(model, x, y, validation, chunkFirst ? rows : base, false);
            double[] b = run(model, x, y, validation, chunkFirst ? base : rows, false);
            double[] old = chunkFirst ? b : a;
            double[] now = chunkFirst ? a : b;
            t[0][r] = old[0];
            t[1][r] = now[0];
            t[2][r] = old[1];
            t[3][r] = now[1];
            t[4][r] = old[2];
            t[5][r] = now[2];
        }
        double[] evalRatio = new double[rounds];
        double[] valRatio = new double[rounds];
        double[] predictRatio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            evalRatio[r] = t[0][r] / t[1][r];
            valRatio[r] = t[2][r] / t[3][r];
            predictRatio[r] = t[4][r] / t[5][r];
        }
        System.out.printf(Locale.ROOT, "threads=%d rounds=%d chunk=%d against %d%n", threads, rounds, rows, base);
        System.out.printf(Locale.ROOT, "evaluate 10000 rows: base %.1f ms, chunked %.1f ms, ratio %.2fx (quartiles %.2f-%.2f)%n",
                median(t[0]), median(t[1]), median(evalRatio), quantile(evalRatio, 0.25), quantile(evalRatio, 0.75));
        System.out.printf(Locale.ROOT, "validation 6000 images: base %.1f ms, chunked %.1f ms, ratio %.2fx (quartiles %.2f-%.2f)%n",
                median(t[2]), median(t[3]), median(valRatio), quantile(valRatio, 0.25), quantile(valRatio, 0.75));
        System.out.printf(Locale.ROOT, "predict 10000 rows: base %.1f ms, chunked %.1f ms, ratio %.2fx (quartiles %.2f-%.2f)%n",
                median(t[4]), median(t[5]), median(predictRatio), quantile(predictRatio, 0.25), quantile(predictRatio, 0.75));
    }

    /** Times evaluate and the validation with chunks of {@code rows} rows, in ms; checks the bits against 32-row calls. */
    private static double[] run(Sequential model, Tensor x, Tensor y, Dataset validation, int rows, boolean check) {
        InferenceChunks.rowsOverride = rows;
        try {
            long t0 = System.nanoTime();
            Evaluation e = model.evaluate(x, y);
            long t1 = System.nanoTime();
            Evaluation v = model.evaluate(validation);
            long t2 = System.nanoTime();
            Tensor p = model.predict(x);
            long t3 = System.nanoTime();
            if (check) {
                InferenceChunks.rowsOverride = 32;
                if (!e.equals(model.evaluate(x, y)) || !v.equals(model.evaluate(validation))
                        || !p.contentEquals(model.predict(x))) {
                    throw new AssertionError("chunks of " + rows + " rows changed a result");
                }
            }
            return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
        } finally {
            InferenceChunks.rowsOverride = 0;
        }
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double at = q * (s.length - 1);
        int lo = (int) Math.floor(at);
        int hi = (int) Math.ceil(at);
        return s[lo] + (s[hi] - s[lo]) * (at - lo);
    }
}
