package vecgrad.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import vecgrad.tensor.Tensor;

/**
 * Mini-batches of paired rows of {@code x} and {@code y}, in a fresh shuffled order each time it is
 * iterated (one epoch per iteration), as {@code tf.data.Dataset.shuffle(n).batch(b)} in a custom loop.
 * {@code Model.fit} draws its batches from this same class, so a custom loop with the same seed sees
 * exactly the batches {@code fit} sees.
 *
 * <pre>{@code
 * Batches batches = Batches.shuffled(x, y, 128, new Random(42));
 * for (int epoch = 0; epoch < 5; epoch++) {
 *     for (Batches.Batch b : batches) { ... b.x() (128, 784), b.y() (128, 10) ... }
 * }
 * }</pre>
 *
 * <p>The batch tensors are buffers reused from batch to batch (the last, smaller batch of an epoch has
 * its own): copy what must outlive the step. The order of an epoch is a Fisher-Yates shuffle driven by
 * {@link Random#nextInt(int)}, so a seed gives the same batches on every JDK.
 */
public final class Batches implements Iterable<Batches.Batch> {

    /**
     * One mini-batch: {@code x (size, sample...)}, {@code y (size, yCols)}, the rows' indices in the source, and its number from 1.
     *
     * @param x the inputs {@code (size, features)} or images {@code (size, h, w, c)}; a buffer reused by
     *     later batches
     * @param y the targets {@code (size, yCols)}; a buffer reused by later batches
     * @param rows the index in the source of each of the batch's rows; reused like {@code x} and {@code y}
     * @param number the batch's position in its epoch, from 1
     */
    public record Batch(Tensor x, Tensor y, int[] rows, int number) {
        /**
         * The number of samples in the batch.
         *
         * @return the rows of {@code x}: the batch size, or fewer for an epoch's last batch
         */
        public int size() {
            return x.dim(0);
        }
    }

    private final Source source;
    private final int batchSize;
    private final Random rng;
    private final int[] order;
    private final Buffers full;
    private final Buffers last;

    private Batches(Source source, int batchSize, Random rng) {
        this.source = source;
        this.batchSize = batchSize;
        this.rng = rng;
        int n = source.rows();
        this.order = new int[n];
        int fullSize = Math.min(batchSize, n);
        int lastSize = n % batchSize;
        this.full = new Buffers(fullSize, source);
        this.last = lastSize == 0 || n < batchSize ? full : new Buffers(lastSize, source);
    }

    /**
     * Batches in a new random order each epoch, drawn from {@code rng}.
     *
     * @param x the inputs {@code (n, features)} or {@code (n, d1, d2, ...)} (images), {@code n >= 1}
     * @param y the targets {@code (n, targets)}, one row per row of {@code x}
     * @param batchSize the number of rows per batch, {@code >= 1}; the last batch of an epoch may be smaller
     * @param rng the source of each epoch's shuffle
     * @return batches over {@code x} and {@code y}, iterable once per epoch
     * @throws IllegalArgumentException unless {@code x} (rank 2 or more) and {@code y} (a matrix) have
     *     the same, non-zero number of rows, or if {@code batchSize < 1}
     */
    public static Batches shuffled(Tensor x, Tensor y, int batchSize, Random rng) {
        Objects.requireNonNull(rng, "rng");
        return create(x, y, batchSize, rng);
    }

    /**
     * Batches in the rows' own order, every epoch.
     *
     * @param x the inputs {@code (n, features)} or {@code (n, d1, d2, ...)} (images), {@code n >= 1}
     * @param y the targets {@code (n, targets)}, one row per row of {@code x}
     * @param batchSize the number of rows per batch, {@code >= 1}; the last batch of an epoch may be smaller
     * @return batches over {@code x} and {@code y}, iterable once per epoch
     * @throws IllegalArgumentException unless {@code x} (rank 2 or more) and {@code y} (a matrix) have
     *     the same, non-zero number of rows, or if {@code batchSize < 1}
     */
    public static Batches inOrder(Tensor x, Tensor y, int batchSize) {
        return create(x, y, batchSize, null);
    }

    /**
     * Batches of a dataset's images {@code x (size, features)} and its labels one-hot {@code y (size,
     * classes)}, in a new random order each epoch, drawn from {@code rng}. For the same order and
     * values, the same batches as {@code shuffled(data.images(), data.oneHot(classes), ...)}, without
     * making either whole tensor: a pixel dataset's rows are converted as each batch is filled.
     *
     * @param data the examples, at least one
     * @param classes the number of classes, the width of {@code y}; {@code >= 1}
     * @param batchSize the number of rows per batch, {@code >= 1}; the last batch of an epoch may be smaller
     * @param rng the source of each epoch's shuffle
     * @return batches over the dataset, iterable once per epoch
     * @throws IllegalArgumentException if the dataset is empty, {@code classes < 1}, a label is outside
     *     {@code [0, classes)} (checked here, before any batch), or {@code batchSize < 1}
     */
    public static Batches shuffled(Dataset data, int classes, int batchSize, Random rng) {
        Objects.requireNonNull(rng, "rng");
        return create(data, classes, batchSize, rng);
    }

