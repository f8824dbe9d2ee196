package vecgrad.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vecgrad.app.digits.DigitImage;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.nn.Activation;
import vecgrad.nn.Dense;
import vecgrad.nn.Evaluation;
import vecgrad.nn.Loss;
import vecgrad.nn.Metric;
import vecgrad.nn.Sequential;
import vecgrad.optim.Adam;
import vecgrad.tensor.Tensor;

/**
 * {@code mnist predict}: classifies digit images with saved weights, or evaluates them on the MNIST
 * test set.
 */
final class PredictCommand {

    /** How many classes each image's line lists, most probable first. */
    static final int TOP = 3;

    private final String weights;
    private final String data;
    private final int testLimit;
    private final List<String> images;

    private PredictCommand(String weights, String data, int testLimit, List<String> images) {
        this.weights = weights;
        this.data = data;
        this.testLimit = testLimit;
        this.images = List.copyOf(images);
    }

    /** Parses the arguments after {@code predict}; null when {@code --help} was asked. */
    static PredictCommand parse(List<String> argList) throws CommandException {
        return parse(new CommandLine(argList));
    }

    /** Parses the arguments after {@code predict} from {@code args}, which also records {@code --debug}. */
    static PredictCommand parse(CommandLine args) throws CommandException {
        String weights = null;
        String data = null;
        int testLimit = 0;
        List<String> images = new ArrayList<>();
        while (args.advance()) {
            if (!args.isOption()) {
                images.add(args.current());
                continue;
            }
            switch (args.current()) {
                case "-h", "--help" -> {
                    args.noValue();
                    return null;
                }
                case "--weights" -> weights = args.text("a .safetensors file");
                case "--data" -> data = args.text("a folder");
                case "--test-limit" -> testLimit = args.intBetween(1, Integer.MAX_VALUE);
                case "--hidden" -> throw CommandException.usage("predict reads the layer sizes from the weights file;"
                        + " leave out --hidden");
                default -> throw args.unexpected();
            }
        }
        if (weights == null) {
            throw CommandException.usage("predict needs --weights FILE (saved by mnist --save FILE)");
        }
        if (data == null && images.isEmpty()) {
            throw CommandException.usage("predict needs IMAGE files to classify, or --data DIR to evaluate on the MNIST"
                    + " test set");
        }
        if (data != null && !images.isEmpty()) {
            throw CommandException.usage("predict takes IMAGE files or --data DIR, not both");
        }
        if (testLimit > 0 && data == null) {
            throw CommandException.usage("--test-limit applies to --data DIR, not to images");
        }
        return new PredictCommand(weights, data, testLimit, images);
    }

    int run(Map<String, String> env, PrintStream out) throws CommandException {
        Path file = path("--weights", weights);
        DataFolder folder = data == null ? null : DataFolder.resolve(data, env);
        List<Path> imagePaths = new ArrayList<>();
        for (String image : images) {
            imagePaths.add(path("image", image));
        }

        // A whole model (Sequential.save, what --save writes) is rebuilt from its own architecture. A
        // weights-only file gets its architecture from its shapes and metadata; then the model reads the
        // file itself with Sequential.loadWeights, so that predict accepts exactly the files loadWeights accepts.
        String network;
        Sequential model;
        try {
            SafeTensorsContents contents = SafeTensors.read(file);
            if (Sequential.holdsModel(contents)) {
                model = Sequential.load(file);
                network = SavedNetwork.describe(model);
                // Flat pixels (784) for a Dense network, or the image (28, 28, 1) for a convnet.
                if (!Arrays.equals(model.inputShape(), new int[] {784}) && !Arrays.equals(model.inputShape(),
                        Mnist.imageShape()) || !Arrays.equals(model.outputShape(), new int[] {10})) {
                    throw new IllegalArgumentException("it holds a " + model.architecture() + " model; predict needs"
                            + " 784 inputs (28 x 28 pixels) and 10 outputs (the digits), or an image (28, 28, 1) input");
                }
                if (!(model.layers().get(model.layers().size() - 1) instanceof Dense last)
                        || last.activation() != Activation.SOFTMAX) {
                    throw new IllegalArgumentException("its output layer is not a softmax Dense layer, so it gives no"
                            + " probabilities");
                }
            } else {
                SavedNetwork saved = SavedNetwork.of(contents);
                if (saved.sizes().get(0) != 784 || saved.sizes().get(saved.sizes().size() - 1) != 10) {
                    throw new IllegalArgumentException("it holds a " + saved + " network; predict needs 784 inputs"
                            + " (28 x 28 pixels) and 10 outputs (the digits)");
                }
                if (saved.activations().get(saved.activations().size() - 1) != Activation.SOFTMAX) {
                    throw new IllegalArgumentException("its output layer is not softmax, so it gives no probabilities");
                }
                network = saved.toString();
                model = saved.build();
                model.loadWeights(file);
            }
        } catch (IOException e) {
            throw CommandException.failure(naming("cannot read --weights", file, reason(e)));
        } catch (IllegalArgumentException | ArithmeticException e) {
            // ArithmeticException: vecgrad.tensor.NonFiniteException, a NaN or infinity among the weights
            throw CommandException.failure(naming("--weights", file, String.valueOf(e.getMessage())));
        }

        if (folder != null) {
            return evaluate(model, network, folder, out);
        }
        float[] pixels = new float[imagePaths.size() * 784];
        for (int i = 0; i < imagePaths.size(); i++) {
            try {
                System.arraycopy(DigitImage.read(imagePaths.get(i)), 0, pixels, i * 784, 784);
            } catch (IOException e) {
                throw CommandException.failure(naming("cannot read image", imagePaths.get(i), reason(e)));
            } catch (IllegalArgumentException e) {
                throw CommandException.failure(e.getMessage());
            }
        }
        float[] p = model.predict(Tensor.wrap(pixels, batchShape(imagePaths.size(), model.inputShape()))).data();
        for (int i = 0; i < imagePaths.size(); i++) {
            out.println(images.get(i) + ": " + line(p, i * 10));
        }
        return 0;
    }

