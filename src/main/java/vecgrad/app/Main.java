package vecgrad.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Parallel;

/**
 * The {@code mnist.jar} command line: trains the report's network three ways and writes the report,
 * or classifies digits with saved weights; see {@link #USAGE}.
 */
public final class Main {

    static final String USAGE = """
            Usage: mnist [OPTIONS]                          train, compare the methods, write the report
                   mnist predict --weights FILE IMAGE...    classify images of handwritten digits
                   mnist predict --weights FILE --data DIR  evaluate saved weights on the MNIST test set
                   mnist --help

            Trains the report's network (784-256-128-64-10, ReLU, softmax, categorical cross-entropy,
            Adam) on MNIST with each method from the same seed:
              tape    a custom loop: forward pass on a GradientTape, its gradients, an Adam step
              fit     Sequential.fit, the built-in loop
              manual  the hand-derived backpropagation equations (no tape), an Adam step
            The last 10% of the training set is held out for validation. Prints the test accuracy and
            loss, the best validation accuracy, the training time (validation included) and speed of
            each run, and the largest difference between the methods' final weights; writes the
            report into --out.

            Options:
              --data DIR         folder with the four MNIST IDX files, raw or gzip:
                                 train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
                                 t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
                                 (default: $MNIST_DIR if set, else test-data/mnist)
              --epochs N         passes over the training set (default 5)
              --batch-size N     samples per step (default 128)
              --hidden LIST      hidden-layer widths, comma-separated (default 256,128,64)
              --lr RATE          Adam's learning rate (default 0.001)
              --seed N           seed of the initial weights and of the batch order (default 42)
              --seeds N          repeat with seeds seed .. seed+N-1; adds mean ± std per method (default 1)
              --methods LIST     comma-separated, from tape,fit,manual (default all three)
              --threads N        kernel threads (default: the number of processors)
              --train-limit N    use the first N training samples, N >= 10 (before the validation split)
              --test-limit N     use the first N test samples
              --out DIR          report folder, created if needed (default out): results.json,
                                 report.html, network.svg, forward.svg, backward.svg, forward.dot,
                                 backward.dot, curves.svg, confusion.svg, misclassified.svg
              --save FILE        save the fit model's weights (first seed) as safetensors
              -q, --quiet        print only the results
              -h, --help         print this help and exit

            Predict options:
              --weights FILE     weights saved with --save; the layer sizes are read from the file
              --data DIR         evaluate on the MNIST test set in DIR (accuracy and loss)
              --test-limit N     evaluate on the first N test samples only
              IMAGE...           PNG or JPEG files of one digit each: prints the digit and the
                                 three most probable classes

            Java options: run java with --add-modules jdk.incubator.vector for SIMD kernels;
            -Dvecgrad.kernels=auto|scalar|simd, -Dvecgrad.vectorBits=128|256|512.

            Exit status: 0 on success, 1 if the data or weights cannot be read or the output cannot be
            written, 2 on bad usage.
            """;

    private Main() {
    }

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        int status = run(args, System.getenv(), System.out, System.err);
        System.out.flush();
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * The whole program except {@code System.exit}: returns the exit status. Errors are one line on
     * {@code err}, never a stack trace.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> list = Arrays.asList(args);
        try {
            if (!list.isEmpty() && list.get(0).equals("predict")) {
                PredictCommand predict = PredictCommand.parse(list.subList(1, list.size()));
                if (predict == null) {
                    out.print(USAGE);
                    return 0;
                }
                kernels();
                return predict.run(env, out);
            }
            TrainOptions options = TrainOptions.parse(list);
            if (options.help()) {
                out.print(USAGE);
                return 0;
            }
            String kernels = kernels();
            DataFolder data = DataFolder.resolve(options.data(), env);
            return new TrainCommand(options, out).run(data, kernels, threads(options.threads()));
        } catch (CommandException e) {
            err.println(e.line());
            return e.status();
        }
    }

    /** The kernels' name; a bad {@code -Dvecgrad.kernels} or {@code -Dvecgrad.vectorBits} is bad usage. */
    private static String kernels() throws CommandException {
        try {
            return KernelProvider.get().name();
        } catch (RuntimeException e) {
            throw CommandException.usage(String.valueOf(e.getMessage()));
        }
    }

    /**
     * Sets the kernel threads to {@code requested}, or leaves the default ({@code vecgrad.threads}, else
     * the number of processors) when it is 0; returns the count in use. The scalar kernels run on the
     * calling thread whatever the count; results are the same for any count.
     */
    private static int threads(int requested) throws CommandException {
        try {
            if (requested > 0) {
                Parallel.setThreads(requested);
            }
            return Parallel.threads();
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }
}
