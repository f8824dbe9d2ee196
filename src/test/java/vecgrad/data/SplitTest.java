package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

final class SplitTest {

    @Test
    void indices_sameSeedSameParts_otherSeedOtherParts_noRowTwice() {
        int[][] a = Split.indices(100, 42, 0.7, 0.15, 0.15);
        int[][] again = Split.indices(100, 42, 0.7, 0.15, 0.15);
        int[][] other = Split.indices(100, 43, 0.7, 0.15, 0.15);
        assertThat(a).isDeepEqualTo(again);
        assertThat(a[0]).isNotEqualTo(other[0]);
        // floor(100 * 0.7) = 70, floor(100 * 0.85) = 85, then the rest
        assertThat(new int[] {a[0].length, a[1].length, a[2].length}).containsExactly(70, 15, 15);
        int[] all = IntStream.concat(IntStream.concat(Arrays.stream(a[0]), Arrays.stream(a[1])), Arrays.stream(a[2]))
                .sorted().toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 100).toArray());
        // shuffled: the training part is not the first 70 rows
        assertThat(a[0]).isNotEqualTo(IntStream.range(0, 70).toArray());
    }

    @Test
    void indices_isTheFisherYatesShuffleOfJavaUtilRandom() {
        // Written out independently: for i = n-1 .. 1, swap i with nextInt(i + 1).
        java.util.Random rng = new java.util.Random(5);
        int[] order = IntStream.range(0, 10).toArray();
        for (int i = 9; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[][] parts = Split.indices(10, 5, 0.5, 0.5);
        assertThat(parts[0]).containsExactly(Arrays.copyOfRange(order, 0, 5));
        assertThat(parts[1]).containsExactly(Arrays.copyOfRange(order, 5, 10));
    }

    @Test
    void of_keepsEachRowWithItsLabel() {
        float[] x = new float[20 * 3];
        int[] labels = new int[20];
        for (int r = 0; r < 20; r++) {
            labels[r] = r % 4;
            for (int j = 0; j < 3; j++) {
                x[r * 3 + j] = r * 10 + j;
            }
        }
        List<Dataset> parts = Split.of(Dataset.of(Tensor.wrap(x, 20, 3), labels), 9, 0.6, 0.4);
        assertThat(parts.get(0).size()).isEqualTo(12);
        assertThat(parts.get(1).size()).isEqualTo(8);
        for (Dataset part : parts) {
            for (int i = 0; i < part.size(); i++) {
                int row = (int) part.images().get(i, 0) / 10;
                assertThat(part.images().get(i, 2)).isEqualTo(row * 10 + 2f);
                assertThat(part.labels()[i]).isEqualTo(row % 4);
            }
        }
    }

    @Test
    void fractions_badOnesAreRefused() {
        assertThatThrownBy(() -> Split.indices(10, 1)).hasMessage("Split: expected at least one fraction, got none");
        assertThatThrownBy(() -> Split.indices(10, 1, 0.5, 0.6)).hasMessageContaining("must sum to 1, got 1.1");
        assertThatThrownBy(() -> Split.indices(10, 1, 1.5, -0.5)).hasMessage("Split: fraction 1 must be in (0, 1], got 1.5");
        assertThatThrownBy(() -> Split.indices(10, 1, 0.5, Double.NaN)).hasMessage("Split: fraction 2 must be in (0, 1], got NaN");
        assertThatThrownBy(() -> Split.indices(3, 1, 0.9, 0.05, 0.05)).hasMessageContaining("part 2 of 3 rows").hasMessageContaining("would be empty");
        assertThat(Split.indices(10, 1, 1.0)[0]).hasSize(10);
    }

    @Test
    void of_pixelDataset_givesFloatRowsOfPixelOver255() {
        byte[] pixels = new byte[6 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20);
        }
        Dataset data = Dataset.ofPixels(pixels, 2, new int[] {0, 1, 2, 3, 4, 5});
        for (Dataset part : Split.of(data, 3, 0.5, 0.5)) {
            for (int i = 0; i < part.size(); i++) {
                int row = part.labels()[i];
                assertThat(part.images().get(i, 1)).isEqualTo((float) ((row * 2 + 1) * 20) / 255f);
            }
        }
    }
}