    /** {@code (n, inputShape...)}: a batch of {@code n} samples of the model's input shape. */
    private static int[] batchShape(int n, int[] inputShape) {
        int[] shape = new int[inputShape.length + 1];
        shape[0] = n;
        System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
        return shape;
    }

    /** {@code 7  (7 99.81%, 1 0.12%, 9 0.03%)}: the digit, then the top classes with their probabilities. */
    static String line(float[] probabilities, int offset) {
        Integer[] order = new Integer[10];
        for (int c = 0; c < 10; c++) {
            order[c] = c;
        }
        Arrays.sort(order, (a, b) -> {
            int byP = Float.compare(probabilities[offset + b], probabilities[offset + a]);
            return byP != 0 ? byP : Integer.compare(a, b);
        });
        StringBuilder sb = new StringBuilder().append(order[0]).append("  (");
        for (int k = 0; k < TOP; k++) {
            sb.append(k == 0 ? "" : ", ").append(order[k])
                    .append(String.format(Locale.ROOT, " %.2f%%", 100.0 * probabilities[offset + order[k]]));
        }
        return sb.append(')').toString();
    }

    private int evaluate(Sequential model, String network, DataFolder folder, PrintStream out)
            throws CommandException {
        Dataset test = folder.load().test();
        if (testLimit > 0 && testLimit < test.size()) {
            test = test.first(testLimit);
        }
        if (test.size() == 0) {
            throw CommandException.failure("expected test samples in " + folder + ", got none");
        }
        model.compile(new Adam(), Loss.categoricalCrossentropy(), Metric.ACCURACY);
        Evaluation e = model.evaluate(test.images(model.inputShape()), test.oneHot(10));
        out.printf(Locale.ROOT, "%s network from %s%n", network, weights);
        out.printf(Locale.ROOT, "test: accuracy %.4f, loss %.4f on %d samples of %s%n", e.accuracy(), e.loss(),
                e.samples(), folder);
        return 0;
    }

    /**
     * {@code what PATH: message}, naming the path once: a reader's message usually names it already
     * ({@code PATH: expected a safetensors file, found a FIFO (named pipe)}), and a line that repeats a
     * long path twice is hard to read.
     */
    static String naming(String what, Path file, String message) {
        String path = file.toString();
        if (message.startsWith(path)) {
            return what + " " + message;
        }
        if (message.contains(path)) {
            return what + ": " + message;
        }
        return what + " " + path + ": " + message;
    }

    /** The reason of a failed read: the exception's own words when it has them, with the path it concerns. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return String.valueOf(e.getMessage()); // "PATH: reason"
        }
        return OutputPaths.reason(e);
    }

    private static Path path(String what, String name) throws CommandException {
        try {
            return Path.of(name).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw CommandException.usage("bad " + what + " path '" + name + "': " + e.getMessage());
        }
    }
}
