package vecgrad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

final class TensorTest {

    @Test
    void of_copiesAndChecksSize() {
        float[] d = {1, 2, 3, 4, 5, 6};
        Tensor t = Tensor.of(d, 2, 3);
        d[0] = 9;
        assertThat(t.get(0, 0)).isEqualTo(1f);
        assertThat(t.get(1, 2)).isEqualTo(6f);
        assertThat(t.rows()).isEqualTo(2);
        assertThat(t.cols()).isEqualTo(3);
        assertThatThrownBy(() -> Tensor.of(d, 4, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(4, 2) needs 8 elements, got 6");
    }

    @Test
    void wrap_sharesTheArray() {
        float[] d = new float[4];
        Tensor t = Tensor.wrap(d, 2, 2);
        d[3] = 7;
        assertThat(t.get(1, 1)).isEqualTo(7f);
    }

    @Test
    void reshape_isAViewAndInfersOneDimension() {
        Tensor t = Tensor.zeros(4, 6);
        Tensor r = t.reshape(-1, 3);
        assertThat(r.shape()).containsExactly(8, 3);
        r.set(5f, 7, 2);
        assertThat(t.get(3, 5)).isEqualTo(5f);
        assertThatThrownBy(() -> t.reshape(5, -1)).hasMessageContaining("cannot reshape (4, 6) to (5, -1)");
        assertThatThrownBy(() -> t.reshape(-1, -1)).hasMessageContaining("at most one -1");
        assertThatThrownBy(() -> t.reshape(2, 2)).hasMessageContaining("(2, 2) needs 4 elements, got 24");
    }

    @Test
    void get_rejectsBadIndices() {
        Tensor t = Tensor.zeros(2, 3);
        assertThatThrownBy(() -> t.get(0)).hasMessageContaining("expected 2 indices for shape (2, 3), got 1");
        assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("[2, 0]");
        assertThatThrownBy(() -> t.get(0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void factories_rejectBadShapesAndParameters() {
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).hasMessageContaining("(2, -1)");
        assertThatThrownBy(() -> Tensor.zeros(65536, 65536)).hasMessageContaining("more elements than a Java array");
        assertThatThrownBy(() -> Tensor.randomUniform(new Random(1), 1f, 1f, 2)).hasMessageContaining("low < high");
        assertThatThrownBy(() -> Tensor.randomNormal(new Random(1), 0f, -1f, 2)).hasMessageContaining("std >= 0");
    }

    @Test
    void random_isReproducibleFromTheSeedAndInRange() {
        Tensor a = Tensor.randomUniform(new Random(42), -2f, 3f, 100, 7);
        Tensor b = Tensor.randomUniform(new Random(42), -2f, 3f, 100, 7);
        assertThat(a.contentEquals(b)).isTrue();
        for (float v : a.data()) {
            assertThat(v).isBetween(-2f, 3f);
        }
        Tensor n = Tensor.randomNormal(new Random(3), 1f, 2f, 20000);
        double mean = 0;
        for (float v : n.data()) {
            mean += v;
        }
        mean /= n.size();
        double var = 0;
        for (float v : n.data()) {
            var += (v - mean) * (v - mean);
        }
        var /= n.size();
        assertThat(mean).isBetween(0.95, 1.05);
        assertThat(Math.sqrt(var)).isBetween(1.95, 2.05);
    }

    @Test
    void allClose_usesAbsoluteAndRelativeTolerance() {
        Tensor a = Tensor.of(new float[] {1f, 100f}, 2);
        Tensor b = Tensor.of(new float[] {1.001f, 100.5f}, 2);
        assertThat(a.allClose(b, 1e-2, 1e-2)).isTrue();
        assertThat(a.allClose(b, 1e-4, 1e-3)).isFalse();
        assertThat(a.allClose(Tensor.of(new float[] {1f, 100f}, 1, 2), 1, 1)).isFalse();
        assertThat(Tensor.scalar(Float.NaN).allClose(Tensor.scalar(Float.NaN), 1, 1)).isFalse();
    }

    @Test
    void variable_assignChecksShapeAndCopies() {
        Tensor init = Tensor.ones(2, 2);
        Variable v = Variable.of("W1", init);
        init.data()[0] = 5;
        assertThat(v.get(0, 0)).isEqualTo(1f);
        v.assign(Tensor.filled(3f, 2, 2));
        assertThat(v.data()).containsOnly(3f);
        assertThatThrownBy(() -> v.assign(Tensor.zeros(4))).hasMessageContaining("(4)").hasMessageContaining("W1")
                .hasMessageContaining("(2, 2)");
        assertThatThrownBy(() -> Variable.of(" ", init)).hasMessageContaining("non-blank name");
        assertThat(v.reshape(4)).isNotInstanceOf(Variable.class);
    }

    @Test
    void item_needsOneElement() {
        assertThat(Tensor.scalar(2.5f).item()).isEqualTo(2.5f);
        assertThatThrownBy(() -> Tensor.zeros(2).item()).hasMessageContaining("(2)");
    }
}
