package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.data.Batches;
import vecgrad.optim.Adam;
import vecgrad.optim.Optimizer;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Dropout: Keras' inverted dropout, active in training only, with reproducible masks. */
final class DropoutTest {

    private static Dropout built(Dropout d, int... sampleShape) {
        new Sequential(sampleShape, 3L, d);
        return d;
    }

    @Test
    void call_inference_passesTheInputThrough() {
        Dropout d = built(new Dropout(0.5), 4);
        Tensor x = Tensor.randomNormal(new Random(1), 0, 1, 3, 4);
        assertThat(d.call(x, false)).isSameAs(x);
    }

    @Test
    void call_rateZero_isTheIdentityInTraining() {
        Dropout d = built(new Dropout(0.0), 4);
        Tensor x = Tensor.randomNormal(new Random(1), 0, 1, 3, 4);
        assertThat(d.call(x, true)).isSameAs(x);
    }

    @Test
    void call_training_keepsAboutOneMinusRateScaledByItsInverse() {
        // Keras (keras/src/backend/tensorflow/random.py, dropout -> tf.nn.experimental.stateless_dropout):
        // kept values are x / (1 − rate), the others 0; on 100 000 ones the kept fraction is 0.7 ± 0.0015
        // (one standard deviation), so ± 0.01 fails only a wrong rate
        double rate = 0.3;
        Dropout d = built(new Dropout(rate), 200, 500);
        Tensor y = d.call(Tensor.ones(1, 200, 500), true);
        float kept = 1f / (1f - (float) rate);
        long count = 0;
        for (float v : y.data()) {
            assertThat(v).isIn(0f, kept);
            count += v == 0f ? 0 : 1;
        }
        assertThat((double) count / y.size()).isCloseTo(1 - rate, within(0.01));
    }

    @Test
    void call_training_scalesKeptInputsAndZerosTheRest() {
        Dropout d = built(new Dropout(0.25, 11L), 6);
        Tensor x = Tensor.randomNormal(new Random(2), 0, 1, 5, 6);
        Tensor y = d.call(x, true);
        for (int e = 0; e < x.size(); e++) {
            float v = y.data()[e];
            assertThat(v == 0f || v == x.data()[e] * (1f / 0.75f)).as("element %d: %s from %s", e, v, x.data()[e]).isTrue();
        }
    }

    @Test
    void call_sameSeed_drawsTheSameMasks_andSuccessiveCallsDiffer() {
        Tensor ones = Tensor.ones(8, 50);
        Dropout a = built(new Dropout(0.5, 99L), 50);
        Dropout b = built(new Dropout(0.5, 99L), 50);
        Tensor first = a.call(ones, true);
        assertThat(first.data()).isEqualTo(b.call(ones, true).data());
        assertThat(a.call(ones, true).data()).isNotEqualTo(first.data());
        assertThat(built(new Dropout(0.5, 100L), 50).call(ones, true).data()).isNotEqualTo(first.data());
        // the default seed comes from the model's seed and the layer's place
        Tensor m1 = built(new Dropout(0.5), 50).call(ones, true);
        Tensor m2 = built(new Dropout(0.5), 50).call(ones, true);
        assertThat(m1.data()).isEqualTo(m2.data());
    }

