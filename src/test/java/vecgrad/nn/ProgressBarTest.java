package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

final class ProgressBarTest {

    private static String run(int verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), verbose, 2, 30);
        for (int e = 1; e <= 2; e++) {
            bar.epochBegin(e);
            for (int s = 1; s <= 30; s++) {
                bar.step(s, 0.5, 0.9);
            }
            bar.epochEnd(new EpochLogs(e, 0.25, 0.875, 0.125, 0.9375, 12.5));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void notATerminal_printsOneLinePerEpochInKerasFormat() {
        String[] lines = run(1).split("\n");
        assertThat(lines).containsExactly(
                "Epoch 1/2",
                "30/30 - 13s 417ms/step - accuracy: 0.8750 - loss: 0.2500 - val_accuracy: 0.9375 - val_loss: 0.1250",
                "Epoch 2/2",
                "30/30 - 13s 417ms/step - accuracy: 0.8750 - loss: 0.2500 - val_accuracy: 0.9375 - val_loss: 0.1250");
        assertThat(run(2)).isEqualTo(run(1));
    }

    @Test
    void verboseZero_printsNothing() {
        assertThat(run(0)).isEmpty();
    }

    @Test
    void constructor_rejectsBadArguments() {
        assertThatThrownBy(() -> new ProgressBar(System.out, 3, 1, 1)).hasMessageContaining("verbose=3");
        assertThatThrownBy(() -> new ProgressBar(System.out, 1, 1, 0)).hasMessageContaining("steps=0");
    }
}
