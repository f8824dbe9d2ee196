package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/** A model trained by one thread refuses a second training and weight replacement, and still predicts. */
final class ConcurrentTrainingTest {

    @Test
    void fit_whileAnotherThreadTrains_refusedNamingModelAndThread() throws Exception {
        Tensor[] d = SequentialTest.blobs(64, 5, 2);
        Sequential m = SequentialTest.small(3);
        m.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Callback pause = new Callback() {
            @Override
            public void onTrainBatchEnd(int batch, BatchLogs logs) {
                if (logs.epoch() == 1 && batch == 2) {
                    inside.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        AtomicReference<Throwable> trainerFailure = new AtomicReference<>();
        Thread trainer = new Thread(() -> {
            try {
                m.fit(d[0], d[1], FitOptions.defaults().epochs(2).batchSize(8).verbose(0).callbacks(pause));
            } catch (Throwable t) {
                trainerFailure.set(t);
            }
        }, "trainer-A");
        trainer.start();
        assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            float[] before = m.trainableVariables().get(0).data().clone();
            assertThatThrownBy(() -> m.fit(d[0], d[1], FitOptions.defaults().verbose(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("fit: model 'sequential' (5-16(relu)-3(softmax)) is already being trained by fit on"
                            + " thread 'trainer-A'; a model cannot be trained twice at once: give each thread its own"
                            + " model and optimizer");
            assertThatThrownBy(() -> m.setWeights(m.getWeights())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("setWeights: model 'sequential'").hasMessageContaining("'trainer-A'");
            assertThat(m.predict(d[0]).shape()).as("reading is allowed").containsExactly(64, 3);
            assertThat(m.trainableVariables().get(0).data()).as("nothing changed by the refused calls")
                    .isEqualTo(before);
        } finally {
            release.countDown();
            trainer.join(30_000);
        }
        assertThat(trainerFailure.get()).isNull();
        m.fit(d[0], d[1], FitOptions.defaults().verbose(0));   // free again once the first fit has returned
    }
}
