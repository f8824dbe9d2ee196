package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * LayerNormalization against Keras 3 (keras/src/layers/normalization/layer_normalization.py) computed
 * in double. Gradients are checked in vecgrad.autodiff.NormalizationGradientTest.
 */
final class LayerNormalizationTest {

    @Test
    void call_imagesInBothModes_normalisesEachPositionOverItsChannels() {
        LayerNormalization ln = new LayerNormalization();
        new Sequential(new int[] {2, 3, 4}, 1L, ln);
        Random rng = new Random(5);
        ln.gamma().assign(Tensor.randomUniform(rng, 0.5f, 1.5f, 4));
        ln.beta().assign(Tensor.randomUniform(rng, -1f, 1f, 4));
        Tensor x = Tensor.randomNormal(rng, 1f, 2f, 3, 2, 3, 4);
        float[] xd = x.data();
        double[] expected = new double[xd.length];
        for (int p = 0; p < xd.length / 4; p++) {
            double mean = 0;
            for (int j = 0; j < 4; j++) {
                mean += xd[p * 4 + j] / 4.0;
            }
            double var = 0;
            for (int j = 0; j < 4; j++) {
                var += (xd[p * 4 + j] - mean) * (xd[p * 4 + j] - mean) / 4.0;
            }
            for (int j = 0; j < 4; j++) {
                expected[p * 4 + j] = (xd[p * 4 + j] - mean) / Math.sqrt(var + 1e-3) * ln.gamma().data()[j] + ln.beta().data()[j];
            }
        }
        for (boolean training : new boolean[] {true, false}) {
            float[] y = ln.call(x, training).data();
            for (int e = 0; e < y.length; e++) {
                assertThat((double) y[e]).as("element %d", e).isCloseTo(expected[e], within(1e-5));
            }
        }
    }

    @Test
    void build_createsGammaThenBeta_andConfigIsKeras() {
        LayerNormalization ln = new LayerNormalization();
        Sequential model = new Sequential(6, 1L, ln);
        assertThat(ln.weights()).extracting(Variable::name).containsExactly("layer_normalization/gamma", "layer_normalization/beta");
        assertThat(model.trainableVariables()).hasSize(2);
        assertThat(ln.config()).containsEntry("axis", -1).containsEntry("epsilon", 1e-3)
                .containsEntry("center", true).containsEntry("scale", true);
        assertThat(model.architecture()).isEqualTo("6-layer_normalization");
    }

    @Test
    void badInput_throwsNamingTheLayerAndShape() {
        LayerNormalization ln = new LayerNormalization();
        new Sequential(4, 1L, ln);
        assertThatThrownBy(() -> ln.call(Tensor.zeros(2, 3), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LayerNormalization layer_normalization").hasMessageContaining("(batch, 4)")
                .hasMessageContaining("(2, 3)");
        assertThatThrownBy(() -> new LayerNormalization(Double.NaN, true, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epsilon, got NaN");
    }
}
