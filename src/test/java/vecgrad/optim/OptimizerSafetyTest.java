package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Every optimizer refuses non-finite steps and concurrent steps, instead of corrupting the weights. */
final class OptimizerSafetyTest {

    static Stream<Supplier<Optimizer>> optimizers() {
        return Stream.of(() -> new Adam(1e-3f), () -> new SGD(0.1f), () -> new SGD(0.1f, 0.9f, false),
                () -> new SGD(0.1f, 0.9f, true), () -> Adam.builder().amsgrad(true).clipnorm(1).build(), AdamW::new,
                () -> RMSprop.builder().centered(true).momentum(0.5).build(), Adagrad::new, Nadam::new, Adamax::new);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void applyGradients_nonFiniteGradient_refusedBeforeAnyVariableChanges(Supplier<Optimizer> make) {
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            Optimizer opt = make.get();
            Variable a = Variable.of("a", Tensor.of(new float[] {1f, 2f, 3f}, 3));
            Variable b = Variable.of("b", Tensor.of(new float[] {4f, 5f}, 2));
            opt.applyGradients(List.of(Tensor.ones(3), Tensor.ones(2)), List.of(a, b));
            float[] aBefore = a.data().clone();
            float[] bBefore = b.data().clone();
            Tensor badGrad = Tensor.of(new float[] {0.5f, bad}, 2);
            NonFiniteException e = catchThrowableOfType(
                    () -> opt.applyGradients(List.of(Tensor.ones(3), badGrad), List.of(a, b)), NonFiniteException.class);
            assertThat(e.getMessage()).endsWith(" step 2: the gradient of b has 1 non-finite value (the first, " + bad
                    + ", at index 1); no variable was updated");
            assertThat(a.data()).as("a comes first but is not updated either").isEqualTo(aBefore);
            assertThat(b.data()).isEqualTo(bBefore);
            assertThat(opt.iterations()).isEqualTo(1);
        }
    }

    static Stream<Optimizer> hugeRates() {
        return Stream.of(new Adam(1e38f), new SGD(1e38f), new SGD(1e38f, 0.9f, false), new SGD(1e38f, 0.9f, true),
                RMSprop.builder().learningRate(1e38).build(), Adagrad.builder().learningRate(1e38).build(),
                Nadam.builder().learningRate(1e38).build(), Adamax.builder().learningRate(1e38).build(),
                AdamW.builder().learningRate(1e38).weightDecay(0).build());
    }

    @ParameterizedTest
    @MethodSource("hugeRates")
    void applyGradients_updateOverflows_namesTheVariable(Optimizer opt) {
        // Every first step moves a weight with gradient -1 up by about 1e38 (Adam: by lr), past the largest float.
        Variable w = Variable.of("w", Tensor.of(new float[] {Float.MAX_VALUE, -1f, Float.MAX_VALUE}, 3));
        Tensor g = Tensor.of(new float[] {-1f, 0f, -1f}, 3);
        NonFiniteException e = catchThrowableOfType(() -> opt.applyGradients(List.of(g), List.of(w)),
                NonFiniteException.class);
        assertThat(e.getMessage()).endsWith(" step 1: w after the update has 2 non-finite values (the first, Infinity,"
                + " at index 0); the gradients were finite: the update overflowed (learning rate 1.0E38)");
        assertThat(opt.iterations()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void applyGradients_fromTwoThreads_refusedNotLost(Supplier<Optimizer> make) throws Exception {
        Optimizer opt = make.get();
        // Large enough that a step takes a while, so the two threads' steps overlap.
        Variable w = Variable.of("w", Tensor.zeros(1 << 20));
        Tensor g = Tensor.filled(1e-3f, 1 << 20);
        int stepsEach = 200;
        AtomicInteger applied = new AtomicInteger();
        List<Throwable> refused = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(2);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int s = 0; s < stepsEach; s++) {
                    try {
                        opt.applyGradients(List.of(g), List.of(w));
                        applied.incrementAndGet();
                    } catch (IllegalStateException e) {
                        synchronized (refused) {
                            refused.add(e);
                        }
                    }
                }
            }, "trainer-" + t));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(refused).as("overlapping steps are refused").isNotEmpty();
        assertThat(refused.get(0)).hasMessageContaining("a step of this optimizer is already running on thread 'trainer-")
                .hasMessageContaining("not thread-safe");
        assertThat(opt.iterations()).as("no update lost").isEqualTo(applied.get());
        assertThat(applied.get() + refused.size()).isEqualTo(2 * stepsEach);
    }
}