    /**
     * {@link #shuffled(Dataset, int, int, Random)} in the rows' own order, every epoch.
     *
     * @param data the examples, at least one
     * @param classes the number of classes, the width of {@code y}; {@code >= 1}
     * @param batchSize the number of rows per batch, {@code >= 1}; the last batch of an epoch may be smaller
     * @return batches over the dataset, iterable once per epoch
     * @throws IllegalArgumentException if the dataset is empty, {@code classes < 1}, a label is outside
     *     {@code [0, classes)}, or {@code batchSize < 1}
     */
    public static Batches inOrder(Dataset data, int classes, int batchSize) {
        return create(data, classes, batchSize, null);
    }

    private static Batches create(Dataset data, int classes, int batchSize, Random rng) {
        Objects.requireNonNull(data, "data");
        if (classes < 1) {
            throw new IllegalArgumentException("expected classes >= 1, got " + classes);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("no samples: the dataset is empty");
        }
        data.labelCounts(classes);   // every label in range, or a message naming the first that is not
        checkBatchSize(batchSize);
        return new Batches(new DatasetSource(data, classes), batchSize, rng);
    }

    private static Batches create(Tensor x, Tensor y, int batchSize, Random rng) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rank() < 2 || y.rank() != 2) {
            throw new IllegalArgumentException("expected x (samples, features...) of rank 2 or more and rank-2 y"
                    + " (samples, targets), got x " + x.shapeString() + " and y " + y.shapeString());
        }
        if (x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("x and y must have the same number of rows, got x " + x.shapeString()
                    + " and y " + y.shapeString());
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException("no samples: x has shape " + x.shapeString());
        }
        checkBatchSize(batchSize);
        return new Batches(new TensorSource(x, y), batchSize, rng);
    }

    private static void checkBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
    }

    /**
     * The number of batches per epoch.
     *
     * @return {@code ceil(samples() / batchSize)}
     */
    public int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /**
     * The number of samples per epoch.
     *
     * @return the number of rows in the source
     */
    public int samples() {
        return order.length;
    }

    /** Starts an epoch: draws its order (when shuffled) and returns its batches. */
    @Override
    public Iterator<Batch> iterator() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (rng != null) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return new Iterator<>() {
            private int start;
            private int number;

            @Override
            public boolean hasNext() {
                return start < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int size = Math.min(batchSize, order.length - start);
                Buffers b = size == full.size ? full : last;
                b.fill(source, order, start);
                start += size;
                number++;
                return new Batch(b.x, b.y, b.rows, number);
            }
        };
    }

    /** Where the rows of x and y come from. */
    private interface Source {
        int rows();

        /** The values of one sample of x. */
        int xCols();

        /** The shape of one sample of x, without the batch axis: {@code (features)} or {@code (28, 28, 1)}. */
        int[] xSample();

        int yCols();

        /** Copies x's row {@code row} into {@code dst} at {@code at}. */
        void copyX(int row, float[] dst, int at);

        /** Writes y's row {@code row} into {@code dst} at {@code at}. */
        void copyY(int row, float[] dst, int at);
    }

    /** Rows of two tensors. */
    private record TensorSource(Tensor x, Tensor y) implements Source {
        public int rows() {
            return x.dim(0);
        }

        public int xCols() {
            return x.dim(0) == 0 ? 0 : x.size() / x.dim(0);
        }

        public int[] xSample() {
            int[] s = x.shape();
            return java.util.Arrays.copyOfRange(s, 1, s.length);
        }

        public int yCols() {
            return y.dim(1);
        }

        public void copyX(int row, float[] dst, int at) {
            System.arraycopy(x.data(), row * xCols(), dst, at, xCols());
        }

        public void copyY(int row, float[] dst, int at) {
            System.arraycopy(y.data(), row * yCols(), dst, at, yCols());
        }
    }

    /** A dataset's image rows and its labels one-hot. */
    private record DatasetSource(Dataset data, int classes) implements Source {
        public int rows() {
            return data.size();
        }

        public int xCols() {
            return data.features();
        }

        public int[] xSample() {
            return data.sampleShape();
        }

        public int yCols() {
            return classes;
        }

        public void copyX(int row, float[] dst, int at) {
            data.copyImageRow(row, dst, at);
        }

        public void copyY(int row, float[] dst, int at) {
            java.util.Arrays.fill(dst, at, at + classes, 0f);
            dst[at + data.label(row)] = 1f;
        }
    }

    /** The reusable tensors of one batch size. */
    private static final class Buffers {
        final int size;
        final Tensor x;
        final Tensor y;
        final int[] rows;

        Buffers(int size, Source source) {
            this.size = size;
            int[] sample = source.xSample();
            int[] shape = new int[sample.length + 1];
            shape[0] = size;
            System.arraycopy(sample, 0, shape, 1, sample.length);
            this.x = Tensor.zeros(shape);
            this.y = Tensor.zeros(size, source.yCols());
            this.rows = new int[size];
        }

        void fill(Source source, int[] order, int start) {
            int xc = source.xCols();
            int yc = source.yCols();
            for (int r = 0; r < size; r++) {
                int src = order[start + r];
                rows[r] = src;
                source.copyX(src, x.data(), r * xc);
                source.copyY(src, y.data(), r * yc);
            }
        }
    }
}
