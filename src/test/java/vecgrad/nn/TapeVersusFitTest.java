package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** The report's claim, made exact: a custom GradientTape loop and fit() are the same backpropagation. */
final class TapeVersusFitTest {

    @Test
    void customTapeLoopAndFit_endWithBitIdenticalWeights() {
        Dataset train = MnistFixture.mnist().train().first(3000);
        Tensor x = train.images();
        Tensor y = train.oneHot(10);
        long weightSeed = 42;
        long shuffleSeed = 7;
        int epochs = 2;

        // Model.fit
        Sequential fitted = SequentialTest.reportNetwork(weightSeed);
        fitted.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        fitted.fit(x, y, FitOptions.defaults().epochs(epochs).batchSize(128).seed(shuffleSeed).verbose(0));

        // The same training as a custom loop: the report's section 5
        Sequential model = SequentialTest.reportNetwork(weightSeed);
        Optimizer optimizer = new Adam(1e-3f);
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(x, y, 128, new Random(shuffleSeed));
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                }
            }
        }

        assertThat(optimizer.iterations()).isEqualTo(fitted.optimizer().iterations()).isEqualTo(2 * 24);
        for (int i = 0; i < vars.size(); i++) {
            assertThat(vars.get(i).data()).as(vars.get(i).name()).isEqualTo(fitted.trainableVariables().get(i).data());
        }
        // and training did move the weights
        assertThat(vars.get(0).data()).isNotEqualTo(SequentialTest.reportNetwork(weightSeed).trainableVariables().get(0).data());
    }
}
