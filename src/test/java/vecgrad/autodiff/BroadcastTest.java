package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * NumPy broadcasting in add, sub, mul and div: values against hand-made expectations, gradients
 * against finite differences in double, and the refusal of shapes that do not broadcast.
 */
final class BroadcastTest {

    private final GradientChecker checker = new GradientChecker(4242L);

    private static Tensor t(int[] shape, float... v) {
        return Tensor.of(v, shape);
    }

    private static int[] s(int... shape) {
        return shape;
    }

    @Test
    void add_columnPlusScalar_theReportedCase() {
        Tensor c = Ops.add(t(s(3, 1), 1, 2, 3), Tensor.scalar(10));
        assertThat(c.shape()).containsExactly(3, 1);
        assertThat(c.data()).containsExactly(11, 12, 13);
        Tensor d = Ops.add(Tensor.scalar(10), t(s(3, 1), 1, 2, 3));
        assertThat(d.shape()).containsExactly(3, 1);
        assertThat(d.data()).containsExactly(11, 12, 13);
    }

    @Test
    void add_columnPlusRow_givesTheOuterSum() {
        Tensor c = Ops.add(t(s(3, 1), 1, 2, 3), t(s(1, 2), 10, 20));
        assertThat(c.shape()).containsExactly(3, 2);
        assertThat(c.data()).containsExactly(11, 21, 12, 22, 13, 23);
    }

    @Test
    void sub_vectorMinusMatrix_stretchesTheVectorOverRows() {
        // (2,) − (2, 2): the vector comes first, which the row-vector path never allowed
        Tensor c = Ops.sub(t(s(2), 10, 20), t(s(2, 2), 1, 2, 3, 4));
        assertThat(c.shape()).containsExactly(2, 2);
        assertThat(c.data()).containsExactly(9, 18, 7, 16);
    }

    @Test
    void mul_rank3WithMissingAndSizeOneAxes() {
        // (2, 1, 3) ⊙ (2, 1) -> (2, 2, 3): c[i][j][k] = a[i][0][k] · b[j][0]
        Tensor a = t(s(2, 1, 3), 1, 2, 3, 4, 5, 6);
        Tensor b = t(s(2, 1), 10, 100);
        Tensor c = Ops.mul(a, b);
        assertThat(c.shape()).containsExactly(2, 2, 3);
        assertThat(c.data()).containsExactly(10, 20, 30, 100, 200, 300, 40, 50, 60, 400, 500, 600);
    }

    @Test
    void div_imagesByPerChannelVector() {
        // (1, 2, 2, 2) / (2,): each channel divided by its own value
        Tensor a = t(s(1, 2, 2, 2), 2, 9, 4, 27, 6, 3, 8, 6);
        Tensor c = Ops.div(a, t(s(2), 2, 3));
        assertThat(c.shape()).containsExactly(1, 2, 2, 2);
        assertThat(c.data()).containsExactly(1, 3, 2, 9, 3, 1, 4, 2);
    }

    @Test
    void add_matrixPlusRowOfRankTwo_matchesTheRowVectorPathBitForBit() {
        // (m,n) + (1,n) takes the general path; (m,n) + (n,) the bias kernel: the sums must agree exactly
        Tensor a = checker.uniform(-1, 1, 5, 7);
        Tensor b = checker.uniform(-1, 1, 7);
        assertThat(Ops.add(a, b.reshape(1, 7)).data()).isEqualTo(Ops.add(a, b).data());
        assertThat(Ops.mul(a, b.reshape(1, 7)).data()).isEqualTo(Ops.mul(a, b).data());
        assertThat(Ops.div(a, b.reshape(1, 7)).data()).isEqualTo(Ops.div(a, b).data());
    }

    @Test
    void elementwise_shapesThatDoNotBroadcast_nameBothShapes() {
        for (String op : new String[] {"add", "sub", "mul", "div"}) {
            assertThatThrownBy(() -> binary(op, Tensor.zeros(3, 2), Tensor.zeros(4)))
                    .as(op).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(op + ":")
                    .hasMessageContaining("broadcast").hasMessageContaining("(3, 2)").hasMessageContaining("(4)");
            assertThatThrownBy(() -> binary(op, Tensor.zeros(2, 3, 4), Tensor.zeros(3, 1, 5)))
                    .as(op).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(2, 3, 4)").hasMessageContaining("(3, 1, 5)");
        }
    }

