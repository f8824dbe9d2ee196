package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * evaluate and predict keep their buffer pools in the model between calls, so a repeated call on
 * in-memory tensors allocates its result and some bookkeeping (records, iterators, metric and logits
 * entries: about 1.3 KB per 32-row batch), not its activations (about 2.5 MB a call for the report's
 * network at 256-row chunks).
 */
final class EvaluationAllocationTest {

    private static final long LIMIT = 200 * 1024;

    private static long allocated(Runnable call) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long least = Long.MAX_VALUE;
        // The least of a few warm calls: the JIT may still allocate in the first ones.
        for (int attempt = 0; attempt < 5; attempt++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            call.run();
            least = Math.min(least, bean.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }

    @Test
    void repeatedEvaluateAndPredict_reuseTheirBuffers() {
        Sequential model = SequentialTest.reportNetwork(3);
        model.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Random r = new Random(3);
        Tensor x = Tensor.randomUniform(r, 0, 1, 1025, 784);
        int[] labels = new int[1025];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = r.nextInt(10);
        }
        Tensor y = Tensor.oneHot(labels, 10);
        for (int i = 0; i < 20; i++) {
            model.evaluate(x, y);
            model.predict(x);
        }
        Supplier<String> what = () -> "bytes per call, limit " + LIMIT;
        assertThat(allocated(() -> model.evaluate(x, y))).as("evaluate: %s", what.get()).isLessThan(LIMIT);
        // predict returns a new (1025, 10) tensor: 41 KB of it is the result.
        assertThat(allocated(() -> model.predict(x))).as("predict: %s", what.get()).isLessThan(LIMIT);
    }
}
