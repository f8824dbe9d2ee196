package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class GradientTapeTest {

    private static Tensor vector(float... v) {
        return Tensor.of(v, v.length);
    }

    @Test
    void gradient_trainableVariable_watchedAutomatically() {
        Variable w = Variable.of("w", vector(1, -2, 3));
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Ops.sum(Ops.square(w));
            Tensor g = tape.gradient(loss, w);
            assertThat(g.data()).containsExactly(2, -4, 6);
            assertThat(g).isNotInstanceOf(Variable.class);
            assertThat(g.shape()).containsExactly(3);
        }
    }

    @Test
    void gradient_plainTensor_onlyWhenWatched() {
        Tensor x = vector(1, 2);
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.sum(Ops.exp(x));
            assertThatThrownBy(() -> tape.gradient(y, x))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected a target recorded on this tape").hasMessageContaining("()");
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Ops.sum(Ops.scale(x, 3f));
            assertThat(tape.gradient(y, x).data()).containsExactly(3, 3);
        }
    }

    @Test
    void gradient_nonTrainableVariable_notWatched() {
        Variable frozen = Variable.of("frozen", vector(1, 2), false);
        Variable w = Variable.of("w", vector(3, 4));
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.sum(Ops.mul(frozen, w));
            List<Tensor> g = tape.gradient(y, List.of(frozen, w));
            assertThat(g.get(0)).isNull();
            assertThat(g.get(1).data()).containsExactly(1, 2);
        }
    }

    @Test
    void gradient_unconnectedSource_nullOrZeros() {
        Variable a = Variable.of("a", vector(1, 2));
        Variable b = Variable.of("b", Tensor.of(new float[] {5, 6, 7, 8}, 2, 2));
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor y = Ops.sum(a);
            List<Tensor> none = tape.gradient(y, List.of(a, b));
            assertThat(none.get(0).data()).containsExactly(1, 1);
            assertThat(none.get(1)).isNull();
            List<Tensor> zero = tape.gradient(y, List.of(a, b), null, UnconnectedGradients.ZERO);
            assertThat(zero.get(1).shape()).containsExactly(2, 2);
            assertThat(zero.get(1).data()).containsOnly(0f);
            assertThat(zero.get(0).data()).containsExactly(1, 1);
        }
    }

    @Test
    void gradient_nonPersistent_secondCallFails() {
        Variable w = Variable.of("w", vector(1));
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.sum(w);
            tape.gradient(y, w);
            assertThatThrownBy(() -> tape.gradient(y, w))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already used once").hasMessageContaining("GradientTape.persistent()");
        }
    }

    @Test
    void gradient_persistent_allowsSeveralCalls() {
        Variable w = Variable.of("w", vector(2, 3));
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor y = Ops.sum(Ops.square(w));
            Tensor z = Ops.sum(Ops.exp(w));
            assertThat(tape.isPersistent()).isTrue();
            assertThat(tape.gradient(y, w).data()).containsExactly(4, 6);
            assertThat(tape.gradient(y, w).data()).containsExactly(4, 6);
            assertThat(tape.gradient(z, w).data()).containsExactly((float) Math.exp(2), (float) Math.exp(3));
        }
    }

    @Test
    void gradient_tensorUsedSeveralTimes_sumsContributions() {
        // y = Σ (x·x + x + x·3) -> dy/dx = 2x + 4
        Variable x = Variable.of("x", vector(1, -2, 0.5f));
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.sum(Ops.add(Ops.add(Ops.mul(x, x), x), Ops.scale(x, 3f)));
            assertThat(tape.gradient(y, x).data()).containsExactly(6, 0, 5);
        }
    }

    @Test
    void gradient_intermediateAndLeafSources_doNotShareBuffers() {
        // h = x + x is used twice; add passes its gradient through, so h's and x's gradients could
        // alias. The results must be separate buffers with the right values.
        Variable x = Variable.of("x", vector(1, 2));
        try (GradientTape tape = new GradientTape()) {
            Tensor h = Ops.add(x, x);
            Tensor y = Ops.sum(Ops.add(h, h));
            List<Tensor> g = tape.gradient(y, Arrays.asList(h, x, h));
            assertThat(g.get(0).data()).containsExactly(2, 2);
            assertThat(g.get(1).data()).containsExactly(4, 4);
            assertThat(g.get(2).data()).containsExactly(2, 2);
            assertThat(g.get(0).data()).isNotSameAs(g.get(1).data()).isNotSameAs(g.get(2).data());
        }
    }

    @Test
    void gradient_outputGradient_seedsTheReplay_andIsNotReturned() {
        Variable x = Variable.of("x", vector(1, 2, 3));
        Tensor seed = vector(1, 10, 100);
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.add(x, x);     // dx = 2 · seed; add passes the seed itself through
            List<Tensor> g = tape.gradient(y, List.of(x, y), seed, UnconnectedGradients.NONE);
            assertThat(g.get(0).data()).containsExactly(2, 20, 200);
            assertThat(g.get(1).data()).containsExactly(1, 10, 100);
            assertThat(g.get(1).data()).isNotSameAs(seed.data());
        }
    }

    @Test
    void gradient_nonScalarTarget_seededWithOnes() {
        Variable x = Variable.of("x", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.square(x);
            assertThat(tape.gradient(y, x).data()).containsExactly(2, 4, 6, 8);
        }
    }

    @Test
    void gradient_targetIsWatchedSource_isTheSeed() {
        Variable x = Variable.of("x", vector(4, 5));
        try (GradientTape tape = new GradientTape()) {
            assertThat(tape.gradient(x, x).data()).containsExactly(1, 1);
        }
    }

    @Test
    void gradient_badArguments_throw() {
        Variable x = Variable.of("x", vector(1, 2));
        try (GradientTape tape = new GradientTape()) {
            Tensor y = Ops.square(x);
            assertThatThrownBy(() -> tape.gradient(y, List.of(x), vector(1, Float.NaN), UnconnectedGradients.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite").hasMessageContaining("NaN");
            assertThatThrownBy(() -> tape.gradient(y, List.of(x), vector(1, 2, 3), UnconnectedGradients.NONE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2)").hasMessageContaining("(3)");
            assertThatThrownBy(() -> tape.gradient(null, x)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("target");
            assertThatThrownBy(() -> tape.gradient(y, (Tensor) null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("source");
            assertThatThrownBy(() -> tape.gradient(y, Arrays.asList(x, null)))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("index 1");
            assertThatThrownBy(() -> tape.gradient(y, List.of(x), null, null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> tape.gradient(vector(1), x)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("did not record");
            assertThatThrownBy(() -> tape.watch(x, null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("index 1");
            // the failed calls did not use up this non-persistent tape: its one gradient call still works
            assertThat(tape.gradient(y, x).data()).containsExactly(2, 4);
        }
    }

    @Test
    void gradient_targetFromAnotherTape_throws() {
        Variable x = Variable.of("x", vector(1));
        try (GradientTape first = new GradientTape()) {
            Tensor y = Ops.exp(x);
            try (GradientTape second = new GradientTape()) {
                assertThatThrownBy(() -> second.gradient(y, x)).isInstanceOf(IllegalArgumentException.class);
            }
            assertThat(first.gradient(y, x).data()).containsExactly((float) Math.exp(1));
        }
    }

    @Test
    void closedTape_rejectsEveryCall() {
        Variable x = Variable.of("x", vector(1));
        GradientTape tape = new GradientTape();
        Tensor y = Ops.exp(x);
        tape.close();
        tape.close();   // idempotent
        assertThatThrownBy(() -> tape.gradient(y, x)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed").hasMessageContaining("try-with-resources");
        assertThatThrownBy(() -> tape.watch(x)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tape::stopRecording).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(tape::forwardGraphDot).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tape.backwardGraphDot(y)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopRecording_pausesThisTapeOnly() {
        Variable x = Variable.of("x", vector(2));
        try (GradientTape outer = GradientTape.persistent(); GradientTape inner = GradientTape.persistent()) {
            Tensor y;
            Tensor z;
            try (GradientTape.Scope paused = inner.stopRecording()) {
                y = Ops.square(x);
            }
            z = Ops.exp(x);
            assertThatThrownBy(() -> inner.gradient(y, x)).isInstanceOf(IllegalArgumentException.class);
            assertThat(outer.gradient(y, x).data()).containsExactly(4);
            assertThat(inner.gradient(z, x).data()).containsExactly((float) Math.exp(2));
        }
    }

    @Test
    void stopRecording_constantInsideScope_cutsTheGradient() {
        Variable x = Variable.of("x", vector(3));
        try (GradientTape tape = new GradientTape()) {
            Tensor c;
            try (GradientTape.Scope paused = tape.stopRecording()) {
                c = Ops.square(x);   // a constant to this tape
                paused.close();
                paused.close();      // closing twice resumes once
            }
            Tensor y = Ops.mul(c, x);   // dy/dx = c = 9 (not 3x² = 27)
            assertThat(tape.gradient(y, x).data()).containsExactly(9);
        }
    }

    @Test
    void nestedTapes_bothRecord_andGradientIsNotRecorded() {
        Variable x = Variable.of("x", vector(1, 2));
        try (GradientTape outer = GradientTape.persistent()) {
            Tensor y;
            try (GradientTape inner = new GradientTape()) {
                y = Ops.sum(Ops.square(x));
                String before = outer.forwardGraphDot();
                assertThat(inner.gradient(y, x).data()).containsExactly(2, 4);
                assertThat(outer.forwardGraphDot()).isEqualTo(before);   // the backward ran unrecorded
            }
            assertThat(outer.gradient(y, x).data()).containsExactly(2, 4);
        }
    }

    @Test
    void otherThread_opsAreNotSeen() throws InterruptedException {
        Variable x = Variable.of("x", vector(2));
        try (GradientTape tape = GradientTape.persistent()) {
            AtomicReference<Tensor> fromOther = new AtomicReference<>();
            AtomicReference<Tensor> otherGradient = new AtomicReference<>();
            Thread t = new Thread(() -> {
                fromOther.set(Ops.square(x));     // no tape open on this thread
                try (GradientTape own = new GradientTape()) {
                    otherGradient.set(own.gradient(Ops.exp(x), x));
                }
            });
            t.start();
            t.join();
            assertThat(otherGradient.get().data()).containsExactly((float) Math.exp(2));
            assertThatThrownBy(() -> tape.gradient(fromOther.get(), x)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void close_onAnotherThread_throws() throws InterruptedException {
        GradientTape tape = new GradientTape();
        AtomicReference<Throwable> error = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                tape.close();
            } catch (Throwable e) {
                error.set(e);
            }
        });
        t.start();
        t.join();
        tape.close();
        assertThat(error.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("thread that opened it");
    }

    @Test
    void custom_badBackward_failsAtGradientWithTheOpsName() {
        Variable x = Variable.of("x", vector(1, 2));
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor wrongCount = Ops.custom("two", in -> Ops.exp(in[0]), (g, y, in) -> new Tensor[] {g, g}, x);
            Tensor wrongShape = Ops.custom("shape", in -> Ops.exp(in[0]), (g, y, in) -> new Tensor[] {vector(1)}, x);
            assertThatThrownBy(() -> tape.gradient(wrongCount, x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'two'").hasMessageContaining("1 gradients").hasMessageContaining("returned 2");
            assertThatThrownBy(() -> tape.gradient(wrongShape, x)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'shape'").hasMessageContaining("(1)").hasMessageContaining("(2)");
        }
    }

    @Test
    void custom_forwardOpsAreNotRecorded_andOutputIsANewTensor() {
        Variable x = Variable.of("x", vector(3));
        try (GradientTape tape = new GradientTape()) {
            // forward returns its input; the rule says the derivative is 5 (not the identity's 1)
            Tensor y = Ops.custom("five", in -> in[0], (g, out, in) -> new Tensor[] {Ops.scale(g, 5f)}, x);
            assertThat(y).isNotSameAs(x).isNotInstanceOf(Variable.class);
            assertThat(tape.forwardGraphDot()).contains("five").doesNotContain("exp");
            assertThat(tape.gradient(y, x).data()).containsExactly(5);
        }
    }

    @Test
    void customTrainingLoop_asInTheJavadoc_reducesTheLoss() {
        // The GradientTape Javadoc's loop, on a small network and a fixed synthetic batch.
        TestNetwork net = new TestNetwork(11L, 6, 8, 7, 5, 3);
        GradientChecker data = new GradientChecker(12L);
        Tensor x = data.uniform(-1, 1, 16, 6);
        Tensor y = data.oneHot(16, 3);
        List<Variable> variables = net.variables;
        List<Float> losses = new ArrayList<>();
        for (int step = 0; step < 200; step++) {
            List<Tensor> grads;
            float loss;
            try (GradientTape tape = new GradientTape()) {
                Tensor lossValue = net.loss(x, y);
                grads = tape.gradient(lossValue, variables);
                loss = lossValue.item();
            }
            for (int i = 0; i < variables.size(); i++) {
                float[] w = variables.get(i).data();
                float[] g = grads.get(i).data();
                for (int j = 0; j < w.length; j++) {
                    w[j] -= 0.5f * g[j];
                }
            }
            losses.add(loss);
        }
        assertThat(losses.get(losses.size() - 1)).isLessThan(0.5f * losses.get(0));
    }
}
