package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vecgrad.data.Dataset;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Parallel;
import vecgrad.optim.Adam;

/** Same seed, same weights: run to run, and whatever the number of kernel threads. */
final class DeterminismTest {

    private static float[][] train(int threads) {
        int saved = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            Dataset d = MnistFixture.mnist().train().first(2560);
            Sequential model = SequentialTest.reportNetwork(11);
            model.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
            model.fit(d.images(), d.oneHot(10), FitOptions.defaults().epochs(1).batchSize(128).seed(5).verbose(0));
            float[][] w = new float[model.trainableVariables().size()][];
            for (int i = 0; i < w.length; i++) {
                w[i] = model.trainableVariables().get(i).data().clone();
            }
            return w;
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void fit_givesBitIdenticalWeightsForOneTwoAndThreeThreadsAndAcrossRuns() {
        float[][] one = train(1);
        float[][] two = train(2);
        float[][] three = train(3);
        float[][] twoAgain = train(2);
        for (int i = 0; i < one.length; i++) {
            assertThat(two[i]).as("weight %d, 2 vs 1 threads, kernels %s", i, KernelProvider.get().name()).isEqualTo(one[i]);
            assertThat(three[i]).as("weight %d, 3 vs 1 threads", i).isEqualTo(one[i]);
            assertThat(twoAgain[i]).as("weight %d, run to run", i).isEqualTo(two[i]);
        }
    }
}
