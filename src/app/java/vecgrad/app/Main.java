package vecgrad.app;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import vecgrad.tensor.Backend;
import vecgrad.tensor.NonFiniteException;

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

            With --model cnn it trains Keras' Simple MNIST convnet instead (Conv2D(32, 3x3, relu),
            MaxPooling2D(2), Conv2D(64, 3x3, relu), MaxPooling2D(2), Flatten, Dropout(0.5), Dense(10,
            softmax)) on the images (28, 28, 1), with methods tape and fit.

            Options:
              --model mlp|cnn    the network (default mlp, the report's); cnn takes no --hidden,
                                 --dropout, --batch-norm or method manual
              --data DIR         folder with the four MNIST IDX files, raw or gzip:
                                 train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
                                 t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
                                 (default: $MNIST_DIR if set, else test-data/mnist)
              --epochs N         passes over the training set, 1 to 10000 (default 5)
              --batch-size N     samples per step, 1 to 65536 (default 128); larger than the training
                                 set means one batch per epoch
              --hidden LIST      hidden-layer widths, comma-separated (default 256,128,64): 1 to 16
                                 layers of 1 to 65536 units, at most 100,000,000 weights and biases
                                 in all (about 48 bytes of heap each: raise -Xmx for large networks)
              --lr RATE          Adam's learning rate, a finite number > 0 (default 0.001)
              --dropout RATE     a Dropout layer of this rate after each hidden layer, 0 <= RATE < 1
                                 (default 0: none); methods tape and fit only
              --batch-norm       each hidden layer as Dense, BatchNormalization, then ReLU; methods
                                 tape and fit only
              --seed N           seed of the initial weights and of the batch order, any 64-bit
                                 integer (default 42)
              --seeds N          repeat with seeds seed .. seed+N-1, 1 to 100; adds mean ± std per
                                 method (default 1)
              --methods LIST     comma-separated, from tape,fit,manual (default all three; tape,fit
                                 for --model cnn)
              --threads N        kernel threads, 1 to 1024 (default: the number of processors)
              --train-limit N    use the first N training samples, N >= 10 (before the validation split)
              --test-limit N     use the first N test samples, N >= 1
              --out DIR          report folder, created if needed (default out): results.json,
                                 report.html, network.svg, forward.svg, backward.svg, forward.dot,
                                 backward.dot, curves.svg, confusion.svg, misclassified.svg
              --save FILE        save the fit model (first seed) as a whole-model safetensors file
              -q, --quiet        print only the results
              --debug            print the stack trace of an unexpected error (both commands; also
                                 -Dvecgrad.debug=true)
              -h, --help         print this help and exit

            Predict options:
              --weights FILE     weights saved with --save; the layer sizes are read from the file
              --data DIR         evaluate on the MNIST test set in DIR (accuracy and loss)
              --test-limit N     evaluate on the first N test samples only, N >= 1
              IMAGE...           PNG or JPEG files of one digit each: prints the digit and the
                                 three most probable classes

            Java options: run java with --add-modules jdk.incubator.vector for SIMD kernels;
            -Dvecgrad.kernels=auto|scalar|simd, -Dvecgrad.vectorBits=128|256|512.

            Errors are one line on standard error. Exit status: 0 success, 1 data/weights/output error
            or internal error, 2 bad usage, 3 training diverged (NaN or infinite loss or weights);
            nothing is saved then.
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
     * {@code err}, never a stack trace unless {@code --debug} or {@code -Dvecgrad.debug=true} asks.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return run(args, env, out, err, options -> train(options, env, out));
    }

    /** The training command once its options are parsed: loads, trains, writes; returns the exit status. */
    @FunctionalInterface
    interface Training {
        int run(TrainOptions options) throws CommandException;
    }

    /**
     * {@link #run(String[], Map, PrintStream, PrintStream)} with the training command's body given, so that
     * every failure a body can throw passes through the same mapping to one line and an exit status.
     */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err, Training training) {
        List<String> list = Arrays.asList(args);
        boolean predict = !list.isEmpty() && list.get(0).equals("predict");
        CommandLine line = new CommandLine(predict ? list.subList(1, list.size()) : list);
        try {
            if (predict) {
                PredictCommand command = PredictCommand.parse(line);
                if (command == null) {
                    out.print(USAGE);
                    return 0;
                }
                kernels();
                return command.run(env, out);
            }
            TrainOptions options = TrainOptions.parse(line);
            if (options.help()) {
                out.print(USAGE);
                return 0;
            }
            try {
                return training.run(options);
            } catch (NonFiniteException e) {
                throw CommandException.diverged(e);
            }
        } catch (CommandException e) {
            err.println(e.line());
            if (e.getCause() != null && debug(line)) {
                e.getCause().printStackTrace(err);
            }
            return e.status();
        } catch (OutOfMemoryError e) {
            // The command's arrays are unreachable once it has unwound to here, so the heap has room again.
            long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
            return unexpected(e, String.format(Locale.ROOT, "out of memory (%s): the Java heap holds at most %,d MiB;"
                    + " run java with a larger -Xmx (e.g. -Xmx%dm)%s", e.getMessage(), maxMiB, 2 * maxMiB,
                    predict ? "" : ", or use a smaller --hidden or --batch-size"), line, err);
        } catch (StackOverflowError e) {
            return unexpected(e, "stack overflow: run java with a larger -Xss (e.g. -Xss16m)", line, err);
        } catch (RuntimeException e) {
            return unexpected(e, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    line, err);
        }
    }

    /** The training command's body: the kernels, the data folder, then training and the report. */
    private static int train(TrainOptions options, Map<String, String> env, PrintStream out) throws CommandException {
        String kernels = kernels();
        int threads = threads(options.threads());
        // The kernels compile, on the thread count in use, while the data loads (Backend.warmUp's
        // Javadoc); no result depends on it.
        Thread warmUp = Backend.warmUpInBackground();
        DataFolder data = DataFolder.resolve(options.data(), env);
        return new TrainCommand(options, out).run(data, kernels, threads, warmUp);
    }

    /** A failure no command turned into a {@link CommandException}: one line, the trace only when debugging. */
    private static int unexpected(Throwable e, String reason, CommandLine line, PrintStream err) {
        boolean debug = debug(line);
        err.println(CommandException.line(reason, debug ? "" : " (--debug prints the stack trace)"));
        if (debug) {
            e.printStackTrace(err);
        }
        return CommandException.FAILURE;
    }

    /** Whether the stack trace was asked for: {@code --debug} on the line or {@code -Dvecgrad.debug=true}. */
    private static boolean debug(CommandLine line) {
        return line.debug() || Boolean.getBoolean("vecgrad.debug");
    }

    /** The kernels' name; a bad {@code -Dvecgrad.kernels} or {@code -Dvecgrad.vectorBits} is bad usage. */
    private static String kernels() throws CommandException {
        try {
            return Backend.kernels();
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
                Backend.setThreads(requested);
            }
            return Backend.threads();
        } catch (IllegalArgumentException e) {
            throw CommandException.usage(e.getMessage());
        }
    }
}
