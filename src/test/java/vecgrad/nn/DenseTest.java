package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

final class DenseTest {

    /** act(x·W + b) for one row, in double. */
    private static double[] reference(Activation activation, float[] x, Dense d) {
        int in = x.length;
        int units = d.units();
        double[] z = new double[units];
        for (int j = 0; j < units; j++) {
            z[j] = d.bias().data()[j];
            for (int i = 0; i < in; i++) {
                z[j] += (double) x[i] * d.kernel().data()[i * units + j];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (double v : z) {
            max = Math.max(max, v);
        }
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double[] a = new double[units];
        for (int j = 0; j < units; j++) {
            a[j] = switch (activation.kerasName()) {
                case "relu" -> Math.max(0, z[j]);
                case "sigmoid" -> 1 / (1 + Math.exp(-z[j]));
                case "tanh" -> Math.tanh(z[j]);
                case "softmax" -> Math.exp(z[j] - max) / sum;
                case "linear" -> z[j];
                default -> throw new AssertionError(activation);
            };
        }
        return a;
    }

    @Test
    void call_appliesItsActivationToXWPlusB() {
        Random rng = new Random(5);
        Tensor x = Tensor.randomNormal(rng, 0, 2, 6, 4);
        for (Activation activation : List.of(Activation.RELU, Activation.SIGMOID, Activation.TANH, Activation.SOFTMAX,
                Activation.LINEAR)) {
            Dense d = new Dense(5, activation, Initializer.glorotUniform(), Initializer.heUniform());
            Sequential model = new Sequential(4, 11, d);
            Tensor out = model.call(x);
            assertThat(out.shape()).containsExactly(6, 5);
            for (int r = 0; r < 6; r++) {
                float[] row = java.util.Arrays.copyOfRange(x.data(), r * 4, r * 4 + 4);
                double[] expected = reference(activation, row, d);
                for (int j = 0; j < 5; j++) {
                    assertThat((double) out.get(r, j)).as("%s, row %d, unit %d", activation, r, j)
                            .isCloseTo(expected[j], within(1e-5));
                }
            }
        }
    }
}
