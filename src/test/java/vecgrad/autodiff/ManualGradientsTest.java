package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import vecgrad.testing.ChildJava;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class ManualGradientsTest {

    private final GradientChecker checker = new GradientChecker(99L);

    /** The inputs for {@link Ref#mlpLoss}: x, y, then the variables. */
    private static Tensor[] inputs(Tensor x, Tensor y, TestNetwork net) {
        List<Tensor> in = new ArrayList<>(List.of(x, y));
        in.addAll(net.variables);
        return in.toArray(new Tensor[0]);
    }

    private static boolean[] variablesOnly(int count) {
        boolean[] d = new boolean[count];
        for (int i = 2; i < count; i++) {
            d[i] = true;
        }
        return d;
    }

    @Test
    void compute_threeHiddenLayers_matchesFiniteDifferences() {
        TestNetwork net = new TestNetwork(1L, 7, 6, 5, 4, 3);
        int m = 5;
        Tensor x = checker.uniform(-1, 1, m, 7);
        Tensor y = checker.oneHot(m, 3);
        ManualGradients manual = new ManualGradients(net.variables);

        float loss = manual.compute(x, y);

        Tensor[] in = inputs(x, y, net);
        double expectedLoss = Ref.mlpLoss(GradientChecker.toDouble(in), m, net.widths)[0];
        assertThat((double) loss).isCloseTo(expectedLoss, org.assertj.core.data.Offset.offset(1e-5 * expectedLoss));
        List<Tensor> grads = new ArrayList<>();
        grads.add(null);
        grads.add(null);
        grads.addAll(manual.gradients());
        GradientChecker.compareWithFiniteDifferences("manual gradients 7-6-5-4-3", grads,
                r -> Ref.mlpLoss(r, m, net.widths), new double[] {1}, variablesOnly(in.length), in);
    }

    @Test
    void tape_threeHiddenLayers_matchesFiniteDifferences() {
        for (int m : new int[] {1, 6}) {
            TestNetwork net = new TestNetwork(2L + m, 5, 9, 4, 6, 3);
            Tensor x = checker.uniform(-1, 1, m, 5);
            Tensor y = checker.oneHot(m, 3);
            Tensor[] in = inputs(x, y, net);
            checker.check("tape 5-9-4-6-3, batch " + m, v -> net.loss(v[0], v[1]), r -> Ref.mlpLoss(r, m, net.widths),
                    variablesOnly(in.length), in);
        }
    }

    @Test
    void compute_sameKernelsAsTape_bitIdentical() {
        // The report's network. Both paths run matmul, addRowVector, relu and softmaxRows forward, and
        // matmulTransA, columnSums, matmulTransB and reluBackward backward, on the same values in the
        // same order; the loss rule computes ((p − y)·g)/m, which with the default seed g = 1 is exactly
        // the hand-derived (p − y)/m. So every float is the same: equality is exact.
        TestNetwork net = new TestNetwork(3L, 784, 256, 128, 64, 10);
        ManualGradients manual = new ManualGradients(net.variables);
        for (int m : new int[] {128, 37}) {
            Tensor x = checker.uniform(0, 1, m, 784);
            Tensor y = checker.oneHot(m, 10);
            float manualLoss = manual.compute(x, y);
            List<Tensor> tapeGrads;
            float tapeLoss;
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = net.loss(x, y);
                tapeGrads = tape.gradient(loss, net.variables);
                tapeLoss = loss.item();
            }
            assertThat(Float.floatToRawIntBits(manualLoss)).as("loss, batch %d", m)
                    .isEqualTo(Float.floatToRawIntBits(tapeLoss));
            for (int i = 0; i < tapeGrads.size(); i++) {
                Tensor expected = tapeGrads.get(i);
                Tensor actual = manual.gradients().get(i);
                assertThat(actual.contentEquals(expected))
                        .as("d%s, batch %d: manual %s, tape %s", net.variables.get(i).name(), m, actual, expected).isTrue();
            }
            assertThat(manual.probabilities().contentEquals(softmaxOfLogits(net, x))).isTrue();
        }
    }

    @Test
    void compute_sameBatchSize_allocatesNothing() throws Exception {
        // Measured in a child JVM. A JVM that has built SIMD kernels of several vector widths (the kernel
        // tests do, and `mvn test -Dtest=...` can put them in this JVM) compiles the Vector API calls
        // without a constant species, and then the kernels themselves allocate on every call (see
        // SimdWidth): that would fail this test for a reason that is not ManualGradients'. The child uses
        // one width only, as a program does, with this JVM's kernel settings.
        List<String> options = new ArrayList<>();
        if (KernelProvider.vectorModulePresent()) {
            options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("vecgrad.")) {
                options.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        // Up to three child JVMs, as KernelAllocationTest: C2 now and then leaves a Vector API kernel on
        // its allocating path for a JVM's whole life; per-step allocation by ManualGradients would show
        // in every JVM.
        StringBuilder outputs = new StringBuilder();
        for (int jvm = 1; jvm <= 3; jvm++) {
            ChildJava.Result child = ChildJava.run(ChildJava.testClassPath(), options, AllocationProbe.class.getName(),
                    Duration.ofSeconds(60), List.of());
            String output = child.output();
            assumeFalse(output.contains(AllocationProbe.NO_COUNTER), output);
            outputs.append("JVM ").append(jvm).append(": ").append(output);
            if (output.contains(AllocationProbe.ZERO)) {
                assertThat(child.status()).as(output).isZero();
                return;
            }
        }
        assertThat(outputs.toString()).as("the child JVMs' reports").contains(AllocationProbe.ZERO);
    }

    /** The child JVM of {@link #compute_sameBatchSize_allocatesNothing}. */
    static final class AllocationProbe {
        static final String NO_COUNTER = "per-thread allocation counters are not available on this JVM";
        static final String ZERO = "zero-allocation round";

        public static void main(String[] args) {
            LongSupplier allocatedBytes = AllocationCounter.currentThread();
            if (allocatedBytes == null) {
                System.out.println(NO_COUNTER);
                return;
            }
            GradientChecker checker = new GradientChecker(99L);
            TestNetwork net = new TestNetwork(4L, 30, 20, 15, 10, 5);
            ManualGradients manual = new ManualGradients(net.variables);
            Tensor x = checker.uniform(0, 1, 16, 30);
            Tensor y = checker.oneHot(16, 5);
            Tensor xSmall = checker.uniform(0, 1, 9, 30);
            Tensor ySmall = checker.oneHot(9, 5);
            float sink = 0;
            // The first calls allocate (buffers); Vector API code also allocates until C2 has compiled it,
            // which takes a while: measure rounds of 50 steps until one allocates nothing, for up to 20 s.
            long allocated = Long.MAX_VALUE;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (allocated != 0 && System.nanoTime() < deadline) {
                long before = allocatedBytes.getAsLong();
                for (int i = 0; i < 50; i++) {
                    sink += manual.compute(x, y) + manual.compute(xSmall, ySmall);
                }
                long after = allocatedBytes.getAsLong();
                long counterCost = allocatedBytes.getAsLong() - after;     // the reflective read itself may box
                allocated = after - before - counterCost;
            }
            String kernels = KernelProvider.get().name();
            if (allocated == 0 && Float.isFinite(sink)) {
                System.out.println(ZERO + " of 100 steps alternating two batch sizes, kernels " + kernels);
            } else {
                System.out.println(allocated + " bytes allocated by the last 100 steps alternating two batch sizes"
                        + " (losses sum to " + sink + "), kernels " + kernels);
                System.exit(1);
            }
        }
    }

    @Test
    void compute_batchSizeChanges_matchesFreshInstance() {
        TestNetwork net = new TestNetwork(5L, 12, 8, 7, 6, 4);
        ManualGradients reused = new ManualGradients(net.variables);
        for (int m : new int[] {8, 3, 8, 1, 11, 2, 3}) {       // more sizes than are kept
            Tensor x = checker.uniform(-1, 1, m, 12);
            Tensor y = checker.oneHot(m, 4);
            ManualGradients fresh = new ManualGradients(net.variables);
            assertThat(reused.compute(x, y)).isEqualTo(fresh.compute(x, y));
            for (int i = 0; i < net.variables.size(); i++) {
                assertThat(reused.gradients().get(i).contentEquals(fresh.gradients().get(i))).as("batch %d", m).isTrue();
            }
            assertThat(reused.probabilities().shape()).containsExactly(m, 4);
        }
    }

    @Test
    void gradients_sameTensorsEveryCall_withVariableShapes() {
        TestNetwork net = new TestNetwork(6L, 4, 3, 2);
        ManualGradients manual = new ManualGradients(net.variables);
        List<Tensor> first = manual.gradients();
        manual.compute(checker.uniform(-1, 1, 2, 4), checker.oneHot(2, 2));
        assertThat(manual.gradients()).isSameAs(first);
        assertThat(manual.variables()).containsExactlyElementsOf(net.variables);
        for (int i = 0; i < first.size(); i++) {
            assertThat(first.get(i).shape()).containsExactly(net.variables.get(i).shape());
            assertThat(first.get(i)).isNotInstanceOf(Variable.class);
        }
    }

    @Test
    void constructor_badVariables_throw() {
        Variable w1 = Variable.of("W1", Tensor.zeros(4, 3));
        Variable b1 = Variable.of("b1", Tensor.zeros(3));
        Variable w2 = Variable.of("W2", Tensor.zeros(5, 2));
        Variable b2 = Variable.of("b2", Tensor.zeros(2));
        assertThatThrownBy(() -> new ManualGradients(List.of(w1, b1, w2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 3");
        assertThatThrownBy(() -> new ManualGradients(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new ManualGradients(List.of(w1, b1, w2, b2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(3, units)").hasMessageContaining("(5, 2)");
        assertThatThrownBy(() -> new ManualGradients(List.of(w1, b2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b2 of shape (3)")
                .hasMessageContaining("got (2)");
        assertThatThrownBy(() -> new ManualGradients(List.of(b1, b1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rank 2");
        assertThatThrownBy(() -> new ManualGradients(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void compute_badShapes_throw() {
        TestNetwork net = new TestNetwork(7L, 4, 3, 2);
        ManualGradients manual = new ManualGradients(net.variables);
        assertThatThrownBy(manual::probabilities).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> manual.compute(Tensor.zeros(2, 5), Tensor.zeros(2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(m, 4)").hasMessageContaining("(2, 5)");
        assertThatThrownBy(() -> manual.compute(Tensor.zeros(0, 4), Tensor.zeros(0, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("m >= 1");
        assertThatThrownBy(() -> manual.compute(Tensor.zeros(2, 4), Tensor.zeros(3, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2, 2)").hasMessageContaining("(3, 2)");
        assertThatThrownBy(() -> manual.compute(null, Tensor.zeros(2, 2))).isInstanceOf(NullPointerException.class);
    }

    private static Tensor softmaxOfLogits(TestNetwork net, Tensor x) {
        Tensor logits = net.logits(x);
        return ActivationOps.softmax(logits);
    }
}
