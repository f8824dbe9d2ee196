package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.io.SafeTensors;
import vecgrad.tensor.NonFiniteException;
import vecgrad.tensor.Tensor;

/** saveWeights and loadWeights refuse NaN and infinity, and loadWeights refuses another model's architecture. */
final class NonFiniteWeightsTest {

    @TempDir
    Path dir;

    private static Sequential model() {
        return new Sequential(3, new Dense(2, Activation.RELU), new Dense(2, Activation.SOFTMAX));
    }

    @Test
    void saveWeights_nan_refusedAndNothingWritten() throws IOException {
        Sequential m = model();
        m.trainableVariables().get(2).data()[1] = Float.NaN;
        Path file = dir.resolve("w.safetensors");

        assertThatThrownBy(() -> m.saveWeights(file)).isInstanceOf(NonFiniteException.class)
                .hasMessage("saveWeights " + file + ": dense_1/kernel has 1 non-finite value (the first, NaN, at index 1)");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void loadWeights_infinity_refusedAndWeightsUnchanged() throws IOException {
        Sequential m = model();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var v : m.trainableVariables()) {
            tensors.put(v.name(), v.copy());
        }
        tensors.get("dense/bias").data()[0] = Float.NEGATIVE_INFINITY;
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, tensors);
        float[] before = m.trainableVariables().get(0).data().clone();

        assertThatThrownBy(() -> m.loadWeights(file)).isInstanceOf(NonFiniteException.class)
                .hasMessage(file + ": dense/bias has 1 non-finite value (the first, -Infinity, at index 0)");
        assertThat(m.trainableVariables().get(0).data()).isEqualTo(before);
    }

    @Test
    void loadWeights_otherArchitectureMetadata_refused() throws IOException {
        Sequential relu = model();
        Sequential tanh = new Sequential(3, new Dense(2, Activation.TANH), new Dense(2, Activation.SOFTMAX));
        Path file = dir.resolve("w.safetensors");
        tanh.saveWeights(file);

        assertThatThrownBy(() -> relu.loadWeights(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(file + " does not fit this model (3-2(relu)-2(softmax)): its architecture metadata is"
                        + " '3-2(tanh)-2(softmax)'");
    }

    @Test
    void loadWeights_manyUnexpectedTensors_oneShortMessage() throws IOException {
        Sequential m = model();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < 1000; i++) {
            tensors.put("x".repeat(200) + i, Tensor.zeros(1));
        }
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, tensors);

        assertThatThrownBy(() -> m.loadWeights(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("; and 999 more")
                .message().hasSizeLessThan(file.toString().length() + 500);
    }
}
