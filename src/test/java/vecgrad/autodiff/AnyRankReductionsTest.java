package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * {@link Ops#sum(Tensor, int[], boolean)}, {@link Ops#mean(Tensor, int[], boolean)} and
 * {@link Ops#transpose}: against nested loops written out per shape (Keras' {@code ops.sum},
 * {@code ops.mean}, {@code ops.transpose}), and their gradients against finite differences in double.
 */
final class AnyRankReductionsTest {

    private static Tensor random(long seed, int... shape) {
        return Tensor.randomUniform(new Random(seed), -1, 1, shape);
    }

    @Test
    void sum_rank3OverAxes0And2_isTheNestedLoopSumInDoubleRoundedOnce() {
        Tensor x = random(1, 2, 3, 4);
        float[] d = x.data();
        Tensor y = Ops.sum(x, new int[] {0, 2}, false);
        Tensor k = Ops.sum(x, new int[] {2, 0}, true);
        assertThat(y.shape()).containsExactly(3);
        assertThat(k.shape()).containsExactly(1, 3, 1);
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 2; i++) {
                for (int l = 0; l < 4; l++) {
                    s += d[i * 12 + j * 4 + l];
                }
            }
            assertThat(y.data()[j]).isEqualTo((float) s);
            assertThat(k.data()[j]).isEqualTo((float) s);
        }
    }

    @Test
    void sum_rank4NegativeAxes_andAllAxes() {
        Tensor x = random(2, 2, 3, 2, 5);
        float[] d = x.data();
        Tensor y = Ops.sum(x, new int[] {1, -1}, false);   // keeps axes 0 and 2: (2, 2)
        assertThat(y.shape()).containsExactly(2, 2);
        double total = 0;
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 2; c++) {
                double s = 0;
                for (int b = 0; b < 3; b++) {
                    for (int e = 0; e < 5; e++) {
                        s += d[((a * 3 + b) * 2 + c) * 5 + e];
                    }
                }
                assertThat(y.data()[a * 2 + c]).isEqualTo((float) s);
            }
        }
        for (float v : d) {
            total += v;
        }
        Tensor all = Ops.sum(x, new int[0], false);
        assertThat(all.shape()).isEmpty();
        assertThat(all.item()).isEqualTo((float) total);
        assertThat(Ops.sum(x, new int[0], true).shape()).containsExactly(1, 1, 1, 1);
    }

    @Test
    void sum_rank2_sameBitsAsTheRank2Sums() {
        Tensor x = random(3, 7, 5);
        assertThat(Ops.sum(x, new int[] {0}, false).data()).isEqualTo(Ops.sum(x, 0).data());
        assertThat(Ops.sum(x, new int[] {-1}, false).data()).isEqualTo(Ops.sum(x, 1).data());
    }

    @Test
    void mean_isTheSumOverTheCount() {
        Tensor x = random(4, 2, 3, 4);
        Tensor m = Ops.mean(x, new int[] {1}, true);
        assertThat(m.shape()).containsExactly(2, 1, 4);
        float[] d = x.data();
        for (int i = 0; i < 2; i++) {
            for (int l = 0; l < 4; l++) {
                double s = 0;
                for (int j = 0; j < 3; j++) {
                    s += d[i * 12 + j * 4 + l];
                }
                assertThat(m.data()[i * 4 + l]).isEqualTo((float) s * (float) (1.0 / 3));
            }
        }
    }

    @Test
    void transpose_rank3_movesEveryElementToItsPermutedIndex() {
        Tensor x = random(5, 2, 3, 4);
        Tensor y = Ops.transpose(x, 2, 0, 1);   // (4, 2, 3): y[l][i][j] = x[i][j][l]
        assertThat(y.shape()).containsExactly(4, 2, 3);
        Tensor r = Ops.transpose(x);            // reversed: (4, 3, 2): r[l][j][i] = x[i][j][l]
        assertThat(r.shape()).containsExactly(4, 3, 2);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int l = 0; l < 4; l++) {
                    float v = x.data()[i * 12 + j * 4 + l];
                    assertThat(y.data()[l * 6 + i * 3 + j]).isEqualTo(v);
                    assertThat(r.data()[l * 6 + j * 2 + i]).isEqualTo(v);
                }
            }
        }
    }

    @Test
    void gradients_matchFiniteDifferencesInDouble() {
        // Weighted outputs, so that a backward rule sending g to the wrong element fails.
        Tensor w1 = random(7, 3, 1, 5);
        GradientCheck.check(in -> Ops.sum(Ops.mul(Ops.sum(in.get(0), new int[] {0, 2}, true), w1)),
                in -> {
                    double[] x = in[0];
                    double s = 0;
                    for (int j = 0; j < 3; j++) {
                        for (int m = 0; m < 5; m++) {
                            double t = 0;
                            for (int i = 0; i < 2; i++) {
                                for (int l = 0; l < 4; l++) {
                                    t += x[((i * 3 + j) * 4 + l) * 5 + m];
                                }
                            }
                            s += t * w1.data()[j * 5 + m];
                        }
                    }
                    return new double[] {s};
                }, List.of(random(8, 2, 3, 4, 5))).assertPassed();

        Tensor w2 = random(9, 4, 2, 3);
        GradientCheck.check(in -> Ops.mul(Ops.transpose(in.get(0), 2, 0, 1), w2),
                in -> {
                    double[] y = new double[24];
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 3; j++) {
                            for (int l = 0; l < 4; l++) {
                                y[l * 6 + i * 3 + j] = in[0][i * 12 + j * 4 + l] * w2.data()[l * 6 + i * 3 + j];
                            }
                        }
                    }
                    return y;
                }, List.of(random(10, 2, 3, 4))).assertPassed();

        Tensor w3 = random(11, 2, 4);
        GradientCheck.check(in -> Ops.mul(Ops.mean(in.get(0), new int[] {-2}, false), w3),
                in -> {
                    double[] y = new double[8];
                    for (int i = 0; i < 2; i++) {
                        for (int l = 0; l < 4; l++) {
                            double s = 0;
                            for (int j = 0; j < 3; j++) {
                                s += in[0][i * 12 + j * 4 + l];
                            }
                            y[i * 4 + l] = s / 3 * w3.data()[i * 4 + l];
                        }
                    }
                    return y;
                }, List.of(random(12, 2, 3, 4))).assertPassed();
    }

    @Test
    void softmaxAndLogSoftmax_anyRank_normaliseTheLastAxis() {
        Tensor x = random(14, 2, 3, 4);
        Tensor rows = Ops.reshape(x, 6, 4);
        assertThat(ActivationOps.softmax(x).shape()).containsExactly(2, 3, 4);
        assertThat(ActivationOps.softmax(x).data()).isEqualTo(ActivationOps.softmax(rows).data());
        assertThat(ActivationOps.logSoftmax(x).data()).isEqualTo(ActivationOps.logSoftmax(rows).data());
        Tensor v = random(15, 5);
        double max = Double.NEGATIVE_INFINITY;
        for (float f : v.data()) {
            max = Math.max(max, f);
        }
        double z = 0;
        for (float f : v.data()) {
            z += Math.exp(f - max);
        }
        Tensor p = ActivationOps.softmax(v);
        for (int j = 0; j < 5; j++) {
            assertThat((double) p.data()[j]).isCloseTo(Math.exp(v.data()[j] - max) / z, org.assertj.core.data.Offset.offset(1e-7));
        }
        Tensor w = random(16, 2, 3, 4);
        GradientCheck.check(in -> Ops.mul(ActivationOps.softmax(in.get(0)), w), in -> {
            double[] y = new double[24];
            for (int r = 0; r < 6; r++) {
                double m = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < 4; j++) {
                    m = Math.max(m, in[0][r * 4 + j]);
                }
                double s = 0;
                for (int j = 0; j < 4; j++) {
                    s += Math.exp(in[0][r * 4 + j] - m);
                }
                for (int j = 0; j < 4; j++) {
                    y[r * 4 + j] = Math.exp(in[0][r * 4 + j] - m) / s * w.data()[r * 4 + j];
                }
            }
            return y;
        }, List.of(random(17, 2, 3, 4))).assertPassed();
        assertThatThrownBy(() -> ActivationOps.softmax(Tensor.zeros())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("softmax: expected a tensor of rank 1 or more (normalised along its last axis), got a scalar");
    }

    @Test
    void badAxesAndPermutations_namedAtTheCall() {
        Tensor x = random(13, 2, 3, 4);
        assertThatThrownBy(() -> Ops.sum(x, new int[] {3}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sum: expected axes in [-3, 3) for x (2, 3, 4), got [3]");
        assertThatThrownBy(() -> Ops.sum(x, new int[] {1, -2}, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sum: expected each axis once, got [1, -2]");
        assertThatThrownBy(() -> Ops.mean(Tensor.zeros(2, 0, 4), new int[] {1}, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean: expected non-empty axes [1], got shape (2, 0, 4)");
        assertThatThrownBy(() -> Ops.transpose(x, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transpose: expected a permutation of the 3 axes of x (2, 3, 4), got [0, 0, 1]");
        assertThatThrownBy(() -> Ops.transpose(x, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transpose: expected a permutation of the 3 axes of x (2, 3, 4), got [1, 0]");
    }
}
