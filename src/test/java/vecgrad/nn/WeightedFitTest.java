package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Class weights with the built-in losses (the fused softmax path and binary cross-entropy on a sigmoid
 * output): fit trains exactly as a custom loop that passes each batch's weights to the loss.
 */
final class WeightedFitTest {

    private static final Map<Integer, Double> CLASS_WEIGHTS = Map.of(0, 0.5, 1, 2.0, 2, 1.25);

    @Test
    void classWeights_categoricalCrossentropyOnSoftmax_sameAsAWeightedCustomLoop() {
        Tensor[] d = SequentialTest.blobs(96, 5, 4);
        Sequential fitted = SequentialTest.small(3);
        fitted.compile(new Adam(0.01f), Loss.categoricalCrossentropy());
        fitted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0)
                .classWeights(CLASS_WEIGHTS));

        Sequential looped = SequentialTest.small(3);
        Adam adam = new Adam(0.01f);
        Loss loss = Loss.categoricalCrossentropy();
        List<Variable> vars = looped.trainableVariables();
        Batches batches = Batches.shuffled(d[0], d[1], 16, new Random(5));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batches.Batch b : batches) {
                float[] w = new float[b.size()];
                for (int i = 0; i < w.length; i++) {
                    int label = 0;
                    for (int j = 1; j < 3; j++) {
                        label = b.y().get(i, j) > b.y().get(i, label) ? j : label;
                    }
                    w[i] = CLASS_WEIGHTS.get(label).floatValue();
                }
                try (GradientTape tape = new GradientTape()) {
                    Tensor l = loss.call(b.y(), looped.call(b.x(), true), Tensor.of(w, w.length));
                    adam.applyGradients(tape.gradient(l, vars), vars);
                }
            }
        }
        for (int i = 0; i < vars.size(); i++) {
            assertThat(fitted.trainableVariables().get(i).data()).as(vars.get(i).name()).isEqualTo(vars.get(i).data());
        }
        Sequential unweighted = SequentialTest.small(3);
        unweighted.compile(new Adam(0.01f), Loss.categoricalCrossentropy());
        unweighted.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(16).seed(5).verbose(0));
        assertThat(unweighted.trainableVariables().get(0).data()).isNotEqualTo(vars.get(0).data());
    }

    @Test
    void sampleWeightsOfOne_binaryCrossentropyOnSigmoid_sameAsNoWeights() {
        Random rng = new Random(2);
        float[][] points = new float[64][];
        int[] labels = new int[64];
        for (int i = 0; i < 64; i++) {
            points[i] = new float[] {(float) rng.nextGaussian(), (float) rng.nextGaussian()};
            labels[i] = points[i][0] > points[i][1] ? 1 : 0;
        }
        Tensor x = Tensor.of(points);
        Tensor y = Tensor.ofLabels(labels).reshape(64, 1);
        Sequential a = new Sequential(2, 1, new Dense(4, Activation.TANH), new Dense(1, Activation.SIGMOID));
        a.compile(new Adam(0.05f), Loss.binaryCrossentropy(), Metric.ACCURACY);
        a.fit(x, y, FitOptions.defaults().epochs(3).batchSize(8).verbose(0).sampleWeights(Tensor.ones(64)));
        Sequential b = new Sequential(2, 1, new Dense(4, Activation.TANH), new Dense(1, Activation.SIGMOID));
        b.compile(new Adam(0.05f), Loss.binaryCrossentropy(), Metric.ACCURACY);
        b.fit(x, y, FitOptions.defaults().epochs(3).batchSize(8).verbose(0));
        for (int i = 0; i < a.variables().size(); i++) {
            assertThat(a.variables().get(i).data()).isEqualTo(b.variables().get(i).data());
        }
    }
}
