package vecgrad.data;

import java.util.Objects;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;

/**
 * Labelled examples: images of {@code features} values each, one row per example, and {@code N}
 * integer class labels.
 *
 * <p>Two representations, the same values: a float tensor {@code (N, features)} ({@link #of}), held
 * itself, not a copy (tensors are handles on a live {@code float[]}); or 8-bit pixels
 * ({@link #ofPixels}, as {@link Mnist} loads them), a quarter of the memory, each value read as
 * {@code pixel / 255f} when a batch is filled ({@link Batches#shuffled(Dataset, int, int, java.util.Random)})
 * or when {@link #images()} is first asked for. Training from the pixels directly is what lets the
 * MNIST experiment run in a small heap: 47 MB of pixels instead of 188 MB of floats.
 *
 * <p>The labels are copied in and out. Subsets ({@link #first}, {@link #slice} and the validation
 * split) copy their rows of a float dataset, and share the (never written) pixels of a pixel dataset.
 */
public final class Dataset {

    /** The float images, or null for pixels until {@link #images()} is first called. */
    private Tensor images;
    /** 8-bit pixels, row {@code r} at {@code offset + r * features}; null for a float dataset. */
    private final byte[] pixels;
    private final int offset;
    private final int features;
    private final int[] labels;
    /** The shape of one example in batches, e.g. {@code {28, 28, 1}}; {@code {features}} by default. */
    private final int[] sampleShape;

    private Dataset(Tensor images, byte[] pixels, int offset, int features, int[] labels) {
        this(images, pixels, offset, features, labels, new int[] {features});
    }

    private Dataset(Tensor images, byte[] pixels, int offset, int features, int[] labels, int[] sampleShape) {
        this.images = images;
        this.pixels = pixels;
        this.offset = offset;
        this.features = features;
        this.labels = labels;
        this.sampleShape = sampleShape;
    }

