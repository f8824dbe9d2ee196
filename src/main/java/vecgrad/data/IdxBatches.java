package vecgrad.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import vecgrad.tensor.Tensor;

/**
 * {@link BatchSource#idx}: an image and a label IDX file read one batch at a time. Each pass opens both
 * files; the iterator closes them at the end of the pass, or when fit closes an abandoned pass.
 */
final class IdxBatches implements BatchSource {

    private static final int BUFFER = 1 << 16;

    private final Path images;
    private final Path labels;
    private final int classes;
    private final int batchSize;
    private final int n;
    private final int features;
    private final int imageHeader;

    private IdxBatches(Path images, Path labels, int classes, int batchSize, int n, int features, int imageHeader) {
        this.images = images;
        this.labels = labels;
        this.classes = classes;
        this.batchSize = batchSize;
        this.n = n;
        this.features = features;
        this.imageHeader = imageHeader;
    }

    static IdxBatches open(Path images, Path labels, int classes, int batchSize) throws IOException {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (batchSize < 1 || classes < 1) {
            throw new IllegalArgumentException("BatchSource.idx: expected classes >= 1 and batchSize >= 1, got classes="
                    + classes + ", batchSize=" + batchSize);
        }
        int[] imageDims;
        try (DataInputStream in = open(images)) {
            imageDims = header(images, in, "images");
        }
        if (imageDims.length < 2) {
            throw new IllegalArgumentException("BatchSource.idx: " + images + " holds unsigned bytes of rank "
                    + imageDims.length + ", expected (n, rows, cols) or (n, features)");
        }
        long features = 1;
        for (int i = 1; i < imageDims.length; i++) {
            features *= imageDims[i];
        }
        if (features < 1 || features > Integer.MAX_VALUE / Math.max(1, batchSize)) {
            throw new IllegalArgumentException("BatchSource.idx: " + images + " has " + features + " values per image,"
                    + " too many for batches of " + batchSize);
        }
        int count;
        try (DataInputStream in = open(labels)) {
            int[] labelDims = header(labels, in, "labels");
            if (labelDims.length != 1) {
                throw new IllegalArgumentException("BatchSource.idx: " + labels + " holds unsigned bytes of rank "
                        + labelDims.length + ", expected (n)");
            }
            count = labelDims[0];
            if (count != imageDims[0] || count == 0) {
                throw new IllegalArgumentException("BatchSource.idx: expected as many labels as images, and some, got "
                        + count + " labels in " + labels + " and " + imageDims[0] + " images in " + images);
            }
            // The labels are scanned now, so that a bad one stops fit before its first step.
            for (int i = 0; i < count; i++) {
                int label = in.readUnsignedByte();
                if (label >= classes) {
                    throw new IllegalArgumentException("BatchSource.idx: label " + label + " at row " + i + " of " + labels
                            + " is not below the " + classes + " classes");
                }
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("BatchSource.idx: " + labels + " ends before its declared labels", e);
        }
        return new IdxBatches(images, labels, classes, batchSize, count, (int) features, 4 + 4 * imageDims.length);
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in);
    }

    /** Reads an IDX header of unsigned bytes: its dimensions. */
    private static int[] header(Path file, DataInputStream in, String what) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException("BatchSource.idx: " + file + " (" + what + ") is empty or shorter than an"
                    + " IDX header", e);
        }
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xFF) != 0x08) {
            throw new IllegalArgumentException("BatchSource.idx: " + file + " (" + what + ") is not an IDX file of unsigned"
                    + " bytes: magic number 0x" + Integer.toHexString(magic) + ", expected 0x000008NN");
        }
        int rank = magic & 0xFF;
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            if (dims[i] < 0) {
                throw new IllegalArgumentException("BatchSource.idx: " + file + " declares a dimension of " + (dims[i] & 0xFFFFFFFFL));
            }
        }
        return dims;
    }

    @Override
    public int batches() {
        return (n + batchSize - 1) / batchSize;
    }

    /** {@return the number of samples per pass} */
    int samples() {
        return n;
    }

    @Override
    public Iterator<Batch> iterator() {
        return new Pass();
    }

    /** One pass: both files open, one batch of buffers (and one for a smaller last batch). */
    private final class Pass implements Iterator<Batch>, AutoCloseable {
        private DataInputStream imageIn;
        private DataInputStream labelIn;
        private int done;
        private byte[] pixels;
        private Tensor x;
        private Tensor y;

        @Override
        public boolean hasNext() {
            return done < n;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            int m = Math.min(batchSize, n - done);
            try {
                if (imageIn == null) {
                    imageIn = IdxBatches.open(images);
                    imageIn.skipNBytes(imageHeader);
                    labelIn = IdxBatches.open(labels);
                    labelIn.skipNBytes(8);
                }
                if (x == null || x.dim(0) != m) {
                    pixels = new byte[m * features];
                    x = Tensor.zeros(m, features);
                    y = Tensor.zeros(m, classes);
                }
                imageIn.readFully(pixels, 0, m * features);
                Dataset.toUnit(pixels, 0, x.data(), 0, m * features);      // as Dataset.copyImageRow
                float[] yd = y.data();
                java.util.Arrays.fill(yd, 0f);
                for (int i = 0; i < m; i++) {
                    int label = labelIn.readUnsignedByte();
                    if (label >= classes) {     // the file changed since it was scanned
                        throw new IllegalStateException("BatchSource.idx: label " + label + " at row " + (done + i) + " of "
                                + labels + " is not below the " + classes + " classes");
                    }
                    yd[i * classes + label] = 1f;
                }
            } catch (EOFException e) {
                close();
                throw new IllegalStateException("BatchSource.idx: " + images + " or " + labels + " ends before row " + done
                        + " of the " + n + " their headers declare", e);
            } catch (IOException e) {
                close();
                throw new UncheckedIOException("BatchSource.idx: reading " + images + " and " + labels + " at row " + done, e);
            }
            done += m;
            if (done == n) {
                close();
            }
            return new Batch(x, y);
        }

        @Override
        public void close() {
            try {
                if (imageIn != null) {
                    imageIn.close();
                }
                if (labelIn != null) {
                    labelIn.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                imageIn = null;
                labelIn = null;
            }
        }
    }
}
