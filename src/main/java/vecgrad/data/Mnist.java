package vecgrad.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import vecgrad.kernel.WarmUp;
import vecgrad.tensor.Tensor;

/**
 * The MNIST handwritten digits: 60,000 training and 10,000 test images of 28x28 pixels with labels
 * 0..9, read from the four standard IDX files.
 *
 * <p>{@link #load} looks in one folder for {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each uncompressed or with
 * {@code .gz} (the uncompressed file wins when both exist). Images become a tensor of shape
 * {@code (N, 784)} holding {@code pixel / 255f}, in [0, 1]; labels an {@code int[]}.
 */
public final class Mnist {

    /** Image height and width, in pixels. */
    public static final int SIDE = 28;
    /** Pixels per image, the width of the images tensor. */
    public static final int PIXELS = SIDE * SIDE;
    /** The number of classes, the digits 0..9. */
    public static final int CLASSES = 10;

    /** The standard file names, without {@code .gz}. */
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    /** See {@link #TRAIN_IMAGES}. */
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    /** See {@link #TRAIN_IMAGES}. */
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    /** See {@link #TRAIN_IMAGES}. */
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private final Dataset train;
    private final Dataset test;
    private final List<Path> files;

    private Mnist(Dataset train, Dataset test, List<Path> files) {
        this.train = train;
        this.test = test;
        this.files = files;
    }

    /**
     * The shape of one image as a convolutional model takes it: height, width and channels, Keras'
     * {@code channels_last}. {@code mnist.train().images(Mnist.imageShape())} is the training set as
     * {@code (60000, 28, 28, 1)}, a view of the same values as the flat rows {@code (60000, 784)}.
     *
     * @return a new array {@code {28, 28, 1}}
     */
    public static int[] imageShape() {
        return new int[] {SIDE, SIDE, 1};
    }

    /**
     * Loads the four MNIST files from {@code folder}. The first load in a JVM also starts the kernels'
     * automatic warm-up in the background, so that it overlaps the reading (see
     * {@link vecgrad.tensor.Backend}; {@code -Dvecgrad.warmUp=off} turns it off); no result depends on it.
     *
     * @param folder the folder holding the four files, each raw or with a {@code .gz} suffix
     * @return the training and test sets
     * @throws FileNotFoundException if the folder or a file is missing; the message lists every path tried
     * @throws IdxFormatException if a file is not valid IDX, is not unsigned-byte images {@code (N, 28, 28)}
     *     or labels {@code (N)} in 0..9, or an image file and its label file disagree on N
     * @throws IOException on other read errors
     */
    public static Mnist load(Path folder) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new FileNotFoundException("MNIST folder not found: " + dir);
        }
        String[] names = {TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS};
        List<Path> files = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            Path raw = dir.resolve(name);
            Path gz = dir.resolve(name + ".gz");
            // exists, not isRegularFile: a FIFO or folder in its place is refused by IdxFile.read with what it is
            if (Files.exists(raw)) {
                files.add(raw);
            } else if (Files.exists(gz)) {
                files.add(gz);
            } else {
                missing.add(raw + " or " + gz.getFileName());
            }
        }
        if (!missing.isEmpty()) {
            throw new FileNotFoundException("MNIST files not found: tried " + String.join("; ", missing));
        }
        startWarmUp();
        Dataset train = dataset(files.get(0), files.get(1));
        Dataset test = dataset(files.get(2), files.get(3));
        return new Mnist(train, test, List.copyOf(files));
    }

    /**
     * Starts the kernels' automatic warm-up (see {@link vecgrad.tensor.Backend}) while the files load: a
     * program loads its data before it builds and trains its model, and the warm-up (mostly the JIT
     * compiler's work) then overlaps the reading instead of delaying the first epoch. It changes no
     * result and starts at most once per JVM, like the one the first model starts.
     */
    private static void startWarmUp() {
        try {
            WarmUp.startAutomatic();
        } catch (IllegalArgumentException e) {
            // A bad vecgrad.warmUp value: the model's constructor refuses it with its message.
        }
    }

    /**
     * The 60,000 training examples (for the standard files).
     *
     * @return the training set, as loaded
     */
    public Dataset train() {
        return train;
    }

    /**
     * The 10,000 test examples (for the standard files).
     *
     * @return the test set, as loaded
     */
    public Dataset test() {
        return test;
    }

    /**
     * The files read: train images, train labels, test images, test labels.
     *
     * @return an unmodifiable list of the four absolute paths, in that order
     */
    public List<Path> files() {
        return files;
    }

    private static Dataset dataset(Path imageFile, Path labelFile) throws IOException {
        IdxArray images = images(imageFile);
        int[] labels = labels(labelFile);
        if (images.dim(0) != labels.length) {
            throw new IdxFormatException("MNIST image and label counts differ: " + imageFile + " has "
                    + images.dim(0) + " images, " + labelFile + " has " + labels.length + " labels");
        }
        // The pixels stay bytes (47 MB for the training set, not 188 MB of floats); see Dataset.
        return Dataset.wrapPixels((byte[]) images.values(), PIXELS, labels);
    }

    private static IdxArray images(Path file) throws IOException {
        IdxArray idx = IdxFile.read(file);
        if (idx.type() != IdxType.UNSIGNED_BYTE || idx.rank() != 3 || idx.dim(1) != SIDE || idx.dim(2) != SIDE) {
            throw new IdxFormatException(file, "expected MNIST images, " + IdxType.UNSIGNED_BYTE + " (N, "
                    + SIDE + ", " + SIDE + "), found " + idx.type() + " " + Tensor.shapeString(idx.dims()));
        }
        return idx;
    }

    private static int[] labels(Path file) throws IOException {
        IdxArray idx = IdxFile.read(file);
        if (idx.type() != IdxType.UNSIGNED_BYTE || idx.rank() != 1) {
            throw new IdxFormatException(file, "expected MNIST labels, " + IdxType.UNSIGNED_BYTE
                    + " (N), found " + idx.type() + " " + Tensor.shapeString(idx.dims()));
        }
        int[] labels = idx.toIntArray();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new IdxFormatException(file, "label " + i + " is " + labels[i] + ", expected 0.."
                        + (CLASSES - 1));
            }
        }
        return labels;
    }
}
