package vecgrad.app.report;

import java.util.Arrays;
import java.util.Objects;

/**
 * Test-set counts of (true label, predicted label) over the 10 digits: {@code count(t, p)} test images
 * of digit {@code t} were predicted as {@code p}. Immutable: the counts are copied in and out.
 */
public final class ConfusionMatrix {

    private final int[][] counts;

    private ConfusionMatrix(int[][] counts) {
        this.counts = counts;
    }

    /**
     * The matrix from {@code counts[true][predicted]}: 10 rows of 10 non-negative counts.
     *
     * @throws IllegalArgumentException if the array is not 10 x 10 or holds a negative count
     */
    public static ConfusionMatrix of(int[][] counts) {
        Objects.requireNonNull(counts, "counts");
        int n = RunConfig.CLASSES;
        if (counts.length != n) {
            throw new IllegalArgumentException("expected a 10 x 10 confusion matrix, got " + counts.length + " rows");
        }
        int[][] copy = new int[n][];
        for (int t = 0; t < n; t++) {
            if (counts[t] == null || counts[t].length != n) {
                throw new IllegalArgumentException("expected a 10 x 10 confusion matrix, got row " + t + " with "
                        + (counts[t] == null ? "null" : counts[t].length + " columns"));
            }
            for (int p = 0; p < n; p++) {
                if (counts[t][p] < 0) {
                    throw new IllegalArgumentException(
                            "expected non-negative counts, got " + counts[t][p] + " at [" + t + "][" + p + "]");
                }
            }
            copy[t] = counts[t].clone();
        }
        return new ConfusionMatrix(copy);
    }

    /**
     * The matrix counted from parallel label arrays, each label in 0..9.
     *
     * @throws IllegalArgumentException if the lengths differ or a label is out of range
     */
    public static ConfusionMatrix fromLabels(int[] trueLabels, int[] predicted) {
        Objects.requireNonNull(trueLabels, "trueLabels");
        Objects.requireNonNull(predicted, "predicted");
        if (trueLabels.length != predicted.length) {
            throw new IllegalArgumentException("expected as many predictions as labels, got " + predicted.length
                    + " predictions for " + trueLabels.length + " labels");
        }
        int[][] c = new int[RunConfig.CLASSES][RunConfig.CLASSES];
        for (int i = 0; i < trueLabels.length; i++) {
            Checks.label("trueLabels[" + i + "]", trueLabels[i]);
            Checks.label("predicted[" + i + "]", predicted[i]);
            c[trueLabels[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(c);
    }

    /** The number of test images of digit {@code trueLabel} predicted as {@code predictedLabel}. */
    public int count(int trueLabel, int predictedLabel) {
        return counts[trueLabel][predictedLabel];
    }

    /** A copy of the counts, {@code [true][predicted]}. */
    public int[][] counts() {
        int[][] copy = new int[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            copy[t] = counts[t].clone();
        }
        return copy;
    }

    /** The number of test images of digit {@code trueLabel} (the row sum). */
    public int rowTotal(int trueLabel) {
        return Arrays.stream(counts[trueLabel]).sum();
    }

    /** All counted images. */
    public int total() {
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).sum();
    }

    /** The largest single count (0 for an empty matrix). */
    int max() {
        return Arrays.stream(counts).flatMapToInt(Arrays::stream).max().orElse(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(counts);
    }
}
