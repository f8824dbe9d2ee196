package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.nn.Activation;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

final class SavedNetworkTest {

    @TempDir
    Path tmp;

    private SafeTensorsContents file(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path p = tmp.resolve("w" + System.nanoTime() + ".safetensors");
        SafeTensors.write(p, tensors, metadata);
        return SafeTensors.read(p);
    }

    /** W1, b1, ... for the given widths, all zero. */
    private static Map<String, Tensor> chain(int... widths) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (int i = 1; i < widths.length; i++) {
            t.put("W" + i, Tensor.zeros(widths[i - 1], widths[i]));
            t.put("b" + i, Tensor.zeros(widths[i]));
        }
        return t;
    }

    @Test
    void of_modelSavedBySequential_sizesAndActivations() throws IOException {
        Sequential model = Trainer.network(List.of(256, 128, 64), 1);
        Path p = tmp.resolve("model.safetensors");
        model.saveWeights(p);
        SafeTensorsContents contents = SafeTensors.read(p);
        SavedNetwork net = SavedNetwork.of(contents);
        assertThat(net.sizes()).containsExactly(784, 256, 128, 64, 10);
        assertThat(net.activations()).containsExactly(Activation.RELU, Activation.RELU, Activation.RELU, Activation.SOFTMAX);
        assertThat(net).hasToString("784-256-128-64-10");

        Sequential rebuilt = net.build();
        rebuilt.loadWeights(p);
        assertThat(rebuilt.architecture()).isEqualTo(model.architecture());
        for (int i = 0; i < model.trainableVariables().size(); i++) {
            assertThat(rebuilt.trainableVariables().get(i).data()).isEqualTo(model.trainableVariables().get(i).data());
        }
    }

    @Test
    void of_noMetadata_reluThenSoftmax() throws IOException {
        SavedNetwork net = SavedNetwork.of(file(chain(5, 7, 3, 2), Map.of()));
        assertThat(net.sizes()).containsExactly(5, 7, 3, 2);
        assertThat(net.activations()).containsExactly(Activation.RELU, Activation.RELU, Activation.SOFTMAX);
    }

    @Test
    void of_metadataActivations_used() throws IOException {
        SavedNetwork net = SavedNetwork.of(file(chain(5, 7, 2), Map.of("architecture", "5-7(tanh)-2(sigmoid)")));
        assertThat(net.activations()).containsExactly(Activation.TANH, Activation.SIGMOID);
    }

    @Test
    void of_notAChain_rejected() throws IOException {
        Map<String, Tensor> t = chain(5, 7, 2);
        t.put("W2", Tensor.zeros(6, 2));
        assertThatThrownBy(() -> SavedNetwork.of(file(t, Map.of()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the layers do not form a chain: W1 has 7 outputs but W2 (6, 2) takes 6 inputs");
    }

    @Test
    void of_badTensorSets_rejected() throws IOException {
        Map<String, Tensor> gap = chain(5, 7, 3, 2);
        gap.remove("W2");
        gap.remove("b2");
        assertThatThrownBy(() -> SavedNetwork.of(file(gap, Map.of()))).hasMessageStartingWith("missing W2: expected W1, b1, ..., W3, b3 without gaps");

        Map<String, Tensor> noBias = chain(5, 2);
        noBias.remove("b1");
        assertThatThrownBy(() -> SavedNetwork.of(file(noBias, Map.of()))).hasMessageStartingWith("missing b1");

        Map<String, Tensor> extra = chain(5, 2);
        extra.put("extra", Tensor.zeros(1));
        assertThatThrownBy(() -> SavedNetwork.of(file(extra, Map.of())))
                .hasMessage("unexpected tensor 'extra': expected only dense/kernel, dense/bias, ..., dense_N/kernel,"
                        + " dense_N/bias (or vecgrad 0.1's W1, b1, ..., Wn, bn)");

        assertThatThrownBy(() -> SavedNetwork.of(file(Map.of(), Map.of())))
                .hasMessage("expected the weights of Dense layers, got no tensors");

        Map<String, Tensor> flat = chain(5, 2);
        flat.put("W1", Tensor.zeros(10));
        assertThatThrownBy(() -> SavedNetwork.of(file(flat, Map.of()))).hasMessage("expected W1 of shape (inputs, units), got (10)");

        Map<String, Tensor> wrongBias = chain(5, 2);
        wrongBias.put("b1", Tensor.zeros(3));
        assertThatThrownBy(() -> SavedNetwork.of(file(wrongBias, Map.of())))
                .hasMessage("expected b1 of shape (2) for W1 (5, 2), got (3)");
    }

    @Test
    void of_metadataThatDisagrees_rejected() throws IOException {
        assertThatThrownBy(() -> SavedNetwork.of(file(chain(5, 7, 2), Map.of("architecture", "5-8(relu)-2(softmax)"))))
                .hasMessage("the architecture metadata '5-8(relu)-2(softmax)' does not fit: the weights' shapes give 5-7-2");
        assertThatThrownBy(() -> SavedNetwork.of(file(chain(5, 2), Map.of("architecture", "5-2(nosuch)"))))
                .hasMessageStartingWith("the architecture metadata '5-2(nosuch)' does not fit: unknown activation 'nosuch'");
        assertThatThrownBy(() -> SavedNetwork.of(file(chain(5, 2), Map.of("architecture", "5-2"))))
                .hasMessage("the architecture metadata '5-2' does not fit: '2' is not UNITS(activation)");
        assertThatThrownBy(() -> SavedNetwork.of(file(chain(5, 2), Map.of("architecture", "relu"))))
                .hasMessage("the architecture metadata 'relu' does not fit: it does not start with the number of inputs");
    }
}
