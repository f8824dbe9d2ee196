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

    private static double mean(Tensor t) {
        double mean = 0;
        for (float v : t.data()) {
            mean += v;
        }
        return mean / t.size();
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
        // 60,000 uniform draws: the sample variance's relative deviation is sqrt(0.8 / n) = 0.37%, so 3% is 8 of them
        Tensor w = Initializer.glorotUniform().initialize(new Random(1), 300, 200, 300, 200);
        double limit = Math.sqrt(6.0 / 500);
        assertThat(maxAbs(w)).isLessThanOrEqualTo(limit);
        assertThat(variance(w)).isCloseTo(2.0 / 500, org.assertj.core.api.Assertions.withinPercentage(3));
    }

    @Test
    void heNormal_isTruncatedAtTwoDeviationsAndKeepsVarianceTwoOverFanIn() {
        // 40,000 draws of a normal truncated at 2 deviations (kurtosis 2.37): the sample variance's relative
        // deviation is sqrt(1.37 / n) = 0.58%, so 3% is 5 of them; without the correction it is 23% low
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
    void heUniform_hasVarianceTwoOverFanIn() {
        // U(-l, l) with l = sqrt(6 / fanIn) has variance l²/3 = 2/fanIn (Keras' VarianceScaling, scale 2,
        // mode fan_in). The sample variance of n uniform draws has a relative standard deviation of
        // sqrt((9/5 - 1) / n) (9/5 being the uniform's kurtosis): 0.45% for n = 40,000, so 3% is more
        // than 6 deviations, while half the variance (a bound of sqrt(3 / fanIn)) is 50% off.
        Tensor w = Initializer.heUniform().initialize(new Random(4), 400, 100, 400, 100);
        assertThat(variance(w)).isCloseTo(2.0 / 400, org.assertj.core.api.Assertions.withinPercentage(3));
        assertThat(mean(w)).isCloseTo(0, org.assertj.core.api.Assertions.within(6 * Math.sqrt(2.0 / 400 / 40_000)));
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
