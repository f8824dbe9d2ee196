package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vecgrad.kernel.WarmUp;

/** The automatic warm-up a model starts and fit waits for: its switch, and when fit waits. */
final class AutomaticWarmUpTest {

    @Test
    void badSetting_refusedAtTheConstructorWithNoLayerLeftBuilt() {
        Dense dense = new Dense(3, Activation.RELU);
        String old = System.getProperty(WarmUp.PROPERTY);
        System.setProperty(WarmUp.PROPERTY, "sometimes");
        try {
            assertThatThrownBy(() -> new Sequential(4, 1L, dense))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("vecgrad.warmUp: expected auto or off, got 'sometimes'");
        } finally {
            restore(old);
        }
        assertThat(dense.built()).isFalse();
        assertThat(new Sequential(4, 1L, dense).layers()).containsExactly(dense); // the layer is still new
    }

    @Test
    void settings_autoAndOffAccepted() {
        String old = System.getProperty(WarmUp.PROPERTY);
        try {
            System.setProperty(WarmUp.PROPERTY, "off");
            assertThat(WarmUp.automaticEnabled()).isFalse();
            assertThat(WarmUp.startAutomatic()).isFalse();
            System.setProperty(WarmUp.PROPERTY, "auto");
            assertThat(WarmUp.automaticEnabled()).isTrue();
            System.clearProperty(WarmUp.PROPERTY);
            assertThat(WarmUp.automaticEnabled()).isTrue();
        } finally {
            restore(old);
        }
    }

    @Test
    void startAutomatic_atMostOncePerJvm() {
        // Whatever ran before in this JVM, once a model exists no further automatic warm-up starts.
        new Sequential(2, 1L, new Dense(1));
        assertThat(WarmUp.startAutomatic()).isFalse();
        assertThat(WarmUp.startAutomatic()).isFalse();
        WarmUp.awaitAutomatic();
        assertThat(WarmUp.awaitAutomatic()).isZero(); // nothing left to wait for
    }

    @Test
    void largeWork_theReportsNetworkWaitsAndSmallFitsDoNot() {
        long mlp = 784L * 256 + 256 + 256 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10;
        assertThat(FitLoop.largeWork(mlp, 422, 128, 5)).isTrue();
        assertThat(FitLoop.largeWork(mlp, 1, 128, 1)).isFalse(); // 3·10^7
        assertThat(FitLoop.largeWork(3 * 8 + 8 + 8 + 1, 1, 16, 3)).isFalse();
        assertThat(FitLoop.largeWork(1_000_000, 100, 10, 1)).isTrue(); // exactly 10^9
        assertThat(FitLoop.largeWork(999_999, 100, 10, 1)).isFalse();
        assertThat(FitLoop.largeWork(10, -1, 32, 1)).isTrue(); // a source of unknown length
    }

    private static void restore(String old) {
        if (old == null) {
            System.clearProperty(WarmUp.PROPERTY);
        } else {
            System.setProperty(WarmUp.PROPERTY, old);
        }
    }
}
