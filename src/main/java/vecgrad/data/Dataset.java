package vecgrad.data;

import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * Labelled examples: an images tensor of shape {@code (N, features)}, one row per example, and
 * {@code N} integer class labels.
 *
 * <p>The dataset holds the images tensor itself, not a copy (tensors are handles on a live
 * {@code float[]}); the labels are copied in and out. Subsets ({@link #first}, {@link #slice} and the
 * validation split) copy their rows.
 */
public final class Dataset {

    private final Tensor images;
    private final int[] labels;

    private Dataset(Tensor images, int[] labels) {
        this.images = images;
        this.labels = labels;
    }

    /** A dataset of {@code images (N, features)} and {@code labels (N)}; the counts must agree. */
    public static Dataset of(Tensor images, int[] labels) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.rank() != 2) {
            throw new IllegalArgumentException("expected images of shape (N, features), got " + images.shapeString());
        }
        if (images.rows() != labels.length) {
            throw new IllegalArgumentException("images " + images.shapeString() + " have " + images.rows()
                    + " rows but there are " + labels.length + " labels");
        }
        return new Dataset(images, labels.clone());
    }

    /** The images, {@code (N, features)}: the tensor itself. */
    public Tensor images() {
        return images;
    }

    /** A copy of the labels, one per image row. */
    public int[] labels() {
        return labels.clone();
    }

    /** The number of examples, N. */
    public int size() {
        return labels.length;
    }

    /**
     * The labels as one-hot rows {@code (N, classes)}: row i has a 1 in column {@code labels[i]}, the
     * targets of a categorical cross-entropy. Every label must be in {@code [0, classes)}.
     */
    public Tensor oneHot(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("expected classes >= 1, got " + classes);
        }
        Tensor hot = Tensor.zeros(labels.length, classes);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("label " + labels[i] + " at row " + i + " is outside [0, " + classes + ")");
            }
            hot.data()[i * classes + labels[i]] = 1f;
        }
        return hot;
    }

    /** How many examples have each label {@code 0 .. classes-1}; every label must be in that range. */
    public int[] labelCounts(int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("expected classes >= 1, got " + classes);
        }
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " at index " + i + " is outside 0.."
                        + (classes - 1));
            }
            counts[label]++;
        }
        return counts;
    }

    /** The first {@code n} examples, {@code 0 <= n <= size()}. */
    public Dataset first(int n) {
        if (n < 0 || n > labels.length) {
            throw new IllegalArgumentException("expected 0 <= n <= " + labels.length + ", got " + n);
        }
        return slice(0, n);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), {@code 0 <= from <= to <= size()}. */
    public Dataset slice(int from, int to) {
        if (from < 0 || from > to || to > labels.length) {
            throw new IllegalArgumentException("expected 0 <= from <= to <= " + labels.length + ", got from="
                    + from + ", to=" + to);
        }
        int features = images.cols();
        float[] rows = new float[(to - from) * features];
        System.arraycopy(images.data(), from * features, rows, 0, rows.length);
        int[] part = new int[to - from];
        System.arraycopy(labels, from, part, 0, part.length);
        return new Dataset(Tensor.wrap(rows, to - from, features), part);
    }

    /**
     * The examples Keras trains on with {@code validation_split=fraction}: the first
     * {@code floor(N * (1 - fraction))}. See {@link #validationPart}.
     */
    public Dataset trainingPart(double fraction) {
        return slice(0, splitIndex(fraction));
    }

    /**
     * The examples Keras validates on with {@code validation_split=fraction}: the last ones, after
     * {@code floor(N * (1 - fraction))}, taken before any shuffling.
     */
    public Dataset validationPart(double fraction) {
        return slice(splitIndex(fraction), labels.length);
    }

    /*
     * Keras (keras/src/trainers/data_adapters/data_adapter_utils.py, train_validation_split):
     * split_at = int(math.floor(batch_dim * (1.0 - validation_split))), with an error when either part
     * would be empty. The same double arithmetic here gives the same index.
     */
    private int splitIndex(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("expected a validation fraction in (0, 1), got " + fraction);
        }
        int at = (int) Math.floor(labels.length * (1.0 - fraction));
        if (at == 0 || at == labels.length) {
            throw new IllegalArgumentException("cannot split " + labels.length + " examples with validation fraction "
                    + fraction + ": one part would be empty");
        }
        return at;
    }
}
