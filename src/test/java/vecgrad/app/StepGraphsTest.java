package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.ComputationGraph.Kind;
import vecgrad.nn.Activation;
import vecgrad.nn.Conv2D;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.Flatten;
import vecgrad.nn.MaxPooling2D;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

final class StepGraphsTest {

    private static Tensor oneHot(int m) {
        Tensor y = Tensor.zeros(m, 10);
        for (int i = 0; i < m; i++) {
            y.data()[i * 10 + (i * 3) % 10] = 1;
        }
        return y;
    }

    private static Map<String, ComputationGraph.Node> byFirstLine(ComputationGraph g) {
        return g.nodes().stream().collect(Collectors.toMap(n -> n.label().get(0) + "|" + n.label().get(n.label().size() - 1),
                Function.identity()));
    }

    @Test
    void record_namesEveryTensorOfTheStep() {
        Sequential model = Trainer.network(List.of(6, 5), 1);
        Tensor x = Tensor.randomUniform(new Random(2), 0, 1, 3, 784);
        StepGraphs graphs = StepGraphs.record(model, x, oneHot(3));

        Map<String, ComputationGraph.Node> forward = byFirstLine(graphs.forward());
        assertThat(forward).containsOnlyKeys("x|(3, 784)", "W1|(784, 6)", "matmul|(3, 6)", "b1|(6)", "add|z1 (3, 6)",
                "relu|a1 (3, 6)", "W2|(6, 5)", "matmul|(3, 5)", "b2|(5)", "add|z2 (3, 5)", "relu|a2 (3, 5)",
                "W3|(5, 10)", "matmul|(3, 10)", "b3|(10)", "add|logits (3, 10)", "y|(3, 10)",
                "softmaxCrossEntropyWithLogits|loss ()");
        assertThat(forward.get("x|(3, 784)").kind()).isEqualTo(Kind.CONSTANT);
        assertThat(forward.get("y|(3, 10)").kind()).isEqualTo(Kind.CONSTANT);
        assertThat(forward.get("W2|(6, 5)").kind()).isEqualTo(Kind.PARAMETER);
        assertThat(forward.get("relu|a2 (3, 5)").kind()).isEqualTo(Kind.OP);
        assertThat(forward.get("softmaxCrossEntropyWithLogits|loss ()").kind()).isEqualTo(Kind.OP);
        assertThat(forward.get("softmaxCrossEntropyWithLogits|loss ()").tensor()).isEqualTo("loss");
        assertThat(graphs.forward().edges()).hasSize(3 * 2 * 2 + 2 + 2);  // 2 into each matmul and add, 1 per relu, 2 into the loss

        List<String> backward = graphs.backward().nodes().stream().map(n -> String.join("|", n.label())).toList();
        assertThat(backward).contains("∂L/∂L = 1", "∂L/∂W1|(784, 6)", "∂L/∂b1|(6)", "∂L/∂W3|(5, 10)", "∂L/∂b3|(10)")
                .noneMatch(s -> s.contains("∂L/∂x") || s.contains("∂L/∂y"));
        assertThat(graphs.backward().nodes()).filteredOn(n -> n.kind() == Kind.SEED).hasSize(1);
        assertThat(graphs.backward().edges()).extracting(ComputationGraph.Edge::label).contains("∂logits (3, 10)", "∂z1 (3, 6)",
                "∂a2 (3, 5)", "∂W1 (784, 6)");
    }

    @Test
    void record_refusesAModelWithoutASoftmaxDenseOutput() {
        Sequential linear = new Sequential(784, 4, new Dense(10));
        assertThatThrownBy(() -> StepGraphs.record(linear, Tensor.ones(2, 784), oneHot(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a model ending in a Dense layer with softmax, got last layer " + linear.layers().get(0).name());
    }

    @Test
    void record_leavesTheWeightsAlone() {
        Sequential model = Trainer.network(List.of(4), 9);
        float[] before = model.trainableVariables().get(0).data().clone();
        StepGraphs.record(model, Tensor.ones(2, 784), oneHot(2));
        assertThat(model.trainableVariables().get(0).data()).isEqualTo(before);
    }

    @Test
    void record_aConvnetShowsItsConvolutionsAndPooling() {
        Sequential cnn = new Sequential(new int[] {28, 28, 1}, 4, new Conv2D(4, 3, Activation.RELU), new MaxPooling2D(2),
                new Flatten(), new Dropout(0.5), new Dense(10, Activation.SOFTMAX));
        Tensor x = Tensor.randomUniform(new Random(3), 0, 1, 3, 28, 28, 1);
        StepGraphs graphs = StepGraphs.record(cnn, x, oneHot(3));

        Map<String, ComputationGraph.Node> forward = byFirstLine(graphs.forward());
        // conv2d's output after its relu is named after the layer, as every non-Dense layer's output
        assertThat(forward).containsKeys("x|(3, 28, 28, 1)", "conv2d/kernel|(3, 3, 1, 4)", "conv2d|(3, 26, 26, 4)",
                "relu|conv2d (3, 26, 26, 4)", "maxPool2d|max_pooling2d (3, 13, 13, 4)", "W1|(676, 10)",
                "softmaxCrossEntropyWithLogits|loss ()");
        List<String> backward = graphs.backward().nodes().stream().map(n -> String.join("|", n.label())).toList();
        assertThat(backward).contains("∂L/∂conv2d/kernel|(3, 3, 1, 4)", "∂L/∂conv2d/bias|(4)", "∂L/∂W1|(676, 10)")
                .anyMatch(s -> s.startsWith("conv2d′")).anyMatch(s -> s.startsWith("maxPool2d′"));
    }
}
