package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

final class InitializerTest {

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double variance(Tensor t) {
        double mean = 0;
        for (float v : t.data()) {
            mean += v;
        }
        mean /= t.size();
        double var = 0;
        for (float v : t.data()) {
            var += (v - mean) * (v - mean);
        }
        return var / t.size();
    }

    @Test
    void glorotUniform_staysWithinItsLimitWithVarianceTwoOverFanInPlusFanOut() {
        Tensor w = Initializer.glorotUniform().initialize(new Random(1), 300, 200, 300, 200);
        double limit = Math.sqrt(6.0 / 500);
        assertThat(maxAbs(w)).isLessThanOrEqualTo(limit);
        assertThat(variance(w)).isCloseTo(2.0 / 500, org.assertj.core.api.Assertions.withinPercentage(3));
    }

    @Test
    void heNormal_isTruncatedAtTwoDeviationsAndKeepsVarianceTwoOverFanIn() {
        Tensor w = Initializer.heNormal().initialize(new Random(2), 400, 100, 400, 100);
        double std = Math.sqrt(2.0 / 400) / 0.87962566103423978;
        assertThat(maxAbs(w)).isLessThanOrEqualTo(2 * std + 1e-7);
        // the truncation correction restores the untruncated variance 2/fanIn (Keras' VarianceScaling)
        assertThat(variance(w)).isCloseTo(2.0 / 400, org.assertj.core.api.Assertions.withinPercentage(3));
    }

    @Test
    void heUniform_staysWithinSqrtSixOverFanIn() {
        Tensor w = Initializer.heUniform().initialize(new Random(3), 50, 20, 50, 20);
        double limit = Math.sqrt(6.0 / 50);
        assertThat(maxAbs(w)).isLessThanOrEqualTo(limit);
        assertThat(Initializer.zeros().initialize(new Random(3), 5, 3, 3).data()).containsOnly(0f);
    }

    @Test
    void initialize_isReproducibleAndRejectsBadFans() {
        assertThat(Initializer.heNormal().initialize(new Random(9), 10, 4, 10, 4)
                .contentEquals(Initializer.heNormal().initialize(new Random(9), 10, 4, 10, 4))).isTrue();
        assertThatThrownBy(() -> Initializer.glorotUniform().initialize(new Random(1), 0, 3, 0, 3))
                .hasMessageContaining("fanIn=0");
        assertThat(Initializer.glorotUniform().kerasName()).isEqualTo("glorot_uniform");
    }
}
