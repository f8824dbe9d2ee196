package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** A step allocates nothing once every variable has been seen, clipping and schedules included. */
final class OptimizerAllocationTest {

    static Stream<Supplier<Optimizer>> optimizers() {
        return Stream.of(() -> SGD.builder().momentum(0.9).nesterov(true).clipvalue(1).build(),
                () -> Adam.builder().amsgrad(true).clipnorm(1).build(),
                () -> AdamW.builder().globalClipnorm(1).learningRate(new CosineDecay(0, 1000, 0, 1e-3, 100)).build(),
                () -> RMSprop.builder().centered(true).momentum(0.9).build(), Adagrad::new,
                () -> Nadam.builder().learningRate(new ExponentialDecay(1e-3, 100, 0.9)).build(), Adamax::new);
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void applyGradients_allocatesNothingOnceEveryVariableIsSeen(Supplier<Optimizer> make) throws Exception {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Method counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        List<Variable> vars = List.of(Variable.of("W", Tensor.ones(64, 32)), Variable.of("b", Tensor.ones(32)));
        List<Tensor> grads = List.of(Tensor.filled(0.5f, 64, 32), Tensor.filled(-0.25f, 32));
        Optimizer opt = make.get();
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && allocated >= 1024; attempt++) {   // JIT: a few tries
            for (int i = 0; i < 10_000; i++) {
                opt.applyGradients(grads, vars);
            }
            long before = (Long) counter.invoke(bean);
            for (int i = 0; i < 1000; i++) {
                opt.applyGradients(grads, vars);
            }
            long after = (Long) counter.invoke(bean);
            long readCost = (Long) counter.invoke(bean) - after;
            allocated = after - before - readCost;
        }
        assertThat(allocated).as("bytes allocated by 1000 steps of " + opt).isLessThan(1024);
    }
}
