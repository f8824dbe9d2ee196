package vecgrad.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * A seeded, shuffled split of examples into parts such as train, validation and test:
 * <pre>{@code
 * List<Dataset> parts = Split.of(all, 42, 0.7, 0.15, 0.15);   // train, validation, test
 * }</pre>
 * The rows are shuffled by a Fisher-Yates shuffle driven by {@code new Random(seed).nextInt} (as
 * {@link Batches#shuffled}), then cut in order: part {@code p} ends at
 * {@code floor(n · (f_0 + ... + f_p))}, the last at {@code n}. So the same seed gives the same parts,
 * every part keeps the shuffled order, and no row is in two parts. Unlike Keras' {@code validation_split},
 * which takes the last rows unshuffled, the parts do not depend on how the file was sorted.
 */
public final class Split {

    private Split() {
    }

    /**
     * The row indices of each part.
     *
     * @param n         the number of rows, at least as many as there are parts
     * @param seed      the shuffle's seed
     * @param fractions the parts' shares, at least one, each in {@code (0, 1]}, summing to 1 within 1e-9
     * @return one array of row indices per fraction, in shuffled order
     * @throws IllegalArgumentException if a fraction is out of range, they do not sum to 1, or a part would
     *     be empty
     */
    public static int[][] indices(int n, long seed, double... fractions) {
        Objects.requireNonNull(fractions, "fractions");
        if (fractions.length == 0) {
            throw new IllegalArgumentException("Split: expected at least one fraction, got none");
        }
        double sum = 0;
        for (int i = 0; i < fractions.length; i++) {
            if (!(fractions[i] > 0 && fractions[i] <= 1)) {
                throw new IllegalArgumentException("Split: fraction " + (i + 1) + " must be in (0, 1], got " + fractions[i]);
            }
            sum += fractions[i];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("Split: the fractions must sum to 1, got " + sum + " from "
                    + java.util.Arrays.toString(fractions));
        }
        if (n < 0) {
            throw new IllegalArgumentException("Split: expected a number of rows >= 0, got " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rng = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[][] parts = new int[fractions.length][];
        int from = 0;
        double cumulative = 0;
        for (int p = 0; p < fractions.length; p++) {
            cumulative += fractions[p];
            int to = p == fractions.length - 1 ? n : (int) Math.min(n, Math.floor(n * cumulative));
            if (to <= from) {
                throw new IllegalArgumentException("Split: part " + (p + 1) + " of " + n + " rows with fractions "
                        + java.util.Arrays.toString(fractions) + " would be empty");
            }
            parts[p] = java.util.Arrays.copyOfRange(order, from, to);
            from = to;
        }
        return parts;
    }

    /**
     * A dataset split into parts, as {@link #indices}: each part a float dataset of its rows (a pixel
     * dataset's rows are converted to floats, {@code pixel / 255f}).
     *
     * @param data      the dataset
     * @param seed      the shuffle's seed
     * @param fractions the parts' shares, each in {@code (0, 1]}, summing to 1
     * @return one dataset per fraction
     * @throws IllegalArgumentException as {@link #indices}
     */
    public static List<Dataset> of(Dataset data, long seed, double... fractions) {
        Objects.requireNonNull(data, "data");
        int[][] parts = indices(data.size(), seed, fractions);
        int k = data.features();
        List<Dataset> out = new ArrayList<>();
        for (int[] part : parts) {
            float[] x = new float[part.length * k];
            int[] labels = new int[part.length];
            for (int i = 0; i < part.length; i++) {
                data.copyImageRow(part[i], x, i * k);
                labels[i] = data.label(part[i]);
            }
            out.add(Dataset.of(vecgrad.tensor.Tensor.wrap(x, part.length, k), labels));
        }
        return out;
    }
}
