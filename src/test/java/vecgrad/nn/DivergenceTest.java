package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.optim.Adam;
import vecgrad.optim.SGD;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Training never goes on silently with a non-finite loss, gradient or weight. */
final class DivergenceTest {

    /** 40 samples, batch 8 in order: a NaN in row 20 reaches the model in step 3 of epoch 1. */
    private static Tensor[] dataWithNaNInRow20() {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        d[0].set(Float.NaN, 20, 2);
        return d;
    }

    private static List<float[]> weights(Sequential m) {
        List<float[]> copies = new ArrayList<>();
        m.trainableVariables().forEach(v -> copies.add(v.data().clone()));
        return copies;
    }

    @Test
    void fit_nonFiniteLoss_throwsAtThatStepWithTheWeightsOfTheStepBefore() {
        Tensor[] d = dataWithNaNInRow20();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<float[]> afterStep2 = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                steps.add(batch);
                if (batch == 2) {
                    afterStep2.addAll(weights(m));
                }
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NonFiniteException e = catchThrowableOfType(() -> m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(8)
                .shuffle(false).callbacks(spy).output(new PrintStream(out, true, StandardCharsets.UTF_8))),
                NonFiniteException.class);
        assertThat(e).hasMessage("epoch 1, step 3: the loss is NaN");
        assertThat(e.tensor()).isEqualTo("the loss");
        assertThat(steps).containsExactly(1, 2, 3);
        assertThat(m.optimizer().iterations()).as("the NaN step was not applied").isEqualTo(2);
        List<float[]> now = weights(m);
        for (int i = 0; i < now.size(); i++) {
            assertThat(now.get(i)).as("weights are those after step 2").isEqualTo(afterStep2.get(i));
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("the loss became NaN at epoch 1, step 3");
    }

    @Test
    void fit_nonFiniteLossQuiet_stillThrows() {
        Tensor[] d = dataWithNaNInRow20();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy());
        NonFiniteException e = catchThrowableOfType(() -> m.fit(d[0], d[1], FitOptions.defaults().epochs(1).batchSize(8)
                .shuffle(false).verbose(0)), NonFiniteException.class);
        assertThat(e).hasMessageStartingWith("epoch 1, step 3: ");
    }

    @Test
    void fit_terminateOnNaN_stopsAtTheStepWhereItFires() {
        Tensor[] d = dataWithNaNInRow20();
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        TerminateOnNaN t = new TerminateOnNaN();
        List<Integer> steps = new ArrayList<>();
        List<Integer> epochsEnded = new ArrayList<>();
        Callback spy = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                steps.add(batch);
            }

            @Override
            public void onEpochEnd(EpochLogs logs) {
                epochsEnded.add(logs.epoch());
            }
        };
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(8).shuffle(false).verbose(0)
                .callbacks(t, spy));
        assertThat(t.where()).isEqualTo("epoch 1, step 3");
        assertThat(steps).as("no step after the one where it fired").containsExactly(1, 2, 3);
        assertThat(epochsEnded).containsExactly(1);
        assertThat(h.epochs()).hasSize(1);
        assertThat(m.optimizer().iterations()).isEqualTo(2);
        for (float[] w : weights(m)) {
            for (float v : w) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void fit_stopTrainingFromABatch_stopsAfterThatBatchAndEndsTheEpoch() {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        Sequential m = SequentialTest.small(1);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        List<Integer> steps = new ArrayList<>();
        Callback stopAt2 = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                steps.add(batch);
                if (batch == 2) {
                    m.stopTraining();
                }
            }
        };
        History h = m.fit(d[0], d[1], FitOptions.defaults().epochs(4).batchSize(8).verbose(0).callbacks(stopAt2));
        assertThat(steps).containsExactly(1, 2);
        assertThat(h.epochs()).hasSize(1);
        assertThat(m.optimizer().iterations()).isEqualTo(2);
    }

    @Test
    void fit_updateOverflows_namesTheVariableEpochAndStep() {
        Tensor[] d = SequentialTest.blobs(40, 5, 3);
        for (int i = 0; i < d[0].size(); i++) {
            d[0].data()[i] *= 1e20f;
        }
        Sequential m = SequentialTest.small(1);
        // Inputs of 1e20 keep the loss (about 1e20) and the gradients finite, but a rate of 1e20 times a
        // first-layer gradient of about 1e20 is past the largest float.
        m.compile(new SGD(1e20f), Loss.categoricalCrossentropy());
        NonFiniteException e = catchThrowableOfType(() -> m.fit(d[0], d[1], FitOptions.defaults().epochs(1).batchSize(8)
                .shuffle(false).verbose(0)), NonFiniteException.class);
        String first = m.trainableVariables().get(0).name();
        assertThat(e).hasMessageStartingWith("epoch 1, step 1: SGD step 1: " + first + " after the update has ")
                .hasMessageContaining("the gradients were finite");
    }

    @Test
    void customLoop_nonFiniteLoss_theOptimizerRefusesTheStep() {
        Tensor[] d = dataWithNaNInRow20();
        Sequential m = SequentialTest.small(1);
        Adam adam = new Adam();
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = m.trainableVariables();
        NonFiniteException thrown = null;
        List<float[]> before = null;
        for (Batches.Batch b : Batches.inOrder(d[0], d[1], 8)) {
            before = weights(m);
            try (GradientTape tape = new GradientTape()) {
                Tensor loss = lossFn.call(b.y(), m.call(b.x()));
                adam.applyGradients(tape.gradient(loss, vars), vars);
            } catch (NonFiniteException e) {
                thrown = e;
                break;
            }
        }
        assertThat(thrown).isNotNull();
        assertThat(thrown.getMessage()).startsWith("Adam step 3: the gradient of ").endsWith("no variable was updated");
        assertThat(adam.iterations()).isEqualTo(2);
        List<float[]> now = weights(m);
        for (int i = 0; i < now.size(); i++) {
            assertThat(now.get(i)).isEqualTo(before.get(i));
        }
    }

    @Test
    void fit_oneModelPerThread_trainsInParallelAsInSequence() throws Exception {
        Tensor[] d = SequentialTest.blobs(200, 5, 3);
        List<float[]> sequential = weights(trained(d));
        List<List<float[]>> parallel = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                List<float[]> w = weights(trained(d));
                synchronized (parallel) {
                    parallel.add(w);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(parallel).hasSize(2);
        for (List<float[]> w : parallel) {
            for (int i = 0; i < w.size(); i++) {
                assertThat(w.get(i)).isEqualTo(sequential.get(i));
            }
        }
    }

    private static Sequential trained(Tensor[] d) {
        Sequential m = SequentialTest.small(7);
        m.compile(new Adam(), Loss.categoricalCrossentropy());
        m.fit(d[0], d[1], FitOptions.defaults().epochs(3).batchSize(16).seed(5).verbose(0));
        return m;
    }
}