    private static Tensor binary(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "add" -> Ops.add(a, b);
            case "sub" -> Ops.sub(a, b);
            case "mul" -> Ops.mul(a, b);
            default -> Ops.div(a, b);
        };
    }

    // ---------------------------------------------------------------- gradients

    /** Shape pairs that take the general path, with stretched, missing and 0-d axes on either side. */
    private static final List<int[][]> PAIRS = List.of(
            new int[][] {{3, 1}, {}},
            new int[][] {{}, {2, 3}},
            new int[][] {{3, 1}, {1, 4}},
            new int[][] {{4}, {3, 4}},
            new int[][] {{2, 1, 3}, {2, 1}},
            new int[][] {{2, 3, 2, 4}, {4}},
            new int[][] {{2, 1, 1, 3}, {1, 2, 2, 1}},
            new int[][] {{5, 1}, {5, 3}});

    @Test
    void add_broadcast_matchesFiniteDifferences() {
        checkAll("add", Ops::add, Double::sum, false);
    }

    @Test
    void sub_broadcast_matchesFiniteDifferences() {
        checkAll("sub", Ops::sub, (a, b) -> a - b, false);
    }

    @Test
    void mul_broadcast_matchesFiniteDifferences() {
        checkAll("mul", Ops::mul, (a, b) -> a * b, false);
    }

    @Test
    void div_broadcast_matchesFiniteDifferences() {
        checkAll("div", Ops::div, (a, b) -> a / b, true);
    }

    @Test
    void check_broadcastGradientNotSummed_fails() {
        // a rule that returns the stretched input's gradient as the mean instead of the sum over the
        // stretched axis (off by the factor 3 on (3,1) + ()): the checker must catch it
        assertThatThrownBy(() -> checker.check("add with an averaged broadcast gradient",
                x -> Ops.custom("add_mean_rule", in -> Ops.add(in[0], in[1]),
                        (g, y, in) -> new Tensor[] {g, Ops.mean(g)}, x[0], x[1]),
                r -> reference(r[0], s(3, 1), r[1], s(), Double::sum),
                checker.uniform(-1, 1, 3, 1), checker.uniform(-1, 1)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("gradient of input 1");
    }

    private interface Binary {
        Tensor apply(Tensor a, Tensor b);
    }

    private void checkAll(String op, Binary f, DoubleBinaryOperator ref, boolean positiveB) {
        for (int[][] pair : PAIRS) {
            int[] as = pair[0];
            int[] bs = pair[1];
            Tensor a = checker.uniform(-1, 1, as);
            Tensor b = positiveB ? checker.uniform(0.5f, 2f, bs) : checker.uniform(-1, 1, bs);
            checker.check(op + " " + Tensor.shapeString(as) + " with " + Tensor.shapeString(bs),
                    x -> f.apply(x[0], x[1]), r -> reference(r[0], as, r[1], bs, ref), a, b);
        }
    }

    /**
     * The broadcast result in double, written independently of Ops: for each output index, the
     * inputs' indices come from clamping each stretched axis to 0 (numpy.broadcast_to's definition).
     */
    static double[] reference(double[] a, int[] as, double[] b, int[] bs, DoubleBinaryOperator f) {
        int rank = Math.max(as.length, bs.length);
        int[] out = new int[rank];
        for (int d = 0; d < rank; d++) {
            out[d] = Math.max(dim(as, d, rank), dim(bs, d, rank));
        }
        int size = 1;
        for (int v : out) {
            size *= v;
        }
        double[] c = new double[size];
        int[] index = new int[rank];
        for (int i = 0; i < size; i++) {
            int rem = i;
            for (int d = rank - 1; d >= 0; d--) {
                index[d] = rem % out[d];
                rem /= out[d];
            }
            c[i] = f.applyAsDouble(a[flat(index, as, rank)], b[flat(index, bs, rank)]);
        }
        return c;
    }

    private static int dim(int[] shape, int d, int rank) {
        int k = d - (rank - shape.length);
        return k < 0 ? 1 : shape[k];
    }

    private static int flat(int[] index, int[] shape, int rank) {
        int f = 0;
        for (int k = 0; k < shape.length; k++) {
            int i = shape[k] == 1 ? 0 : index[k + rank - shape.length];
            f = f * shape[k] + i;
        }
        return f;
    }
}
