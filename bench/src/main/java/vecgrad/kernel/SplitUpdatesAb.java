package vecgrad.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.nn.Activation;
import vecgrad.nn.Dense;
import vecgrad.nn.Loss;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The optimizer split's A/B measurement on a shared machine: in one JVM at 2 threads, blocks of
 * whole training steps (as TrainStepBenchmark.step) and of Adam steps alone (the report network's
 * 242,762 weights, as FiniteCheckBenchmark.adamApplyGradients) alternate between the split on and off
 * ({@link SimdKernels#splitUpdates}), so that both paths see the same load. Prints the median time of
 * each and the median of the per-round ratios (off / on: above 1 means the split is faster).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar vecgrad.kernel.SplitUpdatesAb [ROUNDS]</pre>
 */
public final class SplitUpdatesAb {

    private static final int[][] SHAPES = {{784, 256}, {256}, {256, 128}, {128}, {128, 64}, {64}, {64, 10}, {10}};

    private SplitUpdatesAb() {
    }

    /**
     * Runs the rounds and prints the medians.
     *
     * @param args the number of rounds (default 40)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        Parallel.setThreads(2);
        Sequential model = new Sequential(784, 42, new Dense(256, Activation.RELU), new Dense(128, Activation.RELU),
                new Dense(64, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy());
        List<Variable> vars = model.trainableVariables();
        BufferPool pool = new BufferPool();
        Random random = new Random(42);
        Tensor x = Tensor.randomUniform(random, 0f, 1f, 128, 784);
        float[] labels = new float[128 * 10];
        for (int i = 0; i < 128; i++) {
            labels[i * 10 + random.nextInt(10)] = 1f;
        }
        Tensor y = Tensor.wrap(labels, 128, 10);
        List<Variable> adamVars = new ArrayList<>();
        List<Tensor> adamGrads = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            adamVars.add(Variable.of("v" + i, Tensor.randomNormal(random, 0, 0.05f, SHAPES[i])));
            adamGrads.add(Tensor.randomNormal(random, 0, 1e-3f, SHAPES[i]));
        }
        Adam adam = new Adam(1e-12f);

        Runnable step = () -> {
            try (BufferPool.Scope scope = pool.enter(); GradientTape tape = new GradientTape()) {
                Tensor loss = model.loss().call(y, model.call(x, true));
                model.optimizer().applyGradients(tape.gradient(loss, vars), vars);
            }
        };
        Runnable adamStep = () -> adam.applyGradients(adamGrads, adamVars);

        // Warm-up: C2 compiles both paths (Vector API code is 100x slower until then).
        for (int i = 0; i < 6; i++) {
            SimdKernels.splitUpdates = i % 2 == 0;
            time(step, 300);
            time(adamStep, 2000);
        }
        double[][] stepUs = new double[2][rounds];
        double[][] adamUs = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int mode = (r + k) % 2;   // alternate which path goes first
                SimdKernels.splitUpdates = mode == 0;
                stepUs[mode][r] = time(step, 50);
                adamUs[mode][r] = time(adamStep, 200);
            }
        }
        SimdKernels.splitUpdates = true;
        report("whole step (µs)", stepUs);
        report("Adam.applyGradients, 242,762 weights (µs)", adamUs);
    }

    private static double time(Runnable body, int times) {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            body.run();
        }
        return (System.nanoTime() - start) / 1e3 / times;
    }

    private static void report(String what, double[][] us) {
        int rounds = us[0].length;
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = us[1][r] / us[0][r];
        }
        System.out.printf("%s: split %.1f, not split %.1f (medians of %d rounds); not split / split: median %.3f,"
                + " quartiles %.3f-%.3f%n", what, median(us[0]), median(us[1]), rounds, median(ratios),
                quantile(ratios, 0.25), quantile(ratios, 0.75));
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.round(q * (s.length - 1))];
    }
}
