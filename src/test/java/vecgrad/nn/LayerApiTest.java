package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.Ops;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** The open layer API: a user's layer is built from its input shape, trained by the tape, named as Keras does. */
final class LayerApiTest {

    /** y = x · mix + shift: a trainable (n, n) weight and a frozen (n) one. */
    static final class ScaleShift extends Layer {
        private Variable mix;
        private Variable shift;
        int builds;

        @Override
        protected void build(int[] inputShape) {
            builds++;
            mix = addWeight("mix", new int[] {inputShape[0], inputShape[0]}, Initializer.glorotUniform(), true);
            shift = addWeight("shift", new int[] {inputShape[0]}, Initializer.zeros(), false);
        }

        @Override
        public Tensor call(Tensor x, boolean training) {
            return Ops.add(Ops.matmul(x, mix), shift);
        }
    }

    /** A layer whose output is twice as wide: its output shape comes from a trial call. */
    static final class Twice extends Layer {
        @Override
        public Tensor call(Tensor x, boolean training) {
            Tensor both = Tensor.zeros(x.dim(0), 2 * x.dim(1));
            return Ops.add(both, Tensor.zeros(x.dim(0), 2 * x.dim(1)));
        }
    }

    @Test
    void userLayer_builtFromItsInputShapeOnceAndTrainedByTheTape() {
        ScaleShift custom = new ScaleShift();
        Sequential m = new Sequential(5, 1, new Dense(4, Activation.RELU), custom, new Dense(3, Activation.SOFTMAX));
        assertThat(custom.builds).isEqualTo(1);
        assertThat(custom.inputShape()).containsExactly(4);
        assertThat(custom.outputShape()).containsExactly(4);
        assertThat(custom.name()).isEqualTo("scale_shift");
        assertThat(m.trainableVariables()).extracting(Variable::name).containsExactly("dense/kernel", "dense/bias",
                "scale_shift/mix", "dense_1/kernel", "dense_1/bias");
        assertThat(m.variables()).extracting(Variable::name).contains("scale_shift/shift");
        assertThat(m.summary()).contains("scale_shift (ScaleShift)", "Total params: 59", "Trainable params: 55", "Non-trainable params: 4");

        Tensor[] d = SequentialTest.blobs(16, 5, 2);
        Tensor before = custom.weights().get(0).copy();
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Loss.categoricalCrossentropy().call(d[1], m.call(d[0], true));
            List<Tensor> grads = tape.gradient(loss, m.trainableVariables());
            assertThat(grads.get(2)).as("the tape reaches the user's weight").isNotNull();
            new Adam(0.1f).applyGradients(grads, m.trainableVariables());
        }
        assertThat(custom.weights().get(0).data()).isNotEqualTo(before.data());
        assertThat(custom.weights().get(1).data()).as("frozen").containsOnly(0f);
    }

    @Test
    void names_kerasStyleUniquePerModel() {
        Sequential m = new Sequential(3, 0, new Dense(4), new ScaleShift(), new Dense(2), new ScaleShift());
        assertThat(m.layers()).extracting(Layer::name).containsExactly("dense", "scale_shift", "dense_1", "scale_shift_1");
    }

    @Test
    void dense_defaultsToLinear() {
        Dense d = new Dense(3);
        assertThat(d.activation()).isSameAs(Activation.LINEAR);
        Sequential m = new Sequential(2, 0, d);
        Tensor x = Tensor.of(new float[] {-1f, 2f}, 1, 2);
        Tensor expected = Ops.add(Ops.matmul(x, d.kernel()), d.bias());
        assertThat(m.call(x).data()).isEqualTo(expected.data());
    }

    @Test
    void outputShape_fromATrialCallWhenTheLayerDoesNotSayIt() {
        Twice t = new Twice();
        Sequential m = new Sequential(3, 0, t, new Dense(2));
        assertThat(t.outputShape()).containsExactly(6);
        assertThat(m.layers().get(1).inputShape()).containsExactly(6);
    }

    @Test
    void constructor_layerThatDoesNotFit_namesItAndBothShapesAndBuildsNothing() {
        Dense first = new Dense(4);
        Dense picky = new Dense(2);
        Layer flat = new Layer() {
            @Override
            protected void build(int[] inputShape) {
                throw new IllegalArgumentException("my_layer: expected inputs (batch, 7), got (batch, " + inputShape[0] + ")");
            }

            @Override
            public Tensor call(Tensor x, boolean training) {
                return x;
            }
        };
        assertThatThrownBy(() -> new Sequential(new int[] {28, 28}, 0, new Dense(3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dense dense: expected inputs of shape (batch, features), got (batch, 28, 28); flatten them first");
        assertThatThrownBy(() -> new Sequential(5, 0, first, flat, picky)).hasMessage("my_layer: expected inputs (batch, 7),"
                + " got (batch, 4)");
        assertThat(first.built()).as("nothing half-built").isFalse();
        assertThat(first.weights()).isEmpty();
        Sequential again = new Sequential(5, 0, first, picky);   // the layers can be used again
        assertThat(again.trainableVariables()).hasSize(4);
    }

    @Test
    void constructor_layerOfAnotherModelOrTwiceOrDuplicateName_refused() {
        Dense d = new Dense(2);
        new Sequential(3, 0, d);
        assertThatThrownBy(() -> new Sequential(3, 0, d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already belongs to a model");
        Dense twice = new Dense(3);
        assertThatThrownBy(() -> new Sequential(3, 0, twice, twice)).hasMessageContaining("layer 2 is layer 1 again");
        assertThatThrownBy(() -> new Sequential(3, 0, new Named("x"), new Named("x")))
                .hasMessage("Sequential: two layers are named 'x'");
        assertThatThrownBy(() -> new Named("a/b")).hasMessageContaining("without '/'");
    }

    static final class Named extends Layer {
        Named(String name) {
            super(name);
        }

        @Override
        public Tensor call(Tensor x, boolean training) {
            return x;
        }
    }

    @Test
    void addWeight_outsideBuild_refused() {
        ScaleShift s = new ScaleShift();
        new Sequential(3, 0, s);
        assertThatThrownBy(() -> s.build(new int[] {3})).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call it from build(inputShape)");
    }

    @Test
    void layerSeed_independentOfWeightDrawsAndFixedByTheModelSeed() {
        Sequential plain = new Sequential(4, 9, new Dense(3), new Dense(2));
        Sequential withCustom = new Sequential(4, 9, new Dense(3), new SeedReader(), new Dense(2));
        assertThat(withCustom.trainableVariables().get(2).data()).as("a seed-only layer leaves later weights alone")
                .isEqualTo(plain.trainableVariables().get(2).data());
        SeedReader a = new SeedReader();
        SeedReader b = new SeedReader();
        new Sequential(4, 9, new Dense(3), a);
        new Sequential(4, 9, new Dense(3), b);
        SeedReader c = new SeedReader();
        new Sequential(4, 10, new Dense(3), c);
        assertThat(a.seed).isEqualTo(b.seed).isNotEqualTo(c.seed);
    }

    static final class SeedReader extends Layer {
        long seed;

        @Override
        protected void build(int[] inputShape) {
            seed = layerSeed();
        }

        @Override
        public Tensor call(Tensor x, boolean training) {
            return x;
        }
    }

    @Test
    void fans_areKerasComputeFans() {
        // glorot_uniform's limit sqrt(6 / (fanIn + fanOut)): for a (3, 3, 2, 4) kernel Keras uses fans 18 and 36.
        Layer conv = new Layer() {
            @Override
            protected void build(int[] inputShape) {
                addWeight("kernel", new int[] {3, 3, 2, 4}, Initializer.glorotUniform(), true);
            }

            @Override
            public Tensor call(Tensor x, boolean training) {
                return x;
            }
        };
        new Sequential(2, 5, conv);
        double limit = Math.sqrt(6.0 / (18 + 36));
        float max = 0;
        for (float v : conv.weights().get(0).data()) {
            max = Math.max(max, Math.abs(v));
        }
        assertThat((double) max).isLessThanOrEqualTo(limit).isGreaterThan(limit * 0.8);
    }
}
