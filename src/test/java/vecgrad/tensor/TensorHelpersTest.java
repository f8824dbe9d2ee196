package vecgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class TensorHelpersTest {

    @Test
    void of2d_copiesRowMajor() {
        float[][] rows = {{1, 2, 3}, {4, 5, 6}};
        Tensor t = Tensor.of(rows);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.data()).containsExactly(1, 2, 3, 4, 5, 6);
        rows[1][2] = 99;
        assertThat(t.get(1, 2)).as("a copy").isEqualTo(6f);
        assertThat(t.toArray2d()).isDeepEqualTo(new float[][] {{1, 2, 3}, {4, 5, 6}});
    }

    @Test
    void of2d_raggedOrEmpty() {
        assertThatThrownBy(() -> Tensor.of(new float[][] {{1, 2}, {3, 4}, {5}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ragged rows: row 0 has 2 values, row 2 has 1");
        assertThatThrownBy(() -> Tensor.of(new float[0][])).hasMessageContaining("at least one row");
        assertThatThrownBy(() -> Tensor.of(new float[][] {{}})).hasMessageContaining("empty row 0");
    }

    @Test
    void toArray2d_notAMatrix() {
        assertThatThrownBy(() -> Tensor.zeros(2, 2, 2).toArray2d()).hasMessageContaining("got (2, 2, 2)");
    }

    @Test
    void rows_copiesAlongTheFirstAxis() {
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 2, 2);
        Tensor r = t.rows(1, 3);
        assertThat(r.shape()).containsExactly(2, 2, 2);
        assertThat(r.data()).containsExactly(4, 5, 6, 7, 8, 9, 10, 11);
        r.data()[0] = -1;
        assertThat(t.data()[4]).as("a copy").isEqualTo(4f);
        assertThat(t.rows(2, 2).shape()).containsExactly(0, 2, 2);
        assertThat(Tensor.of(new float[] {7, 8, 9}, 3).rows(0, 1).data()).containsExactly(7);
    }

    @Test
    void rows_outOfRange() {
        Tensor t = Tensor.zeros(3, 2);
        assertThatThrownBy(() -> t.rows(2, 4)).hasMessageContaining("0 <= from <= to <= 3").hasMessageContaining("from 2, to 4");
        assertThatThrownBy(() -> t.rows(-1, 1)).hasMessageContaining("from -1");
        assertThatThrownBy(() -> t.rows(2, 1)).hasMessageContaining("from 2, to 1");
        assertThatThrownBy(() -> Tensor.scalar(1).rows(0, 1)).hasMessageContaining("scalar");
    }

    @Test
    void argmaxRows_firstOfTheLargest() {
        Tensor t = Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {5, 5, 1}, {-3, -2, -1}, {Float.NaN, 1, 2}, {1, Float.NaN, 0}});
        assertThat(t.argmaxRows()).as("NaN first stays, as the accuracy kernel").containsExactly(1, 0, 2, 0, 0);
        assertThatThrownBy(() -> Tensor.zeros(3).argmaxRows()).hasMessageContaining("got (3)");
        assertThatThrownBy(() -> Tensor.zeros(3, 0).argmaxRows()).hasMessageContaining("got (3, 0)");
    }

    @Test
    void ofLabels_floatsOfTheLabels() {
        Tensor t = Tensor.ofLabels(new int[] {3, 0, 9});
        assertThat(t.shape()).containsExactly(3);
        assertThat(t.data()).containsExactly(3, 0, 9);
        assertThatThrownBy(() -> Tensor.ofLabels(new int[] {1, -2})).hasMessageContaining("got -2 at index 1");
        assertThatThrownBy(() -> Tensor.ofLabels(new int[] {(1 << 24) + 1})).hasMessageContaining("exact in a float");
    }

    @Test
    void oneHot_aSingleOnePerRow() {
        Tensor t = Tensor.oneHot(new int[] {2, 0, 1}, 3);
        assertThat(t.toArray2d()).isDeepEqualTo(new float[][] {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}});
        assertThat(t.argmaxRows()).containsExactly(2, 0, 1);
        assertThat(Tensor.oneHot(new int[0], 4).shape()).containsExactly(0, 4);
    }

    @Test
    void oneHot_labelOutOfRange() {
        assertThatThrownBy(() -> Tensor.oneHot(new int[] {0, 10}, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 10), got 10 at index 1");
        assertThatThrownBy(() -> Tensor.oneHot(new int[] {-1}, 10)).hasMessageContaining("got -1 at index 0");
        assertThatThrownBy(() -> Tensor.oneHot(new int[] {0}, 0)).hasMessageContaining("classes >= 1, got 0");
    }
}
