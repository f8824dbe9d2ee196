package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.AllocationCounter;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.GradientTape;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Issue 13's allocation target for a training step in steady state: at most 4 KB on the calling
 * thread, no buffer, for the step as fit runs it (in a BufferPool scope) and for fit itself. What is
 * left is bookkeeping: tape nodes, backward closures, shape arrays, the list of gradients.
 */
final class StepAllocationTest {

    private static final long LIMIT = 4096;
    private static final int BATCH = 32;
    private static final int STEPS = 24;

    @Test
    void pooledStep_ofAFourLayerNetwork_allocatesAtMost4KB() {
        LongSupplier allocated = AllocationCounter.currentThread();
        assumeTrue(allocated != null, "no per-thread allocation counter on this JVM");
        Sequential model = network();
        List<Variable> vars = model.trainableVariables();
        Tensor[] data = data(BATCH);
        BufferPool pool = new BufferPool();
        // Vector API kernels allocate until C2 has compiled them: the best of rounds, for up to 20 s.
        long best = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 20_000_000_000L;
        do {
            long before = allocated.getAsLong();
            for (int s = 0; s < STEPS; s++) {
                try (BufferPool.Scope step = pool.enter(); GradientTape tape = new GradientTape()) {
                    Tensor loss = model.loss().call(data[1], model.call(data[0], true));
                    model.optimizer().applyGradients(tape.gradient(loss, vars), vars);
                }
            }
            best = Math.min(best, (allocated.getAsLong() - before) / STEPS);
        } while (best > LIMIT && System.nanoTime() < deadline);
        assertThat(best).as("bytes per pooled training step").isLessThanOrEqualTo(LIMIT);
    }

    @Test
    void fit_perStepInSteadyState_allocatesAtMost4KB() {
        LongSupplier allocated = AllocationCounter.currentThread();
        assumeTrue(allocated != null, "no per-thread allocation counter on this JVM");
        Sequential model = network();
        Tensor[] data = data(BATCH * STEPS);
        FitOptions one = FitOptions.defaults().epochs(1).batchSize(BATCH).seed(1).verbose(0);
        FitOptions four = FitOptions.defaults().epochs(4).batchSize(BATCH).seed(1).verbose(0);
        // A call's own costs (its pools' first step, its history) cancel in the difference of a 4-epoch
        // and a 1-epoch fit; what remains is 3 epochs' steps, the epochs' own bookkeeping included.
        // Each is the least of rounds: the kernels allocate until C2 has compiled them.
        long bestOne = Long.MAX_VALUE;
        long bestFour = Long.MAX_VALUE;
        long best;
        long deadline = System.nanoTime() + 20_000_000_000L;
        int rounds = 0;
        do {
            long t0 = allocated.getAsLong();
            model.fit(data[0], data[1], one);
            long t1 = allocated.getAsLong();
            model.fit(data[0], data[1], four);
            long t2 = allocated.getAsLong();
            bestOne = Math.min(bestOne, t1 - t0);
            bestFour = Math.min(bestFour, t2 - t1);
            best = (bestFour - bestOne) / (3 * STEPS);
        } while ((++rounds < 5 || best > LIMIT) && System.nanoTime() < deadline);
        assertThat(best).as("bytes per step of fit, in steady state").isLessThanOrEqualTo(LIMIT);
    }

    /** Four Dense layers, as the report's network; the bookkeeping does not depend on their widths. */
    private static Sequential network() {
        Sequential model = new Sequential(20, 3, new Dense(64, Activation.RELU), new Dense(32, Activation.RELU),
                new Dense(16, Activation.RELU), new Dense(10, Activation.SOFTMAX));
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        return model;
    }

    private static Tensor[] data(int rows) {
        Random rng = new Random(5);
        Tensor x = Tensor.randomUniform(rng, 0f, 1f, rows, 20);
        Tensor y = Tensor.zeros(rows, 10);
        for (int i = 0; i < rows; i++) {
            y.data()[i * 10 + rng.nextInt(10)] = 1f;
        }
        return new Tensor[] {x, y};
    }
}
