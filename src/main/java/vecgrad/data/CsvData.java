package vecgrad.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * A table read by {@link CsvReader}: numeric features {@code (n, k)} and a label per row, either a
 * class index (with the class names) or a number. For training:
 * <ul>
 *   <li>classes: {@link #dataset()} for {@code fit(Dataset, options)} with a categorical cross-entropy,
 *       or {@link #features()} with {@link #oneHot()} (or {@link #targets()} as sparse labels);</li>
 *   <li>numbers: {@link #features()} with {@link #targets()} {@code (n, 1)}.</li>
 * </ul>
 * Tensors returned are new copies each call; {@link #split} gives seeded train/validation/test parts.
 */
public final class CsvData {

    private final float[] features;
    private final int rows;
    private final List<String> featureNames;
    private final String labelName;
    /** Class indices, or null for numeric labels. */
    private final int[] labels;
    /** Numeric labels, or null for classes. */
    private final float[] numbers;
    private final List<String> classNames;

    private CsvData(float[] features, int rows, List<String> featureNames, String labelName, int[] labels,
            float[] numbers, List<String> classNames) {
        this.features = features;
        this.rows = rows;
        this.featureNames = List.copyOf(featureNames);
        this.labelName = labelName;
        this.labels = labels;
        this.numbers = numbers;
        this.classNames = classNames;
    }

    static CsvData classes(float[] features, int rows, List<String> featureNames, String labelName, int[] labels,
            List<String> classNames) {
        return new CsvData(features, rows, featureNames, labelName, labels, null, List.copyOf(classNames));
    }

    static CsvData numbers(float[] features, int rows, List<String> featureNames, String labelName, float[] numbers) {
        return new CsvData(features, rows, featureNames, labelName, null, numbers, List.of());
    }

    /** {@return the number of rows read (blank lines and the header not counted)} */
    public int size() {
        return rows;
    }

    /** {@return the feature columns' names, in the order of the features' columns} */
    public List<String> featureNames() {
        return featureNames;
    }

    /** {@return the label column's name} */
    public String labelName() {
        return labelName;
    }

    /** {@return whether the labels are classes ({@link CsvReader#classes}) rather than numbers} */
    public boolean hasClasses() {
        return labels != null;
    }

    /**
     * The class names, sorted as {@link CsvReader#classes} describes: class {@code i} is
     * {@code classNames().get(i)}.
     *
     * @return the class names, empty for numeric labels
     */
    public List<String> classNames() {
        return classNames;
    }

    /** {@return a new tensor of the features {@code (n, k)}, row by row as in the file} */
    public Tensor features() {
        return Tensor.of(features, rows, featureNames.size());
    }

    /**
     * The class index of each row.
     *
     * @return a new array of {@code n} indices in {@code [0, classNames().size())}
     * @throws IllegalStateException for numeric labels
     */
    public int[] labels() {
        requireClasses("labels");
        return labels.clone();
    }

    /**
     * The labels as a column {@code (n, 1)}: the numbers, or the class indices as floats (sparse labels).
     *
     * @return a new tensor {@code (n, 1)}
     */
    public Tensor targets() {
        float[] t = new float[rows];
        for (int r = 0; r < rows; r++) {
            t[r] = labels != null ? labels[r] : numbers[r];
        }
        return Tensor.wrap(t, rows, 1);
    }

    /**
     * The class labels one-hot, {@code (n, classes)}.
     *
     * @return a new tensor
     * @throws IllegalStateException for numeric labels
     */
    public Tensor oneHot() {
        requireClasses("oneHot");
        return dataset().oneHot(classNames.size());
    }

    /**
     * The features and class labels as a {@link Dataset} (its own copy of the features).
     *
     * @return a float dataset of {@code n} examples
     * @throws IllegalStateException for numeric labels
     */
    public Dataset dataset() {
        requireClasses("dataset");
        return Dataset.of(features(), labels);
    }

    /**
     * Splits the rows into parts of the given fractions after a seeded shuffle, as
     * {@link Split#indices(int, long, double...)}: the same seed gives the same parts.
     *
     * @param seed      the shuffle's seed
     * @param fractions the parts' shares, each in {@code (0, 1)}, summing to 1 (e.g. 0.7, 0.15, 0.15)
     * @return one table per fraction, with the same columns and classes
     * @throws IllegalArgumentException as {@link Split#indices(int, long, double...)}
     */
    public List<CsvData> split(long seed, double... fractions) {
        int[][] parts = Split.indices(rows, seed, fractions);
        int k = featureNames.size();
        List<CsvData> out = new ArrayList<>();
        for (int[] part : parts) {
            float[] f = new float[part.length * k];
            int[] l = labels == null ? null : new int[part.length];
            float[] v = numbers == null ? null : new float[part.length];
            for (int i = 0; i < part.length; i++) {
                System.arraycopy(features, part[i] * k, f, i * k, k);
                if (l != null) {
                    l[i] = labels[part[i]];
                } else {
                    v[i] = numbers[part[i]];
                }
            }
            out.add(new CsvData(f, part.length, featureNames, labelName, l, v, classNames));
        }
        return out;
    }

    private void requireClasses(String method) {
        if (labels == null) {
            throw new IllegalStateException("CsvData." + method + ": the label column '" + labelName + "' was read as"
                    + " numbers (CsvReader.numbers); read it with CsvReader.classes for class labels, or use targets()");
        }
    }

    @Override
    public String toString() {
        return "CsvData(" + rows + " rows, features " + featureNames + ", label " + labelName
                + (labels != null ? " " + classNames : " (numbers)") + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CsvData d && d.rows == rows && java.util.Arrays.equals(d.features, features)
                && d.featureNames.equals(featureNames) && d.labelName.equals(labelName)
                && java.util.Arrays.equals(d.labels, labels) && java.util.Arrays.equals(d.numbers, numbers)
                && d.classNames.equals(classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, featureNames, labelName, classNames) * 31 + java.util.Arrays.hashCode(features);
    }
}
