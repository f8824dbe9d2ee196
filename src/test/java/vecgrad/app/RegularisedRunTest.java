package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.nn.ActivationLayer;
import vecgrad.nn.BatchNormalization;
import vecgrad.nn.Dense;
import vecgrad.nn.Dropout;
import vecgrad.nn.Layer;
import vecgrad.nn.Sequential;

/** {@code mnist --dropout RATE --batch-norm}: the network, the options' rules, and a run end to end. */
final class RegularisedRunTest {

    @Test
    void parse_dropoutAndBatchNorm_dropManualFromTheDefaultMethods() throws CommandException {
        TrainOptions o = TrainOptions.parse(List.of("--dropout", "0.3", "--batch-norm"));
        assertThat(o.dropout()).isEqualTo(0.3);
        assertThat(o.batchNorm()).isTrue();
        assertThat(o.methods()).containsExactly(Method.TAPE, Method.FIT);
        assertThat(TrainOptions.parse(List.of()).methods()).containsExactly(Method.TAPE, Method.FIT, Method.MANUAL);
    }

    @Test
    void parse_badRateOrManual_usageErrors() {
        for (String bad : List.of("1", "-0.1", "NaN", "x", "1e9")) {
            assertThatThrownBy(() -> TrainOptions.parse(List.of("--dropout", bad))).isInstanceOf(CommandException.class)
                    .hasMessage("--dropout expects a number from 0 (inclusive) to 1 (exclusive), got '" + bad + "'");
        }
        assertThatThrownBy(() -> TrainOptions.parse(List.of("--batch-norm", "--methods", "fit,manual")))
                .isInstanceOf(CommandException.class).hasMessageContaining("--methods manual runs the report's equations"
                        + " for Dense layers only");
    }

    @Test
    void network_regularisedLayersInOrderAndTheReportNetworkUnchanged() {
        Sequential plain = Trainer.network(List.of(8, 4), 0, false, 3);
        Sequential report = Trainer.network(List.of(8, 4), 3);
        assertThat(plain.layers()).allMatch(l -> l instanceof Dense);
        for (int i = 0; i < plain.variables().size(); i++) {
            assertThat(plain.variables().get(i).data()).isEqualTo(report.variables().get(i).data());
        }
        Sequential both = Trainer.network(List.of(8, 4), 0.25, true, 3);
        assertThat(both.layers()).extracting(Layer::getClass).containsExactly(Dense.class, BatchNormalization.class,
                ActivationLayer.class, Dropout.class, Dense.class, BatchNormalization.class, ActivationLayer.class,
                Dropout.class, Dense.class);
        assertThat(((Dropout) both.layers().get(3)).rate()).isEqualTo(0.25);
    }

    @Test
    void run_dropoutAndBatchNorm_tapeAndFitBitIdenticalAndTheReportSaysSo(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("out");
        AppFixtures.Result r = AppFixtures.run("--dropout", "0.2", "--batch-norm", "--hidden", "32,16", "--epochs", "2",
                "--train-limit", "1000", "--test-limit", "300", "-q", "--out", out.toString(), "--save",
                dir.resolve("m.safetensors").toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)").doesNotContain("manual");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"dropout\": 0.2", "\"batchNorm\": true");
        assertThat(Files.readString(out.resolve("network.svg"), StandardCharsets.UTF_8)).contains("batch norm → ReLU", "then dropout 0.2");
        assertThat(Files.readString(out.resolve("forward.dot"), StandardCharsets.UTF_8)).contains("batch_normalization",
                "dropout");
        Sequential saved = Sequential.load(dir.resolve("m.safetensors"));
        assertThat(saved.layers()).hasSize(9);
    }
}