    @Test
    void maskStream_drawsJavaUtilRandomsFloats_acrossCalls() {
        // The masks are specified as java.util.Random(seed).nextFloat() >= rate, draw after draw: the
        // stream must continue Random's sequence across calls, for any seed (negative, 0, all bits).
        float drop = 0.37f;
        float kept = 1f / (1f - drop);
        for (long seed : new long[] {0L, 1L, -1L, 42L, Long.MIN_VALUE, Long.MAX_VALUE, 0x5DEECE66DL}) {
            Random reference = new Random(seed);
            Dropout.MaskStream stream = new Dropout.MaskStream(seed);
            for (int length : new int[] {1, 17, 1000, 0, 4096}) {
                float[] m = new float[length];
                stream.fill(m, drop, kept);
                for (int i = 0; i < length; i++) {
                    float expected = reference.nextFloat() >= drop ? kept : 0f;
                    assertThat(m[i]).as("seed %d, length %d, draw %d", seed, length, i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void maskStreamThreshold_keepsExactlyTheDrawsAtOrAboveTheRate() {
        // Every 24-bit draw k against rates on, beside and between its grid k · 2^-24 (the >= boundary).
        float[] drops = {0f, 1e-7f, 0.25f, 0.37f, 0.5f, Math.nextUp(0.5f), Math.nextDown(0.5f), 0.99999994f};
        for (float drop : drops) {
            int threshold = Dropout.MaskStream.threshold(drop);
            for (int k = 0; k < 1 << 24; k++) {
                boolean kept = k / (float) (1 << 24) >= drop;
                if (kept != (k >= threshold)) {
                    throw new AssertionError("drop " + drop + ", k " + k + ": threshold " + threshold);
                }
            }
        }
    }

    @Test
    void gradient_isTheMask() {
        Dropout d = built(new Dropout(0.4, 5L), 7);
        Tensor x = Tensor.randomNormal(new Random(3), 0, 1, 4, 7);
        Tensor w = Tensor.randomNormal(new Random(4), 0, 1, 4, 7);
        Tensor y;
        Tensor dx;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            y = d.call(x, true);
            dx = tape.gradient(vecgrad.autodiff.Ops.sum(vecgrad.autodiff.Ops.mul(y, w)), List.of(x)).get(0);
        }
        for (int e = 0; e < x.size(); e++) {
            float mask = y.data()[e] == 0f ? 0f : 1f / 0.6f;
            assertThat(dx.data()[e]).isEqualTo(w.data()[e] * mask);
        }
    }

    @Test
    void constructor_rateOutsideZeroToOne_throws() {
        for (double rate : new double[] {-0.1, 1.0, 1.5, Double.NaN, 0.99999999999}) {
            assertThatThrownBy(() -> new Dropout(rate)).as("rate %s", rate)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Dropout: expected a rate in [0, 1), got");
        }
    }

    @Test
    void call_wrongShape_namesTheLayerAndBothShapes() {
        Dropout d = built(new Dropout(0.5), 4);
        assertThatThrownBy(() -> d.call(Tensor.zeros(2, 5), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Dropout dropout").hasMessageContaining("(batch, 4)").hasMessageContaining("(2, 5)");
    }

    @Test
    void config_andNames_areKeras() {
        Dropout d = new Dropout(0.2, 7L);
        Sequential model = new Sequential(5, 1L, new Dense(4), d, new Dense(3), new Dropout(0.1));
        assertThat(d.name()).isEqualTo("dropout");
        assertThat(model.layers().get(3).name()).isEqualTo("dropout_1");
        assertThat(d.config()).containsEntry("rate", 0.2).containsEntry("seed", 7L);
        assertThat(model.layers().get(3).config()).containsEntry("rate", 0.1).doesNotContainKey("seed");
        assertThat(d.weights()).isEmpty();
        assertThat(model.architecture()).isEqualTo("5-4(linear)-dropout-3(linear)-dropout");
    }

    private static Sequential withDropout(long seed) {
        return new Sequential(5, seed, new Dense(16, Activation.RELU), new Dropout(0.5), new Dense(3, Activation.SOFTMAX));
    }

    @Test
    void customTapeLoopAndFit_withDropout_endBitIdentical() {
        Tensor[] data = SequentialTest.blobs(256, 5, 21L);
        long weightSeed = 42;
        long shuffleSeed = 7;
        int epochs = 3;

        Sequential fitted = withDropout(weightSeed);
        fitted.compile(new Adam(1e-2f), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        fitted.fit(data[0], data[1], FitOptions.defaults().epochs(epochs).batchSize(32).seed(shuffleSeed).verbose(0));

        Sequential model = withDropout(weightSeed);
        Optimizer optimizer = new Adam(1e-2f);
        Loss lossFn = Loss.categoricalCrossentropy();
        List<Variable> vars = model.trainableVariables();
        Batches batches = Batches.shuffled(data[0], data[1], 32, new Random(shuffleSeed));
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batches.Batch b : batches) {
                try (GradientTape tape = new GradientTape()) {
                    Tensor loss = lossFn.call(b.y(), model.call(b.x(), true));
                    optimizer.applyGradients(tape.gradient(loss, vars), vars);
                }
            }
        }

        assertThat(optimizer.iterations()).isEqualTo(fitted.optimizer().iterations()).isEqualTo(epochs * 8);
        for (int i = 0; i < vars.size(); i++) {
            assertThat(vars.get(i).data()).as(vars.get(i).name()).isEqualTo(fitted.trainableVariables().get(i).data());
        }
        // the masks mattered: the same loop in inference mode (no dropout) ends elsewhere
        Sequential plain = withDropout(weightSeed);
        Optimizer plainOptimizer = new Adam(1e-2f);
        List<Variable> plainVars = plain.trainableVariables();
        for (Batches.Batch b : Batches.shuffled(data[0], data[1], 32, new Random(shuffleSeed))) {
            try (GradientTape tape = new GradientTape()) {
                plainOptimizer.applyGradients(tape.gradient(lossFn.call(b.y(), plain.call(b.x(), false)), plainVars), plainVars);
            }
        }
        assertThat(plainVars.get(0).data()).isNotEqualTo(vars.get(0).data());
    }

    @Test
    void predict_withDropout_isDeterministicAndEqualsInference() {
        Tensor[] data = SequentialTest.blobs(64, 5, 3L);
        Sequential model = withDropout(5L);
        model.compile(new Adam(1e-2f), Loss.categoricalCrossentropy());
        model.fit(data[0], data[1], FitOptions.defaults().epochs(1).batchSize(16).seed(1).verbose(0));
        Tensor p1 = model.predict(data[0]);
        Tensor p2 = model.predict(data[0]);
        assertThat(p1.data()).isEqualTo(p2.data());
        assertThat(model.call(data[0]).data()).isEqualTo(p1.data());
    }
}
