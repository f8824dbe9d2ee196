package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class BufferPoolTest {

    private static List<Variable> network(long seed) {
        Random rng = new Random(seed);
        int[] widths = {30, 24, 16, 5};
        List<Variable> vars = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            vars.add(Variable.of("W" + (l + 1), Tensor.randomNormal(rng, 0, 0.3f, widths[l], widths[l + 1])));
            vars.add(Variable.of("b" + (l + 1), Tensor.randomNormal(rng, 0, 0.1f, widths[l + 1])));
        }
        return vars;
    }

    /** One SGD step of a 3-layer ReLU network with softmax cross-entropy. */
    private static float step(List<Variable> vars, Tensor x, Tensor y) {
        try (GradientTape tape = new GradientTape()) {
            Tensor a = x;
            for (int l = 0; l < 3; l++) {
                Tensor z = Ops.add(Ops.matmul(a, vars.get(2 * l)), vars.get(2 * l + 1));
                a = l < 2 ? ActivationOps.relu(z) : z;
            }
            Tensor loss = LossOps.softmaxCrossEntropyWithLogits(y, a);
            List<Tensor> grads = tape.gradient(loss, vars);
            for (int i = 0; i < vars.size(); i++) {
                float[] w = vars.get(i).data();
                float[] g = grads.get(i).data();
                for (int j = 0; j < w.length; j++) {
                    w[j] -= 0.1f * g[j];
                }
            }
            return loss.item();
        }
    }

    private static Tensor[] batch(int step, int m) {
        Random rng = new Random(100 + step);
        Tensor x = Tensor.randomNormal(rng, 0, 1, m, 30);
        Tensor y = Tensor.zeros(m, 5);
        for (int i = 0; i < m; i++) {
            y.set(1f, i, rng.nextInt(5));
        }
        return new Tensor[] {x, y};
    }

    @Test
    void enter_givesBitIdenticalTrainingToNoPool() {
        List<Variable> plain = network(1);
        List<Variable> pooled = network(1);
        BufferPool pool = new BufferPool();
        for (int s = 0; s < 6; s++) {
            Tensor[] b = batch(s, 8);
            float lossPlain = step(plain, b[0], b[1]);
            float lossPooled;
            try (BufferPool.Scope scope = pool.enter()) {
                lossPooled = step(pooled, b[0], b[1]);
            }
            assertThat(lossPooled).isEqualTo(lossPlain);
        }
        for (int i = 0; i < plain.size(); i++) {
            assertThat(pooled.get(i).data()).isEqualTo(plain.get(i).data());
        }
    }

    @Test
    void enter_stopsCreatingTensorsOnceStepsRepeat() {
        List<Variable> vars = network(2);
        BufferPool pool = new BufferPool();
        Tensor[] b = batch(0, 16);
        try (BufferPool.Scope scope = pool.enter()) {
            step(vars, b[0], b[1]);
        }
        int afterFirst = pool.tensorsCreated();
        assertThat(afterFirst).isGreaterThan(10);
        for (int s = 0; s < 5; s++) {
            try (BufferPool.Scope scope = pool.enter()) {
                step(vars, b[0], b[1]);
            }
        }
        assertThat(pool.tensorsCreated()).isEqualTo(afterFirst);
    }

    @Test
    void enter_cutsTheBytesAllocatedPerStep() {
        java.util.function.LongSupplier allocated = AllocationCounter.currentThread();
        assumeTrue(allocated != null, "per-thread allocation counters are not available on this JVM");
        List<Variable> vars = network(3);
        Tensor[] b = batch(0, 256);
        BufferPool pool = new BufferPool();
        // Vector API kernels allocate until C2 has compiled them: compare rounds until the pooled step is
        // lean, for up to 20 s.
        long plain = 0;
        long pooled = Long.MAX_VALUE;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (pooled >= plain / 8 && System.nanoTime() < deadline) {
            long t0 = allocated.getAsLong();
            for (int s = 0; s < 20; s++) {
                step(vars, b[0], b[1]);
            }
            long t1 = allocated.getAsLong();
            for (int s = 0; s < 20; s++) {
                try (BufferPool.Scope scope = pool.enter()) {
                    step(vars, b[0], b[1]);
                }
            }
            long t2 = allocated.getAsLong();
            plain = (t1 - t0) / 20;
            pooled = (t2 - t1) / 20;
        }
        // The forward tensors of 256 rows alone are 4·256·(3·24 + 3·16 + 2·5) = 133,120 bytes (matmul,
        // add and relu per hidden layer, matmul and add at the top), the gradients 5 KB more; what remains
        // with a pool is bookkeeping: tape nodes, closures, shape arrays.
        assertThat(plain).isGreaterThan(4L * 256 * (3 * 24 + 3 * 16 + 2 * 5));
        assertThat(pooled).as("bytes per pooled step (plain: %d)", plain).isLessThan(plain / 8);
    }

    @Test
    void enter_nestsAcrossPoolsButNotTwiceOnOne() {
        BufferPool outer = new BufferPool();
        BufferPool inner = new BufferPool();
        Tensor x = Tensor.ones(2, 2);
        try (BufferPool.Scope a = outer.enter()) {
            ActivationOps.relu(x);
            try (BufferPool.Scope b = inner.enter()) {
                ActivationOps.relu(x);
                ActivationOps.relu(x);
            }
            ActivationOps.relu(x);
            assertThatThrownBy(outer::enter).isInstanceOf(IllegalStateException.class).hasMessageContaining("already has an open scope");
        }
        assertThat(outer.tensorsCreated()).isEqualTo(2);
        assertThat(inner.tensorsCreated()).isEqualTo(2);
        ActivationOps.relu(x);
        assertThat(outer.tensorsCreated()).isEqualTo(2);
    }
}
