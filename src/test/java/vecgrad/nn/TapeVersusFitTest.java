package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.data.Dataset;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.optim.SGD;
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

    @Test
    void customTapeLoopAndFit_reportTheSameBatchSizeWeightedEpochLossAndAccuracy() {
        // 100 samples in batches of 32: 32, 32, 32 and a last batch of 4, so a mean of the batch means, or a
        // sum without the batch sizes, is far from the mean over samples.
        Tensor[] d = SequentialTest.blobs(100, 5, 31);
        long weightSeed = 3;
        long shuffleSeed = 17;
        int epochs = 3;

        Sequential fitted = SequentialTest.small(weightSeed);
        fitted.compile(new Adam(0.01f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        History history = fitted.fit(d[0], d[1], FitOptions.defaults().epochs(epochs).batchSize(32).seed(shuffleSeed)
                .verbose(2).output(new PrintStream(bytes, true, StandardCharsets.UTF_8)));

        // Keras' epoch loss: each step's loss (before its update) weighted by its batch size, over the samples
        Sequential model = SequentialTest.small(weightSeed);
        Optimizer optimizer = new Adam(0.01f);
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(d[0], d[1], 32, new Random(shuffleSeed));
        double[] expectedLoss = new double[epochs];
        double[] expectedAccuracy = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++) {
            double weighted = 0;
            int correct = 0;
            int seen = 0;
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor p = model.call(b.x());
                    Tensor loss = lossFn.call(b.y(), p);
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                    weighted += (double) loss.item() * b.size();
                    correct += countCorrect(p, b.y());
                    seen += b.size();
                }
            }
            assertThat(seen).isEqualTo(100);
            expectedLoss[epoch] = weighted / seen;
            expectedAccuracy[epoch] = (double) correct / seen;
        }

        assertThat(history.get("loss")).as("History loss per epoch").containsExactly(expectedLoss, within(1e-9));
        assertThat(history.get("accuracy")).as("History accuracy per epoch").containsExactly(expectedAccuracy, within(1e-12));
        String printed = bytes.toString(StandardCharsets.UTF_8);
        for (int epoch = 0; epoch < epochs; epoch++) {
            assertThat(printed).as("the progress line of epoch %d", epoch + 1).contains(String.format(Locale.ROOT, "accuracy: %.4f - loss: %.4f%n",
                    expectedAccuracy[epoch], expectedLoss[epoch]));
        }
    }

    @Test
    void customInOrderLoopAndFitWithoutShuffle_sameStepsSameWeights() {
        // shuffle(false): every epoch in the rows' own order, as Batches.inOrder; onTrainBatchEnd gets the
        // epoch's running loss (mean per sample) and running accuracy, as Keras 3's stateful metrics.
        Tensor[] d = SequentialTest.blobs(70, 5, 8);
        Sequential fitted = SequentialTest.small(6);
        fitted.compile(new SGD(0.1f, 0.9f, false), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<String> steps = new ArrayList<>();
        Callback record = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                steps.add(logs.epoch() + "." + batch + " " + logs.loss() + " " + logs.get("accuracy") + " " + logs.size());
            }
        };
        fitted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).shuffle(false).verbose(0).callbacks(record));

        Sequential model = SequentialTest.small(6);
        Optimizer optimizer = new SGD(0.1f, 0.9f, false);
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = model.trainableVariables();
        List<String> expected = new ArrayList<>();
        Batches batches = Batches.inOrder(d[0], d[1], 16);
        for (int epoch = 1; epoch <= 2; epoch++) {
            double lossSum = 0;
            int correct = 0;
            int seen = 0;
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor p = model.call(b.x());
                    Tensor loss = lossFn.call(b.y(), p);
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                    lossSum += (double) loss.item() * b.size();
                    correct += countCorrect(p, b.y());
                    seen += b.size();
                    expected.add(epoch + "." + b.number() + " " + lossSum / seen + " " + (double) correct / seen
                            + " " + b.size());
                }
            }
        }
        assertThat(steps).containsExactlyElementsOf(expected).hasSize(10);
        for (int i = 0; i < vars.size(); i++) {
            assertThat(fitted.trainableVariables().get(i).data()).as(vars.get(i).name()).isEqualTo(vars.get(i).data());
        }
    }

    /** Rows whose largest prediction is at the label's one. */
    private static int countCorrect(Tensor p, Tensor y) {
        int correct = 0;
        for (int i = 0; i < p.rows(); i++) {
            int best = 0;
            int label = 0;
            for (int j = 1; j < p.cols(); j++) {
                best = p.get(i, j) > p.get(i, best) ? j : best;
                label = y.get(i, j) > y.get(i, label) ? j : label;
            }
            correct += best == label ? 1 : 0;
        }
        return correct;
    }
}
