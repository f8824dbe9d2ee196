package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

final class DatasetTest {

    /** Ten examples of two features; row i is (i, 10 i), label i mod 3. */
    private static Dataset ten() {
        float[] x = new float[20];
        int[] y = new int[10];
        for (int i = 0; i < 10; i++) {
            x[2 * i] = i;
            x[2 * i + 1] = 10 * i;
            y[i] = i % 3;
        }
        return Dataset.of(Tensor.of(x, 10, 2), y);
    }

    @Test
    void of_countsDiffer() {
        assertThatThrownBy(() -> Dataset.of(Tensor.zeros(3, 2), new int[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images (3, 2) have 3 rows but there are 4 labels");
    }

    @Test
    void of_notRank2() {
        assertThatThrownBy(() -> Dataset.of(Tensor.zeros(3), new int[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected images of shape (N, features), got (3)");
    }

    @Test
    void labels_areCopied() {
        int[] y = {1, 2};
        Dataset d = Dataset.of(Tensor.zeros(2, 1), y);
        y[0] = 7;
        d.labels()[1] = 7;
        assertThat(d.labels()).containsExactly(1, 2);
        assertThat(d.size()).isEqualTo(2);
    }

    @Test
    void slice_copiesRows() {
        Dataset part = ten().slice(3, 5);
        assertThat(part.images().hasShape(2, 2)).isTrue();
        assertThat(part.images().data()).containsExactly(3f, 30f, 4f, 40f);
        assertThat(part.labels()).containsExactly(0, 1);
    }

    @Test
    void first_zeroAndAll() {
        assertThat(ten().first(0).size()).isZero();
        assertThat(ten().first(10).images().data()[19]).isEqualTo(90f);
        assertThatThrownBy(() -> ten().first(11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 0 <= n <= 10, got 11");
    }

    @Test
    void slice_badRange() {
        assertThatThrownBy(() -> ten().slice(5, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 0 <= from <= to <= 10, got from=5, to=4");
    }

    @Test
    void labelCounts_histogram() {
        assertThat(ten().labelCounts(3)).containsExactly(4, 3, 3);
        assertThatThrownBy(() -> ten().labelCounts(2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 2 at index 2 is outside 0..1");
    }

    @Test
    void validationPart_isTheLastExamplesAsKeras() {
        // Keras: split_at = floor(10 * (1 - 0.25)) = floor(7.5) = 7
        assertThat(ten().trainingPart(0.25).labels()).containsExactly(0, 1, 2, 0, 1, 2, 0);
        assertThat(ten().validationPart(0.25).images().data()).containsExactly(7f, 70f, 8f, 80f, 9f, 90f);
    }

    @Test
    void validationPart_mnistSizes() {
        Dataset d = Dataset.of(Tensor.zeros(60000, 1), new int[60000]);
        assertThat(d.trainingPart(0.1).size()).isEqualTo(54000);
        assertThat(d.validationPart(0.1).size()).isEqualTo(6000);
    }

    @Test
    void validationPart_badFraction() {
        assertThatThrownBy(() -> ten().validationPart(1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a validation fraction in (0, 1), got 1.0");
        assertThatThrownBy(() -> ten().trainingPart(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected a validation fraction in (0, 1), got NaN");
        assertThatThrownBy(() -> ten().trainingPart(0.95)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot split 10 examples with validation fraction 0.95: one part would be empty");
    }
}
