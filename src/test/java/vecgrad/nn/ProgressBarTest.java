package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The progress bar against keras/src/utils/progbar.py. Expected strings are written out by hand from
 * Keras' code; the numbers' texts are Python's ({@code f"{v:.4f}"}, {@code f"{12.5:.0f}"} = "12", ...).
 */
final class ProgressBarTest {

    private static final String B = "\u001b[1m";
    private static final String R = "\u001b[0m";
    private static final String G = "\u001b[32m";
    private static final String W = "\u001b[37m";

    /** A clock the test moves, in nanoseconds. */
    private static final class Clock {
        long now;

        void at(double seconds) {
            now = Math.round(seconds * 1e9);
        }
    }

    private static String epochLines(int verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), verbose, 2, 30, false,
                () -> clock.now);
        for (int e = 1; e <= 2; e++) {
            clock.at(0);
            bar.epochBegin(e);
            clock.at(2.5);                       // the first step: slow
            bar.step(1, 0.5, 0.9);
            for (int s = 2; s <= 30; s++) {
                clock.at(2.5 + (s - 1) * 0.25);
                bar.step(s, 0.5, 0.9);
            }
            clock.at(12.5);
            bar.epochEnd(new EpochLogs(e, 0.25, 0.875, 0.125, 0.9375, 12.5));
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verbose2_oneKerasLinePerEpoch_timePerStepCountsTheFirstStep() {
        // Keras' verbose 2 never updates per batch, so time per step = 12.5 s / 30 = 417 ms; 12.5 s prints
        // as "12s" (Python rounds half to even).
        String n = System.lineSeparator();
        assertThat(epochLines(2)).isEqualTo("Epoch 1/2" + n
                + "30/30 - 12s - 417ms/step - accuracy: 0.8750 - loss: 0.2500 - val_accuracy: 0.9375 - val_loss: 0.1250" + n
                + "Epoch 2/2" + n
                + "30/30 - 12s - 417ms/step - accuracy: 0.8750 - loss: 0.2500 - val_accuracy: 0.9375 - val_loss: 0.1250" + n);
    }

    @Test
    void verbose1NotATerminal_epochLineLeavesTheFirstStepOut() {
        // verbose 1 updates after every batch, so Keras' time per step is (12.5 - 2.5) / 29 = 345 ms
        String n = System.lineSeparator();
        assertThat(epochLines(1)).startsWith("Epoch 1/2" + n
                + "30/30 - 12s - 345ms/step - accuracy: 0.8750 - loss: 0.2500 - val_accuracy: 0.9375 - val_loss: 0.1250" + n);
    }

    @Test
    void oneEpoch_noEpochHeader() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 2, 1, 3, false, () -> 0L);
        bar.epochBegin(1);
        bar.epochEnd(new EpochLogs(1, Map.of("loss", 0.5), 0));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("3/3 - 0s - 0s/step - loss: 0.5000" + System.lineSeparator());
    }

    @Test
    void liveBar_etaLeavesOutTheJitStep_andFormatsSmallValuesInE() {
        // The case: the first step takes 711 s (JIT), then 0.25 s per step. At step 5 Keras 3 says
        // 0.25 s/step and 95 steps left: 23.75 s -> "23s" (the first step included would say 3:45:28).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, 1, 100, true,
                () -> clock.now);
        clock.at(0);
        bar.epochBegin(1);
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 0.000123456);
        logs.put("accuracy", 0.5);
        logs.put("cosine", -0.5);
        logs.put("edge", 1e-3);
        clock.at(711);
        bar.step(1, logs);
        bytes.reset();
        for (int s = 2; s <= 5; s++) {
            clock.at(711 + (s - 1) * 0.25);
            bar.step(s, logs);
        }
        String step5 = bytes.toString(StandardCharsets.UTF_8);
        String expected5 = B + "  5/100" + R + " " + G + "━" + R + W + "━".repeat(19) + R + " " + B + "23s" + R
                + " 250ms/step - accuracy: 0.5000 - cosine: -0.5000 - edge: 1.0000e-03 - loss: 1.2346e-04";
        assertThat(step5).endsWith("\r" + expected5);
        // a later, shorter draw clears the rest of the previous one with spaces
        bytes.reset();
        clock.at(711 + 99 * 0.25 + 1);            // the end: 100 steps, elapsed 736.75 s
        bar.epochEnd(new EpochLogs(1, Map.of("loss", 0.25), 0));
        String end = bytes.toString(StandardCharsets.UTF_8);
        String visible5 = "  5/100 " + "━".repeat(20) + " 23s"
                + " 250ms/step - accuracy: 0.5000 - cosine: -0.5000 - edge: 1.0000e-03 - loss: 1.2346e-04";
        String visibleEnd = "100/100 " + "━".repeat(20) + " 737s 260ms/step - loss: 0.2500";
        assertThat(end).isEqualTo("\b".repeat(visible5.length()) + "\r" + B + "100/100" + R + " " + G + "━".repeat(20) + R
                + W + R + " " + B + "737s" + R + " 260ms/step - loss: 0.2500"
                + " ".repeat(visible5.length() - visibleEnd.length()) + "\n");
    }

    @Test
    void liveBar_redrawsAtMostEvery50ms() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Clock clock = new Clock();
        ProgressBar bar = new ProgressBar(new PrintStream(bytes, true, StandardCharsets.UTF_8), 1, 1, 100, true,
                () -> clock.now);
        clock.at(1);
        bar.epochBegin(1);
        clock.at(2);
        bar.step(1, Map.of("loss", 1.0));
        int drawn = bytes.size();
        clock.at(2.04);
        bar.step(2, Map.of("loss", 1.0));
        assertThat(bytes.size()).as("40 ms later: no redraw").isEqualTo(drawn);
        clock.at(2.06);
        bar.step(3, Map.of("loss", 1.0));
        assertThat(bytes.size()).isGreaterThan(drawn);
    }

    @Test
    void etaAndTimePerStep_keraFormats() {
        assertThat(ProgressBar.eta(59.9)).isEqualTo("59s");
        assertThat(ProgressBar.eta(60)).isEqualTo("60s");
        assertThat(ProgressBar.eta(61.5)).isEqualTo("1:01");
        assertThat(ProgressBar.eta(3725.5)).isEqualTo("1:02:05");
        assertThat(ProgressBar.timePerStep(0)).isEqualTo(" 0s/step");
        assertThat(ProgressBar.timePerStep(2.5)).isEqualTo(" 2s/step");
        assertThat(ProgressBar.timePerStep(0.0125)).isEqualTo(" 12ms/step");
        assertThat(ProgressBar.timePerStep(0.000085)).isEqualTo(" 85us/step");
    }

    @Test
    void verboseZero_printsNothing() {
        assertThat(epochLines(0)).isEmpty();
    }

    @Test
    void fitOptionsVerboseAuto_isOne() {
        assertThat(FitOptions.defaults().verbose("auto").verbose()).isEqualTo(1);
        assertThat(FitOptions.defaults().verbose("2").verbose()).isEqualTo(2);
        assertThatThrownBy(() -> FitOptions.defaults().verbose("loud"))
                .hasMessage("verbose must be \"auto\", 0, 1 or 2, got \"loud\"");
    }

    @Test
    void constructor_rejectsBadArguments() {
        assertThatThrownBy(() -> new ProgressBar(System.out, 3, 1, 1)).hasMessageContaining("verbose=3");
        assertThatThrownBy(() -> new ProgressBar(System.out, 1, 1, 0)).hasMessageContaining("steps=0");
    }
}
