package vecgrad.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;
import vecgrad.tensor.Tensor;

/**
 * Batches for {@code Sequential.fit(BatchSource, FitOptions)} that need not fit in memory, as the
 * iterators and generators Keras' {@code fit} takes: each {@link #iterator()} starts a pass over the
 * data, and {@link #batches()} says how many batches a pass holds, if known.
 *
 * <pre>{@code
 * BatchSource train = BatchSource.idx(images, labels, 10, 128);        // streams MNIST from disk
 * BatchSource stream = BatchSource.generator(() -> nextBatchFromSomewhere());   // endless
 * model.fit(stream, FitOptions.defaults().epochs(5).stepsPerEpoch(469));
 * }</pre>
 *
 * <p>As in Keras 3 (keras/src/trainers/epoch_iterator.py), without {@code stepsPerEpoch} each epoch is
 * one whole pass (a new iterator per epoch); with it, each epoch takes that many batches from an
 * iterator that carries on from where the last epoch stopped, and a new pass starts only when a pass of
 * known length is used up. An {@link #INFINITE} source therefore requires {@code stepsPerEpoch}: fit
 * refuses it otherwise, before training. Iterators that hold files should implement
 * {@link AutoCloseable}: fit closes an iterator it abandons.
 */
public interface BatchSource extends Iterable<BatchSource.Batch> {

    /** {@link #batches()} of a finite source whose length is known only once a pass ends. */
    int UNKNOWN = -1;

    /** {@link #batches()} of a source that never ends, such as {@link #generator}. */
    int INFINITE = -2;

    /**
     * One batch: {@code x (rows, ...)}, {@code y} with as many rows (one-hot or sparse labels, as the
     * loss takes them), and optional per-row sample weights.
     *
     * @param x             the inputs, {@code (rows, features)} or the model's input shape after the rows
     * @param y             the targets, {@code rows} first
     * @param sampleWeights the weight of each row {@code (rows)}, or null for none
     */
    record Batch(Tensor x, Tensor y, Tensor sampleWeights) {

        /**
         * Checks the rows.
         *
         * @param x             the inputs
         * @param y             the targets, one row per row of x
         * @param sampleWeights one weight per row, or null
         * @throws IllegalArgumentException if x has no rows, y has not as many, or the weights are not one per row
         */
        public Batch {
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.rank() == 0 || x.dim(0) == 0 || y.rank() == 0 || y.dim(0) != x.dim(0)) {
                throw new IllegalArgumentException("BatchSource.Batch: expected x and y with the same non-zero number of"
                        + " rows, got x " + x.shapeString() + " and y " + y.shapeString());
            }
            if (sampleWeights != null && !(sampleWeights.rank() == 1 && sampleWeights.dim(0) == x.dim(0))) {
                throw new IllegalArgumentException("BatchSource.Batch: expected sample weights of shape (" + x.dim(0)
                        + "), got " + sampleWeights.shapeString());
            }
        }

        /**
         * A batch without sample weights.
         *
         * @param x the inputs
         * @param y the targets, one row per row of x
         */
        public Batch(Tensor x, Tensor y) {
            this(x, y, null);
        }

        /** {@return the number of rows} */
        public int size() {
            return x.dim(0);
        }
    }

    /**
     * The number of batches in one pass: at least 1, {@link #UNKNOWN} or {@link #INFINITE}.
     *
     * @return the batches per pass, or {@link #UNKNOWN} or {@link #INFINITE}
     */
    int batches();

    /**
     * Starts a pass over the data.
     *
     * @return the pass's batches, in order
     */
    @Override
    Iterator<Batch> iterator();

    /**
     * An endless source that calls {@code next} for each batch, as a Python generator with a
     * {@code while True} loop; fit needs {@code stepsPerEpoch} with it. Every pass continues the
     * same stream.
     *
     * @param next gives the next batch; never null
     * @return an {@link #INFINITE} source
     */
    static BatchSource generator(Supplier<Batch> next) {
        Objects.requireNonNull(next, "next");
        return new BatchSource() {
            @Override
            public int batches() {
                return INFINITE;
            }

            @Override
            public Iterator<Batch> iterator() {
                return new Iterator<>() {
                    private long count;

                    @Override
                    public boolean hasNext() {
                        return true;
                    }

                    @Override
                    public Batch next() {
                        Batch b = next.get();
                        count++;
                        if (b == null) {
                            throw new IllegalStateException("BatchSource.generator: the generator returned null for batch "
                                    + count + " (an endless source must always give a batch)");
                        }
                        return b;
                    }
                };
            }
        };
    }

    /**
     * A finite source: each pass is a new iterator from {@code passes}.
     *
     * @param batches the number of batches per pass, at least 1, or {@link #UNKNOWN}
     * @param passes  starts a pass
     * @return a source of that many batches per pass
     * @throws IllegalArgumentException if {@code batches} is neither {@link #UNKNOWN} nor at least 1
     */
    static BatchSource of(int batches, Supplier<? extends Iterator<Batch>> passes) {
        Objects.requireNonNull(passes, "passes");
        if (batches < 1 && batches != UNKNOWN) {
            throw new IllegalArgumentException("BatchSource.of: expected batches >= 1 or UNKNOWN (-1), got " + batches
                    + " (an endless source is BatchSource.generator)");
        }
        return new BatchSource() {
            @Override
            public int batches() {
                return batches;
            }

            @Override
            public Iterator<Batch> iterator() {
                return Objects.requireNonNull(passes.get(), "BatchSource.of: the pass supplier returned null");
            }
        };
    }

    /**
     * Streams an IDX image file and its label file (MNIST's format, raw or gzip) from disk in batches, in
     * file order: {@code x (batch, pixels)} as {@code pixel / 255f} (the floats {@link Mnist} and
     * {@link Dataset} make) and {@code y} one-hot over {@code classes}. Only the headers are read here,
     * and the labels scanned; each pass opens the files again and holds one batch in memory.
     *
     * @param images    an IDX file of unsigned bytes, {@code (n, rows, cols)} or {@code (n, features)}
     * @param labels    an IDX file of unsigned bytes {@code (n)}
     * @param classes   the number of classes, greater than every label
     * @param batchSize rows per batch, at least 1; the last batch of a pass may be smaller
     * @return a source of {@code ceil(n / batchSize)} batches per pass
     * @throws IllegalArgumentException if the files are not unsigned-byte IDX of those ranks, their counts
     *     differ or are 0, a label is not below {@code classes} (naming its row), or batchSize is below 1
     * @throws IOException if a file cannot be read
     */
    static BatchSource idx(Path images, Path labels, int classes, int batchSize) throws IOException {
        return IdxBatches.open(images, labels, classes, batchSize);
    }
}
