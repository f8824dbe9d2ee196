package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** A Dense-ReLU-...-Dense network for the tests: variables W1, b1, W2, b2, ... and its forward pass on the tape. */
final class TestNetwork {

    final int[] widths;
    final List<Variable> variables = new ArrayList<>();

    /** Glorot-uniform-like weights and small random biases, from {@code seed}. */
    TestNetwork(long seed, int... widths) {
        this.widths = widths.clone();
        Random rng = new Random(seed);
        for (int l = 0; l + 1 < widths.length; l++) {
            float limit = (float) Math.sqrt(6.0 / (widths[l] + widths[l + 1]));
            variables.add(Variable.of("W" + (l + 1), Tensor.randomUniform(rng, -limit, limit, widths[l], widths[l + 1])));
            variables.add(Variable.of("b" + (l + 1), Tensor.randomUniform(rng, -0.1f, 0.1f, widths[l + 1])));
        }
    }

    int layers() {
        return widths.length - 1;
    }

    /** The logits: relu(add(matmul(x, W), b)) per hidden layer, then add(matmul(a, W), b). */
    Tensor logits(Tensor x) {
        Tensor a = x;
        for (int l = 0; l < layers(); l++) {
            Tensor z = Ops.add(Ops.matmul(a, variables.get(2 * l)), variables.get(2 * l + 1));
            a = l < layers() - 1 ? ActivationOps.relu(z) : z;
        }
        return a;
    }

    /** The mean softmax cross-entropy of the batch. */
    Tensor loss(Tensor x, Tensor y) {
        return LossOps.softmaxCrossEntropyWithLogits(y, logits(x));
    }
}
