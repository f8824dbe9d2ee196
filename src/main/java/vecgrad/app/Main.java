package vecgrad.app;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import vecgrad.data.Dataset;
import vecgrad.data.Mnist;
import vecgrad.kernel.KernelProvider;

/**
 * The {@code mnist.jar} command line. For now it loads MNIST and reports what it read and which
 * kernels it uses; see {@link #USAGE}.
 */
public final class Main {

    static final String USAGE = """
            Usage: mnist [--data DIR]
                   mnist --help

            Loads the MNIST files and prints what it read: shapes, label counts, load time,
            and the kernels in use.

            Options:
              --data DIR   folder with the four MNIST IDX files, raw or gzip:
                           train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],
                           t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]
                           (default: $MNIST_DIR if set, else test-data/mnist)
              -h, --help   print this help and exit

            Java options: run java with --add-modules jdk.incubator.vector for SIMD kernels;
            -Dvecgrad.kernels=auto|scalar|simd, -Dvecgrad.vectorBits=128|256|512.

            Exit status: 0 on success, 1 if the data cannot be read, 2 on bad usage.
            """;

    static final String DEFAULT_DATA = "test-data/mnist";
    static final String DATA_ENV = "MNIST_DIR";

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
        String data = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                out.print(USAGE);
                return 0;
            } else if (arg.equals("--data")) {
                if (i + 1 == args.length) {
                    return usageError(err, "--data needs a folder");
                }
                data = args[++i];
            } else if (arg.startsWith("--data=")) {
                data = arg.substring("--data=".length());
            } else if (arg.startsWith("-")) {
                return usageError(err, "unknown option '" + arg + "'");
            } else {
                return usageError(err, "unexpected argument '" + arg + "'");
            }
        }
        if (data != null && data.isBlank()) {
            return usageError(err, "--data needs a folder, got an empty name");
        }

        String source;
        if (data != null) {
            source = "from --data";
        } else if (env.get(DATA_ENV) != null && !env.get(DATA_ENV).isBlank()) {
            data = env.get(DATA_ENV);
            source = "from " + DATA_ENV;
        } else {
            data = DEFAULT_DATA;
            source = "the default";
        }
        Path folder;
        try {
            folder = Path.of(data).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return usageError(err, "bad data folder '" + data + "': " + e.getMessage());
        }
        String hint = "pass --data DIR or set " + DATA_ENV + " to the folder with the MNIST files"
                + " (see mnist --help)";
        if (!Files.isDirectory(folder)) {
            err.println("mnist: MNIST data folder not found: tried " + folder + " (" + source + "); " + hint);
            return 1;
        }

        String kernels;
        try {
            kernels = KernelProvider.get().name();
        } catch (ExceptionInInitializerError e) {
            // a bad -Dvecgrad.kernels or -Dvecgrad.vectorBits, reported by the provider's first use
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return usageError(err, String.valueOf(cause.getMessage()));
        } catch (RuntimeException e) {
            return usageError(err, String.valueOf(e.getMessage()));
        }

        out.println("vecgrad mnist");
        out.println("kernels: " + kernels);
        out.println("data:    " + folder + " (" + source + ")");
        long start = System.nanoTime();
        Mnist mnist;
        try {
            mnist = Mnist.load(folder);
        } catch (FileNotFoundException e) {
            err.println("mnist: " + e.getMessage() + "; " + hint);
            return 1;
        } catch (IOException e) {
            err.println("mnist: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("mnist: out of memory loading MNIST (about 300 MB of heap); run java with -Xmx1g");
            return 1;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        for (Path file : mnist.files()) {
            out.println("  " + file.getFileName());
        }
        describe(out, "train", mnist.train());
        describe(out, "test", mnist.test());
        printHistogram(out, mnist.train(), mnist.test());
        out.println("loaded in " + millis + " ms");
        return 0;
    }

    private static int usageError(PrintStream err, String reason) {
        err.println("mnist: " + reason + " (see mnist --help)");
        return 2;
    }

    private static void describe(PrintStream out, String name, Dataset set) {
        out.printf("%-6s images %s, labels (%d)%n", name + ":", set.images().shapeString(), set.size());
    }

    /** Label counts as a table: a header row of digits, then one row per set. */
    private static void printHistogram(PrintStream out, Dataset train, Dataset test) {
        StringBuilder header = new StringBuilder(String.format("%-6s", "label"));
        for (int digit = 0; digit < Mnist.CLASSES; digit++) {
            header.append(String.format(" %5d", digit));
        }
        out.println(header);
        String[] names = {"train", "test"};
        Dataset[] sets = {train, test};
        for (int s = 0; s < sets.length; s++) {
            StringBuilder row = new StringBuilder(String.format("%-6s", names[s]));
            for (int count : sets[s].labelCounts(Mnist.CLASSES)) {
                row.append(String.format(" %5d", count));
            }
            out.println(row);
        }
    }
}
