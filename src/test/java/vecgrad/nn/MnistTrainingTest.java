package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.optim.Adam;

/** fit() on the full MNIST training set, as the report trains it. */
final class MnistTrainingTest {

    @Test
    void fit_fullMnistTwoEpochs_reachesNinetySevenPercentOnTheTestSet() {
        Mnist mnist = MnistFixture.mnist();
        Dataset train = mnist.train();
        Dataset test = mnist.test();
        Sequential model = SequentialTest.reportNetwork(42);
        model.compile(new Adam(1e-3f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        History h = model.fit(train.images(), train.oneHot(10),
                FitOptions.defaults().epochs(2).batchSize(128).validationSplit(0.1).seed(42).verbose(2));
        Evaluation e = model.evaluate(test.images(), test.oneHot(10));
        assertThat(h.last().valAccuracy()).isGreaterThan(0.96);
        assertThat(e.accuracy()).isGreaterThanOrEqualTo(0.97);
    }
}
