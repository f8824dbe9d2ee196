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

    /** One mini-batch: {@code x (size, xCols)}, {@code y (size, yCols)}, the rows' indices in the source, and its number from 1. */
    public record Batch(Tensor x, Tensor y, int[] rows, int number) {
        /** The number of samples in the batch. */
        public int size() {
            return x.dim(0);
        }
    }

    private final Tensor x;
    private final Tensor y;
    private final int batchSize;
    private final Random rng;
    private final int[] order;
    private final Buffers full;
    private final Buffers last;

    private Batches(Tensor x, Tensor y, int batchSize, Random rng) {
        this.x = x;
        this.y = y;
        this.batchSize = batchSize;
        this.rng = rng;
        int n = x.dim(0);
        this.order = new int[n];
        int fullSize = Math.min(batchSize, n);
        int lastSize = n % batchSize;
        this.full = new Buffers(fullSize, x, y);
        this.last = lastSize == 0 || n < batchSize ? full : new Buffers(lastSize, x, y);
    }

    /** Batches in a new random order each epoch, drawn from {@code rng}. */
    public static Batches shuffled(Tensor x, Tensor y, int batchSize, Random rng) {
        Objects.requireNonNull(rng, "rng");
        return create(x, y, batchSize, rng);
    }

    /** Batches in the rows' own order, every epoch. */
    public static Batches inOrder(Tensor x, Tensor y, int batchSize) {
        return create(x, y, batchSize, null);
    }

    private static Batches create(Tensor x, Tensor y, int batchSize, Random rng) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.rank() != 2 || y.rank() != 2) {
            throw new IllegalArgumentException("expected rank-2 x (samples, features) and y (samples, targets), got x "
                    + x.shapeString() + " and y " + y.shapeString());
        }
        if (x.dim(0) != y.dim(0)) {
            throw new IllegalArgumentException("x and y must have the same number of rows, got x " + x.shapeString()
                    + " and y " + y.shapeString());
        }
        if (x.dim(0) == 0) {
            throw new IllegalArgumentException("no samples: x has shape " + x.shapeString());
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        return new Batches(x, y, batchSize, rng);
    }

    /** The number of batches per epoch. */
    public int count() {
        return (order.length + batchSize - 1) / batchSize;
    }

    /** The number of samples per epoch. */
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
                b.fill(x, y, order, start);
                start += size;
                number++;
                return new Batch(b.x, b.y, b.rows, number);
            }
        };
    }

    /** The reusable tensors of one batch size. */
    private static final class Buffers {
        final int size;
        final Tensor x;
        final Tensor y;
        final int[] rows;

        Buffers(int size, Tensor xSrc, Tensor ySrc) {
            this.size = size;
            this.x = Tensor.zeros(size, xSrc.dim(1));
            this.y = Tensor.zeros(size, ySrc.dim(1));
            this.rows = new int[size];
        }

        void fill(Tensor xSrc, Tensor ySrc, int[] order, int start) {
            int xc = xSrc.dim(1);
            int yc = ySrc.dim(1);
            for (int r = 0; r < size; r++) {
                int src = order[start + r];
                rows[r] = src;
                System.arraycopy(xSrc.data(), src * xc, x.data(), r * xc, xc);
                System.arraycopy(ySrc.data(), src * yc, y.data(), r * yc, yc);
            }
        }
    }
}
