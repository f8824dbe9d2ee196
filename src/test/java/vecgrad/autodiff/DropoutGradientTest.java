package vecgrad.autodiff;

import org.junit.jupiter.api.Test;
import vecgrad.nn.Dropout;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

/**
 * Dropout's gradient against finite differences: a twin layer with the same seed gives the mask the
 * double reference {@code x ⊙ mask} uses (the layer itself draws a new mask on every call).
 */
final class DropoutGradientTest {

    private final GradientChecker checker = new GradientChecker(77L);

    @Test
    void dropout_training_matchesFiniteDifferences() {
        for (int[] s : new int[][] {{3, 4}, {2, 3, 3, 2}, {1, 1}}) {
            int[] sample = java.util.Arrays.copyOfRange(s, 1, s.length);
            Dropout layer = new Dropout(0.3, 5L);
            Dropout twin = new Dropout(0.3, 5L);
            new Sequential(sample, 1L, layer);
            new Sequential(sample, 1L, twin);
            double[] mask = GradientChecker.toDouble(new Tensor[] {twin.call(Tensor.ones(s), true)})[0];
            checker.check("Dropout " + Tensor.shapeString(s), x -> layer.call(x[0], true), r -> {
                double[] y = new double[r[0].length];
                for (int e = 0; e < y.length; e++) {
                    y[e] = r[0][e] * mask[e];
                }
                return y;
            }, checker.uniform(-2, 2, s));
        }
    }
}
