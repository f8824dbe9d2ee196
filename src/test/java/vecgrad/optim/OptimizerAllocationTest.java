package vecgrad.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Parallel;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;
import vecgrad.testing.ChildJava;

/**
 * A step allocates nothing once every variable has been seen, clipping and schedules included.
 *
 * <p>Measured in child JVMs, up to three, as KernelAllocationTest does: now and then C2 leaves one
 * Vector API kernel (these updates run on them) on its allocating path for the whole life of a JVM.
 * An optimizer that allocates per step does so in every JVM and still fails; what is forgiven is a
 * compilation outcome, not an allocation.
 */
final class OptimizerAllocationTest {

    /** The optimizers measured, by name: every one, with clipping and schedules among them. */
    static Map<String, Supplier<Optimizer>> optimizers() {
        Map<String, Supplier<Optimizer>> all = new LinkedHashMap<>();
        all.put("SGD nesterov clipvalue", () -> SGD.builder().momentum(0.9).nesterov(true).clipvalue(1).build());
        all.put("Adam amsgrad clipnorm", () -> Adam.builder().amsgrad(true).clipnorm(1).build());
        all.put("AdamW globalClipnorm CosineDecay",
                () -> AdamW.builder().globalClipnorm(1).learningRate(new CosineDecay(0, 1000, 0, 1e-3, 100)).build());
        all.put("RMSprop centered momentum", () -> RMSprop.builder().centered(true).momentum(0.9).build());
        all.put("Adagrad", Adagrad::new);
        all.put("Nadam ExponentialDecay", () -> Nadam.builder().learningRate(new ExponentialDecay(1e-3, 100, 0.9)).build());
        all.put("Adamax", Adamax::new);
        return all;
    }

    @Test
    void applyGradients_allocatesNothingOnceEveryVariableIsSeen() throws Exception {
        List<String> options = new ArrayList<>();
        if (KernelProvider.vectorModulePresent()) {
            options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        }
        StringBuilder outputs = new StringBuilder();
        for (int jvm = 1; jvm <= 3; jvm++) {
            ChildJava.Result child = ChildJava.run(ChildJava.testClassPath(), options, Probe.class.getName(),
                    Duration.ofSeconds(120), List.of());
            assertThat(child.status()).as(child.output()).isZero();
            outputs.append("JVM ").append(jvm).append(":\n").append(child.output());
            if (child.out().lines().filter(l -> l.startsWith("bytes ")).count() == optimizers().size()
                    && child.out().lines().filter(l -> l.startsWith("bytes ")).allMatch(l -> l.endsWith(" 0"))) {
                return;
            }
        }
        assertThat(outputs.toString()).as("every optimizer allocated nothing over 1000 steps in one JVM:%n%s", outputs)
                .doesNotContainPattern("bytes .* [1-9][0-9]*\\n");
    }

    /** The child: per optimizer, warms up, then prints {@code bytes NAME COUNT} for 1000 steps (0 under 1 KiB). */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Method counter = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
            // Two threads, and a variable large enough that its update is split over them (SimdKernels).
            Parallel.setThreads(2);
            for (Map.Entry<String, Supplier<Optimizer>> e : optimizers().entrySet()) {
                List<Variable> vars = List.of(Variable.of("W", Tensor.ones(64, 32)), Variable.of("b", Tensor.ones(32)),
                        Variable.of("big", Tensor.ones(160, 128)));
                List<Tensor> grads = List.of(Tensor.filled(0.5f, 64, 32), Tensor.filled(-0.25f, 32),
                        Tensor.filled(0.125f, 160, 128));
                Optimizer opt = e.getValue().get();
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
                System.out.println("bytes " + e.getKey() + " " + (allocated < 1024 ? 0 : allocated));
            }
        }
    }
}
