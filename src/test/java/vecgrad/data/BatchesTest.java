package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

final class BatchesTest {

    private static final int N = 100;

    /** Row i of x is (i, -i), row i of y is (10 i): each batch row names its source row. */
    private static Tensor[] numbered() {
        Tensor x = Tensor.zeros(N, 2);
        Tensor y = Tensor.zeros(N, 1);
        for (int i = 0; i < N; i++) {
            x.set(i, i, 0);
            x.set(-i, i, 1);
            y.set(10 * i, i, 0);
        }
        return new Tensor[] {x, y};
    }

    /** The reference: Durstenfeld's Fisher-Yates shuffle of 0..n-1, drawing j from {@code rng.nextInt(i + 1)}. */
    private static int[] fisherYates(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** One epoch's rows, in batch order, after checking each batch's sizes, number and contents. */
    private static int[] epochRows(Batches batches, Tensor x, Tensor y, int batchSize) {
        List<Integer> rows = new ArrayList<>();
        int number = 0;
        for (Batches.Batch b : batches) {
            number++;
            assertThat(b.number()).isEqualTo(number);
            assertThat(b.size()).isEqualTo(Math.min(batchSize, N - rows.size()));
            assertThat(b.rows()).hasSize(b.size());
            for (int r = 0; r < b.size(); r++) {
                int src = b.rows()[r];
                assertThat(b.x().get(r, 0)).isEqualTo(x.get(src, 0));
                assertThat(b.x().get(r, 1)).isEqualTo(x.get(src, 1));
                assertThat(b.y().get(r, 0)).isEqualTo(y.get(src, 0));
                rows.add(src);
            }
        }
        assertThat(number).isEqualTo(batches.count());
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void shuffled_eachEpochIsTheReferenceFisherYatesOfTheSameRandom() {
        // fit() draws its batches here, so this fixes the batch order of every seeded fit: 100 rows in
        // batches of 32 (the last of 4), five epochs, each a new shuffle continuing the same Random.
        Tensor[] d = numbered();
        for (long seed : new long[] {42, 7}) {
            Batches batches = Batches.shuffled(d[0], d[1], 32, new Random(seed));
            Random reference = new Random(seed);
            int[] previous = null;
            for (int epoch = 1; epoch <= 5; epoch++) {
                int[] rows = epochRows(batches, d[0], d[1], 32);
                assertThat(rows).as("seed %d, epoch %d", seed, epoch).containsExactly(fisherYates(N, reference));
                assertThat(rows).as("a new order each epoch").isNotEqualTo(previous);
                previous = rows;
            }
        }
        assertThat(Batches.shuffled(d[0], d[1], 32, new Random(1)).count()).isEqualTo(4);
    }

    @Test
    void inOrder_everyEpochIsTheRowsOwnOrder() {
        Tensor[] d = numbered();
        Batches batches = Batches.inOrder(d[0], d[1], 30);
        int[] identity = new int[N];
        for (int i = 0; i < N; i++) {
            identity[i] = i;
        }
        for (int epoch = 1; epoch <= 2; epoch++) {
            assertThat(epochRows(batches, d[0], d[1], 30)).containsExactly(identity);
        }
        assertThat(batches.count()).isEqualTo(4);
        assertThat(batches.samples()).isEqualTo(N);
    }

    @Test
    void shuffled_batchLargerThanTheData_isOneBatchOfEverything() {
        Tensor[] d = numbered();
        Batches batches = Batches.shuffled(d[0], d[1], 128, new Random(3));
        assertThat(epochRows(batches, d[0], d[1], 128)).containsExactly(fisherYates(N, new Random(3)));
        assertThat(batches.count()).isEqualTo(1);
    }

    @Test
    void shuffled_badArguments() {
        Tensor[] d = numbered();
        assertThatThrownBy(() -> Batches.shuffled(d[0], d[1], 0, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batchSize must be >= 1, got 0");
        assertThatThrownBy(() -> Batches.shuffled(d[0], Tensor.zeros(99, 1), 8, new Random(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(100, 2)").hasMessageContaining("(99, 1)");
        assertThatThrownBy(() -> Batches.shuffled(d[0], d[1], 8, null)).isInstanceOf(NullPointerException.class);
    }
}