    /**
     * A dataset of {@code images (N, features)} and {@code labels (N)}; the counts must agree.
     *
     * @param images the examples {@code (N, features)}; held itself, not copied
     * @param labels the class of each example, one per row of {@code images}; copied
     * @return a float dataset
     * @throws IllegalArgumentException unless {@code images} is a matrix with one row per label
     */
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
        return new Dataset(images, null, 0, images.cols(), labels.clone());
    }

    /**
     * A dataset of 8-bit images, {@code features} unsigned pixels per row, read as {@code pixel / 255f}
     * (in [0, 1]); {@code pixels} is copied.
     *
     * @param pixels the unsigned 8-bit values, row-major, {@code labels.length * features} of them
     * @param features the number of pixels per example, {@code >= 1}
     * @param labels the class of each example; copied
     * @return a pixel dataset
     * @throws IllegalArgumentException unless {@code features >= 1} and {@code pixels} holds exactly
     *     {@code labels.length} rows of {@code features}
     */
    public static Dataset ofPixels(byte[] pixels, int features, int[] labels) {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        return wrapPixels(pixels.clone(), features, labels.clone());
    }

    /** {@link #ofPixels} without the copies, for readers that hand over arrays nobody else holds. */
    static Dataset wrapPixels(byte[] pixels, int features, int[] labels) {
        if (features < 1) {
            throw new IllegalArgumentException("expected features >= 1, got " + features);
        }
        if ((long) labels.length * features != pixels.length) {
            throw new IllegalArgumentException("expected " + labels.length + " rows of " + features + " pixels ("
                    + (long) labels.length * features + " bytes) for " + labels.length + " labels, got " + pixels.length
                    + " bytes");
        }
        return new Dataset(null, pixels, 0, features, labels);
    }

    /**
     * The images, {@code (N, features)}: for a float dataset the tensor itself; for a pixel dataset a
     * tensor of {@code pixel / 255f} made on the first call (4 bytes per pixel) and returned again after.
     *
     * @return the live images tensor {@code (N, features)}, not a copy
     */
    public synchronized Tensor images() {
        if (images == null) {
            float[] values = new float[labels.length * features];
            for (int r = 0; r < labels.length; r++) {
                copyImageRow(r, values, r * features);
            }
            images = Tensor.wrap(values, labels.length, features);
        }
        return images;
    }

    /**
     * The images with each sample in {@code sampleShape}, {@code (N, sampleShape...)}: a view of
     * {@link #images()} (the same data, no copy), e.g. {@code images(28, 28, 1)} for MNIST as NHWC
     * images, Keras' {@code channels_last} layout, for a convolutional model.
     *
     * @param sampleShape the shape of one example, whose size is {@link #features()}, e.g. {@code 28, 28, 1}
     * @return a view of the images {@code (N, sampleShape...)}
     * @throws IllegalArgumentException if {@code sampleShape} is empty, has a dimension below 1, or does not
     *     hold {@link #features()} values (naming both)
     */
    public Tensor images(int... sampleShape) {
        checkSampleShape("images", sampleShape);
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = labels.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return images().reshape(shape);
    }

    /**
     * The same examples (the same pixels or floats, not copied) given in batches as
     * {@code (batch, sampleShape...)}: {@code mnist.train().withSampleShape(Mnist.imageShape())} trains a
     * convolutional model from the 8-bit pixels with {@code fit(Dataset, ...)}. Subsets keep the shape;
     * {@link #images()} stays flat.
     *
     * @param sampleShape the shape of one example, whose size is {@link #features()}, e.g. {@code 28, 28, 1}
     * @return a dataset over the same data whose batches have that sample shape
     * @throws IllegalArgumentException if {@code sampleShape} is empty, has a dimension below 1, or does not
     *     hold {@link #features()} values (naming both)
     */
    public Dataset withSampleShape(int... sampleShape) {
        checkSampleShape("withSampleShape", sampleShape);
        return new Dataset(images, pixels, offset, features, labels, sampleShape.clone());
    }

    /**
     * The shape of one example in batches, without the batch axis.
     *
     * @return a copy: {@code {features}} unless {@link #withSampleShape} gave another
     */
    public int[] sampleShape() {
        return sampleShape.clone();
    }

    private void checkSampleShape(String method, int[] sampleShape) {
        Objects.requireNonNull(sampleShape, "sampleShape");
        long size = 1;
        for (int d : sampleShape) {
            if (d < 1) {
                size = -1;
                break;
            }
            size *= d;
        }
        if (sampleShape.length == 0 || size != features) {
            throw new IllegalArgumentException(method + ": expected a sample shape of " + features + " values (dimensions"
                    + " >= 1), got " + Tensor.shapeString(sampleShape));
        }
    }

    /**
     * The number of values per image, the width of {@link #images()}.
     *
     * @return the number of features, {@code >= 1} for a pixel dataset
     */
    public int features() {
        return features;
    }

    /** Copies image row {@code row} as floats into {@code dst} at {@code at}. */
    void copyImageRow(int row, float[] dst, int at) {
        if (pixels == null) {
            System.arraycopy(images.data(), row * features, dst, at, features);
            return;
        }
        toUnit(pixels, offset + row * features, dst, at, features);
    }

    /**
     * Pixels {@code p} to {@code p / 255f}, the floats Mnist has always produced, a vector at a time:
     * every row of every batch passes here (a batch of 128 images is 100,352 pixels).
     */
    static void toUnit(byte[] pixels, int from, float[] dst, int at, int n) {
        KernelProvider.get().unsignedBytesToFloats(pixels, from, dst, at, n, 255f);
    }

    /** The label of row {@code row}, unchecked and uncopied. */
    int label(int row) {
        return labels[row];
    }

    /**
     * A copy of the labels, one per image row.
     *
     * @return a new array of {@code N} class labels
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * The number of examples, N.
     *
     * @return the number of labels, which is also the number of image rows
     */
    public int size() {
        return labels.length;
    }

    /**
     * The labels as one-hot rows {@code (N, classes)}: row i has a 1 in column {@code labels[i]}, the
     * targets of a categorical cross-entropy. Every label must be in {@code [0, classes)}.
     *
     * @param classes the number of classes, the width of each row; {@code >= 1}
     * @return a new tensor {@code (N, classes)}
     * @throws IllegalArgumentException if {@code classes < 1} or a label is outside {@code [0, classes)}
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

    /**
     * How many examples have each label {@code 0 .. classes-1}; every label must be in that range.
     *
     * @param classes the number of classes, {@code >= 1}
     * @return a new array of length {@code classes}: entry {@code c} counts the examples labelled {@code c}
     * @throws IllegalArgumentException if {@code classes < 1} or a label is outside {@code [0, classes)}
     */
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

    /**
     * The first {@code n} examples, {@code 0 <= n <= size()}.
     *
     * @param n how many examples to keep, in {@code [0, size()]}
     * @return a dataset of those examples
     * @throws IllegalArgumentException if {@code n} is outside {@code [0, size()]}
     */
    public Dataset first(int n) {
        if (n < 0 || n > labels.length) {
            throw new IllegalArgumentException("expected 0 <= n <= " + labels.length + ", got " + n);
        }
        return slice(0, n);
    }

    /**
     * Examples {@code from} (inclusive) to {@code to} (exclusive), {@code 0 <= from <= to <= size()}.
     *
     * @param from the first example, inclusive
     * @param to the end example, exclusive
     * @return a dataset of those {@code to - from} examples
     * @throws IllegalArgumentException unless {@code 0 <= from <= to <= size()}
     */
    public Dataset slice(int from, int to) {
        if (from < 0 || from > to || to > labels.length) {
            throw new IllegalArgumentException("expected 0 <= from <= to <= " + labels.length + ", got from="
                    + from + ", to=" + to);
        }
        int[] part = new int[to - from];
        System.arraycopy(labels, from, part, 0, part.length);
        if (pixels != null) {
            return new Dataset(null, pixels, offset + from * features, features, part, sampleShape);
        }
        float[] rows = new float[(to - from) * features];
        System.arraycopy(images.data(), from * features, rows, 0, rows.length);
        return new Dataset(Tensor.wrap(rows, to - from, features), null, 0, features, part, sampleShape);
    }

    /**
     * The examples Keras trains on with {@code validation_split=fraction}: the first
     * {@code floor(N * (1 - fraction))}. See {@link #validationPart}.
     *
     * @param fraction the share of examples held out for validation, in {@code (0, 1)}
     * @return a dataset of the first examples
     * @throws IllegalArgumentException if {@code fraction} is outside {@code (0, 1)} or either part would
     *     be empty
     */
    public Dataset trainingPart(double fraction) {
        return slice(0, splitIndex(fraction));
    }

    /**
     * The examples Keras validates on with {@code validation_split=fraction}: the last ones, after
     * {@code floor(N * (1 - fraction))}, taken before any shuffling.
     *
     * @param fraction the share of examples held out for validation, in {@code (0, 1)}
     * @return a dataset of the last examples
     * @throws IllegalArgumentException if {@code fraction} is outside {@code (0, 1)} or either part would
     *     be empty
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
