package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adagrad;
import vecgrad.optim.Adam;
import vecgrad.optim.AdamW;
import vecgrad.optim.Adamax;
import vecgrad.optim.CosineDecay;
import vecgrad.optim.CosineDecayRestarts;
import vecgrad.optim.ExponentialDecay;
import vecgrad.optim.InverseTimeDecay;
import vecgrad.optim.Nadam;
import vecgrad.optim.Optimizer;
import vecgrad.optim.PiecewiseConstantDecay;
import vecgrad.optim.PolynomialDecay;
import vecgrad.optim.RMSprop;
import vecgrad.optim.SGD;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * For every optimizer (with clipping, weight decay and each schedule somewhere among them), a custom
 * GradientTape loop written as README shows and {@code fit} end with bit-identical weights, on 1 and 2
 * kernel threads, and the weights do not depend on the thread count.
 */
final class OptimizerTapeVersusFitTest {

    static Stream<Supplier<Optimizer>> optimizers() {
        return Stream.of(
                () -> SGD.builder().learningRate(0.05).momentum(0.9).nesterov(true).clipnorm(1.0).build(),
                () -> SGD.builder().learningRate(new PiecewiseConstantDecay(new long[] {5}, new double[] {0.1, 0.05}))
                        .build(),
                () -> Adam.builder().amsgrad(true).clipvalue(0.01)
                        .learningRate(new ExponentialDecay(1e-3, 10, 0.5, true)).build(),
                () -> AdamW.builder().globalClipnorm(1.0).learningRate(new CosineDecay(0, 10, 0.1, 2e-3, 4)).build(),
                () -> RMSprop.builder().centered(true).momentum(0.5).learningRate(new InverseTimeDecay(1e-3, 5, 0.5, false))
                        .build(),
                () -> Adagrad.builder().learningRate(new PolynomialDecay(0.05, 12, 0.01, 2, true)).build(),
                () -> Nadam.builder().learningRate(new CosineDecayRestarts(2e-3, 4)).weightDecay(0.01).build(),
                Adamax::new);
    }

    private static float[][] train(Supplier<Optimizer> make, boolean fit, int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Dataset d = MnistFixture.mnist().train().first(1280);
            Tensor x = d.images();
            Tensor y = d.oneHot(10);
            Sequential model = SequentialTest.reportNetwork(21);
            Optimizer optimizer = make.get();
            if (fit) {
                model.compile(optimizer, Loss.categoricalCrossentropy(), Metric.ACCURACY);
                model.fit(x, y, FitOptions.defaults().epochs(2).batchSize(128).seed(9).verbose(0));
            } else {
                Loss lossFn = Loss.categoricalCrossentropy();
                List<Variable> vars = model.trainableVariables();
                Batches batches = Batches.shuffled(x, y, 128, new Random(9));
                for (int epoch = 0; epoch < 2; epoch++) {
                    for (Batches.Batch b : batches) {
                        try (GradientTape tape = new GradientTape()) {
                            Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                            optimizer.applyGradients(tape.gradient(loss, vars), vars);
                        }
                    }
                }
            }
            assertThat(optimizer.iterations()).isEqualTo(20);
            float[][] w = new float[model.trainableVariables().size()][];
            for (int i = 0; i < w.length; i++) {
                w[i] = model.trainableVariables().get(i).data().clone();
            }
            return w;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @ParameterizedTest
    @MethodSource("optimizers")
    void customTapeLoopAndFit_bitIdenticalOnOneAndTwoThreads(Supplier<Optimizer> make) {
        float[][] reference = train(make, false, 1);
        String what = make.get().toString();
        for (int threads = 1; threads <= 2; threads++) {
            float[][] fitted = train(make, true, threads);
            float[][] tape = threads == 1 ? reference : train(make, false, threads);
            for (int i = 0; i < reference.length; i++) {
                assertThat(fitted[i]).as("%s: fit vs tape, weight %d, %d threads", what, i, threads).isEqualTo(tape[i]);
                assertThat(tape[i]).as("%s: %d threads vs 1, weight %d", what, threads, i).isEqualTo(reference[i]);
            }
        }
        float[] initial = SequentialTest.reportNetwork(21).trainableVariables().get(0).data();
        assertThat(reference[0]).as("training moved the weights").isNotEqualTo(initial);
    }
}
