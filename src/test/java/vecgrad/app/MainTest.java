package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static vecgrad.app.AppFixtures.MNIST;
import static vecgrad.app.AppFixtures.run;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static vecgrad.app.AppFixtures.writeSet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vecgrad.app.AppFixtures.Result;
import vecgrad.app.report.Report;
import vecgrad.data.IdxArray;
import vecgrad.data.IdxFile;
import vecgrad.io.SafeTensors;
import vecgrad.io.SafeTensorsContents;
import vecgrad.tensor.NonFiniteException;

final class MainTest {

    private static final String HINT = "pass --data DIR or set MNIST_DIR to the folder with the MNIST files (see mnist --help)";

    @TempDir
    Path tmp;

    @Test
    void run_help_printsUsageForBothCommands() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"--epochs", "2", "--help"}, {"predict", "--help"}}) {
            Result r = run(args);
            assertThat(r.status()).isZero();
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).isEqualTo(Main.USAGE).startsWith("Usage: mnist [OPTIONS]")
                    .contains("mnist predict --weights FILE IMAGE...", "--train-limit N", "MNIST_DIR", "Exit status");
        }
    }

    static Stream<Arguments> badUsage() {
        return Stream.concat(TrainOptionsTest.badUsage(), PredictCommandTest.badUsage()
                .map(a -> Arguments.of(prepend("predict", (List<?>) a.get()[0]), a.get()[1])));
    }

    private static List<String> prepend(String first, List<?> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        rest.forEach(x -> all.add((String) x));
        return all;
    }

    @ParameterizedTest
    @MethodSource("badUsage")
    void run_badUsage_exitTwoWithOneLine(List<String> args, String reason) {
        Result r = run(args.toArray(new String[0]));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mnist: " + reason + " (see mnist --help)\n");
        assertThat(r.out()).isEmpty();
    }

    /**
     * The audit's numbers, each with a data folder that does not exist: refused while parsing (status 2),
     * so neither the data nor the network is ever allocated, in one short line and at once.
     */
    @ParameterizedTest
    @MethodSource("vecgrad.app.TrainOptionsTest#outOfRange")
    void run_outOfRangeNumber_exitTwoBeforeLoading(List<String> args, String reason) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--data", tmp.resolve("absent").toString(), "--out", tmp.resolve("out").toString()));
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> run(all.toArray(new String[0])));
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("mnist: " + reason + " (see mnist --help)\n");
        assertOneLine(r.err());
        assertThat(r.out()).isEmpty();
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    @Test
    void run_hugeArgument_lineCutAt500() {
        Result r = run("--epochs", "9".repeat(5000));
        assertThat(r.status()).isEqualTo(2);
        assertOneLine(r.err());
        assertThat(r.err()).hasSize(CommandException.MAX_LINE + 1)
                .startsWith("mnist: --epochs expects a whole number from 1 to 10000, got '999")
                .endsWith("99… (see mnist --help)\n");
    }

    @Test
    void run_controlCharactersInArgument_cannotForgeALine() {
        Result r = run("--epochs", "5\nmnist: done\u001b[2J");
        assertThat(r.status()).isEqualTo(2);
        assertOneLine(r.err());
        assertThat(r.err()).isEqualTo("mnist: --epochs expects a whole number from 1 to 10000, got '5 mnist: done [2J'"
                + " (see mnist --help)\n");
    }

    /** One line on stderr of at most 500 chars, no stack trace. */
    private static void assertOneLine(String err) {
        assertThat(err).hasLineCount(1).endsWith("\n").doesNotContain("\tat ", "\u001b");
        assertThat(err.length() - 1).isLessThanOrEqualTo(CommandException.MAX_LINE);
    }

    /** Main.run with the training body replaced by {@code training}: the seam to throw from inside a command. */
    private static Result runWith(Main.Training training, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            status = Main.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), training);
        } catch (Throwable escaped) {
            // Wrapped, because JUnit rethrows a bare OutOfMemoryError and ends the whole test run.
            throw new AssertionError("escaped Main.run: " + escaped, escaped);
        }
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void run_runtimeExceptionInCommand_oneLineExitOne() {
        Result r = runWith(options -> {
            throw new IllegalStateException("the tape\nis broken");
        }, "--epochs", "2");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mnist: IllegalStateException: the tape is broken (--debug prints the stack trace)\n");
        assertThat(r.out()).isEmpty();

        Result noMessage = runWith(options -> {
            throw new NullPointerException();
        });
        assertThat(noMessage.status()).isEqualTo(1);
        assertThat(noMessage.err()).isEqualTo("mnist: NullPointerException (--debug prints the stack trace)\n");
    }

    @Test
    void run_longExceptionMessage_cutAt500() {
        Result r = runWith(options -> {
            throw new IllegalArgumentException("x".repeat(100_000));
        });
        assertThat(r.status()).isEqualTo(1);
        assertOneLine(r.err());
        assertThat(r.err()).hasSize(CommandException.MAX_LINE + 1).endsWith("xx… (--debug prints the stack trace)\n");
    }

    @Test
    void run_outOfMemoryInCommand_namesTheHeapAndXmx() {
        Result r = runWith(options -> {
            throw new OutOfMemoryError("Java heap space");
        }, "--hidden", "4096");
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        assertThat(r.status()).isEqualTo(1);
        assertOneLine(r.err());
        assertThat(r.err()).isEqualTo(String.format(java.util.Locale.ROOT, "mnist: out of memory (Java heap space): the"
                + " Java heap holds at most %,d MiB; run java with a larger -Xmx (e.g. -Xmx%dm), or use a smaller"
                + " --hidden or --batch-size (--debug prints the stack trace)%n", maxMiB, 2 * maxMiB));
    }

    @Test
    void run_stackOverflowInCommand_oneLineExitOne() {
        Result r = runWith(options -> {
            throw new StackOverflowError();
        });
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mnist: stack overflow: run java with a larger -Xss (e.g. -Xss16m)"
                + " (--debug prints the stack trace)\n");
    }

    @Test
    void run_debug_printsTheStackTraceAfterTheLine() {
        Main.Training failing = options -> {
            throw new IllegalStateException("boom");
        };
        for (String[] args : new String[][] {{"--debug"}, {"--epochs", "2", "--debug", "-q"}, {"--debug", "--", }}) {
            Result r = runWith(failing, args);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("mnist: IllegalStateException: boom\njava.lang.IllegalStateException: boom\n")
                    .contains("\tat vecgrad.app.MainTest");
        }
        // After "--" it is an argument, not the flag.
        assertThat(runWith(failing, "--", "--debug").err()).isEqualTo("mnist: unexpected argument '--debug' (see mnist --help)\n");
        // Bad usage is the user's mistake, not a bug: no trace even when debugging.
        assertThat(runWith(failing, "--debug", "--epochs", "0").err()).hasLineCount(1);
    }

    @Test
    void run_debugProperty_printsTheStackTrace() {
        System.setProperty("vecgrad.debug", "true");
        try {
            Result r = runWith(options -> {
                throw new IllegalStateException("boom");
            });
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("mnist: IllegalStateException: boom\njava.lang.IllegalStateException: boom\n");
        } finally {
            System.clearProperty("vecgrad.debug");
        }
    }

    @Test
    void run_nonFiniteInTraining_exitThreeEvenQuiet() {
        Main.Training diverging = options -> {
            throw NonFiniteException.scalar("epoch 1, step 4: ", "the loss", Float.NaN);
        };
        Result r = runWith(diverging, "-q", "--lr", "1e30");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).isEqualTo("mnist: training diverged: epoch 1, step 4: the loss is NaN\n");
        assertThat(r.out()).isEmpty();

        Result debug = runWith(diverging, "--debug");
        assertThat(debug.status()).isEqualTo(3);
        assertThat(debug.err()).startsWith("mnist: training diverged: epoch 1, step 4: the loss is NaN\n"
                + "vecgrad.tensor.NonFiniteException: epoch 1, step 4: the loss is NaN\n");
    }

    @Test
    void run_predictDebugAnywhere_notAnImage() throws IOException {
        Path absent = tmp.resolve("absent.safetensors");
        for (String[] args : new String[][] {{"predict", "--debug", "--weights", absent.toString(), "x.png"},
                {"predict", "--weights", absent.toString(), "x.png", "--debug"}}) {
            Result r = run(args);
            assertThat(r.status()).isEqualTo(1);
            assertThat(r.err()).startsWith("mnist: cannot read --weights " + absent).hasLineCount(1);
        }
        assertThat(run("predict", "--weights", absent.toString(), "--debug=on", "x.png").err())
                .isEqualTo("mnist: --debug takes no value, got 'on' (see mnist --help)\n");
    }

    @Test
    void run_missingDataFolder_namesThePathAndTheFix() {
        Path absent = tmp.resolve("absent");
        Result r = run("--data", absent.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mnist: MNIST data folder not found: tried " + absent + " (from --data); " + HINT + "\n");
        assertThat(r.out()).isEmpty();

        Result fromEnv = run(Map.of("MNIST_DIR", absent.toString()), "--out", tmp.resolve("out").toString());
        assertThat(fromEnv.err()).startsWith("mnist: MNIST data folder not found: tried " + absent + " (from MNIST_DIR);");
    }

    @Test
    void run_missingFiles_nameThePathsTried() throws IOException {
        writeSet(tmp, "train", 20);
        Result r = run("--data=" + tmp, "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).startsWith("mnist: MNIST files not found: tried " + tmp.resolve("t10k-images-idx3-ubyte")
                + " or t10k-images-idx3-ubyte.gz;").endsWith(HINT + "\n").hasLineCount(1);
    }

    @Test
    void run_corruptFile_givesTheReadersMessageWithoutStackTrace() throws IOException {
        writeSet(tmp, "train", 20);
        writeSet(tmp, "t10k", 1);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte");
        Files.write(labels, new byte[] {0, 0, 0x08, 1, 0, 0, 0, 1}); // a raw header, no label byte
        Result r = run("--data", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mnist: " + labels + ": the file ends early: the header declares"
                + " 0x08 (unsigned byte) (1), 9 bytes in all (8 header + 1 data), but the file has 8 bytes\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void run_mismatchedFiles_exitOneWithoutStackTrace() throws IOException {
        writeSet(tmp, "train", 20);
        writeSet(tmp, "t10k", 3);
        IdxFile.write(tmp.resolve("train-labels-idx1-ubyte"), IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3}, 3));
        Result r = run("--data", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("has 20 images").contains("has 3 labels").hasLineCount(1).doesNotContain("Exception");

        IdxFile.write(tmp.resolve("train-labels-idx1-ubyte"), IdxArray.ofShorts(new short[20], 20));
        Result wrongType = run("--data", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertThat(wrongType.status()).isEqualTo(1);
        assertThat(wrongType.err()).contains("expected MNIST labels").hasLineCount(1);
    }

    @Test
    void run_tooFewTrainingSamples_exitOne() throws IOException {
        writeSet(tmp, "train", 9);
        writeSet(tmp, "t10k", 3);
        Result r = run("--data", tmp.toString(), "--out", tmp.resolve("out").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("mnist: expected at least 10 training samples in " + tmp
                + " (from --data) for a 10% validation split, got 9\n");
    }

    @Test
    void run_unwritableOut_failsBeforeLoadingOrTraining() throws IOException {
        writeSet(tmp, "train", 20);
        writeSet(tmp, "t10k", 3);
        Path file = Files.writeString(tmp.resolve("a-file"), "x");

        Result under = run("--data", tmp.toString(), "--out", file.resolve("report").toString());
        assertThat(under.status()).isEqualTo(1);
        assertThat(under.err()).startsWith("mnist: cannot write --out " + file.resolve("report") + ": ").hasLineCount(1);
        assertThat(under.out()).isEmpty();   // nothing loaded, nothing trained

        Result isFile = run("--data", tmp.resolve("absent").toString(), "--out", file.toString());
        assertThat(isFile.status()).isEqualTo(1);
        assertThat(isFile.err()).isEqualTo("mnist: cannot write to --out " + file + ": it is a file, not a folder\n");

        Result save = run("--data", tmp.toString(), "--out", tmp.resolve("out").toString(), "--save", tmp.toString());
        assertThat(save.status()).isEqualTo(1);
        assertThat(save.err()).isEqualTo("mnist: cannot write --save " + tmp + ": it is a folder\n");
        assertThat(save.out()).isEmpty();
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void run_dataFromEnvironment_synthetic() throws IOException {
        writeSet(tmp, "train", 40);
        writeSet(tmp, "t10k", 10);
        Path out = tmp.resolve("out");
        Result r = run(Map.of("MNIST_DIR", tmp.toString()), "--epochs", "1", "--hidden", "4", "--methods", "fit",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("data:    " + tmp + " (from MNIST_DIR): 36 training, 4 validation (the last 10%),"
                + " 10 test samples\n");
        assertThat(out.resolve("report.html")).isNotEmptyFile();
    }

    /** A few hundred real samples, one epoch, two methods: every file, the JSON against the run, then predict. */
    @Test
    void run_tinyEndToEnd_writesEveryFileAndPredictsWithTheSavedWeights() throws IOException {
        Path out = tmp.resolve("report");
        Path weights = tmp.resolve("w.safetensors");
        Result r = run("--data", MNIST.toString(), "--epochs", "1", "--train-limit", "300", "--test-limit", "200",
                "--methods", "tape,fit", "--seed", "3", "--out", out.toString(), "--save", weights.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();

        // progress: one epoch line per method, in fit's format
        assertThat(r.out()).contains("== tape (seed 3)", "== fit (seed 3)");
        assertThat(Pattern.compile("^3/3 - \\S+ - \\S+/step - accuracy: \\d\\.\\d{4} - loss: \\d+\\.\\d{4}"
                + " - val_accuracy: \\d\\.\\d{4} - val_loss: \\d+\\.\\d{4}$", Pattern.MULTILINE).matcher(r.out()).results())
                .hasSize(2);
        assertThat(r.out()).contains("tape-fit 0 (bit-identical)", "they are one and the same backpropagation",
                "report:  " + out.resolve("report.html"), "weights: " + weights + " (fit, seed 3)");

        for (String name : Report.FILES) {
            assertThat(out.resolve(name)).as(name).isNotEmptyFile();
        }
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        assertThat(strings(json, "name")).containsExactly("tape", "fit");
        assertThat(numbers(json, "epochs")).containsExactly(1.0);
        assertThat(numbers(json, "seed")).containsExactly(3.0, 3.0, 3.0);
        assertThat(numbers(json, "epoch")).containsExactly(1.0, 1.0);
        List<Double> accuracies = numbers(json, "testAccuracy");
        assertThat(accuracies).hasSize(2).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
        assertThat(accuracies.get(0)).isEqualTo(accuracies.get(1));
        assertThat(numbers(json, "bestValAccuracy")).allSatisfy(a -> assertThat(a).isBetween(0.0, 1.0));
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        assertThat(strings(json, "evaluatedMethod")).containsExactly("fit");
        assertThat(json).doesNotContain("\"summary\"");
        assertThat(Files.readString(out.resolve("forward.dot"))).contains("z1 (128, 256)", "a3 (128, 64)", "logits (128, 10)",
                "W4\\n(64, 10)", "loss ()");
        assertThat(Files.readString(out.resolve("backward.dot"))).contains("∂L/∂W1\\n(784, 256)", "∂L/∂b4\\n(10)");

        SafeTensorsContents saved = SafeTensors.read(weights);
        assertThat(saved.tensors().keySet()).containsExactlyInAnyOrder("dense/kernel", "dense/bias", "dense_1/kernel",
                "dense_1/bias", "dense_2/kernel", "dense_2/bias", "dense_3/kernel", "dense_3/bias");
        assertThat(saved.tensor("dense_1/kernel").shape()).containsExactly(256, 128);

        // the saved model on the same 200 test samples scores what the run reported for fit
        Result evaluated = run("predict", "--weights", weights.toString(), "--data", MNIST.toString(), "--test-limit", "200");
        assertThat(evaluated.status()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains("784-256-128-64-10 network from " + weights)
                .contains(String.format(java.util.Locale.ROOT, "test: accuracy %.4f, loss ", accuracies.get(1)))
                .contains("on 200 samples of " + MNIST.toAbsolutePath());

        Path image = AppFixtures.drawOne(tmp.resolve("one.png"));
        Result predicted = run("predict", "--weights", weights.toString(), image.toString());
        assertThat(predicted.status()).as(predicted.err()).isZero();
        Matcher m = Pattern.compile("^(.+): (\\d)  \\((\\d) (\\d+\\.\\d\\d)%, (\\d) (\\d+\\.\\d\\d)%, (\\d) (\\d+\\.\\d\\d)%\\)\n$")
                .matcher(predicted.out());
        assertThat(m.matches()).as(predicted.out()).isTrue();
        assertThat(m.group(1)).isEqualTo(image.toString());
        assertThat(m.group(2)).isEqualTo(m.group(3));
        double p1 = Double.parseDouble(m.group(4));
        double p2 = Double.parseDouble(m.group(6));
        double p3 = Double.parseDouble(m.group(8));
        assertThat(p1).isGreaterThanOrEqualTo(p2);
        assertThat(p2).isGreaterThanOrEqualTo(p3);
        assertThat(p1 + p2 + p3).isLessThanOrEqualTo(100.01);
        assertThat(List.of(m.group(3), m.group(5), m.group(7))).doesNotHaveDuplicates();
    }

    /** All three methods from two seeds on a small network: bit-identical weights, and the spread over seeds. */
    @Test
    void run_threeMethodsTwoSeeds_bitIdenticalWeightsAndSummary() throws IOException {
        Path out = tmp.resolve("report");
        Result r = run("--data", MNIST.toString(), "--epochs", "2", "--train-limit", "400", "--test-limit", "100",
                "--hidden", "32,16", "--batch-size", "50", "--seeds", "2", "--out", out.toString(), "--quiet");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).doesNotContain("Epoch").contains("tape-fit 0 (bit-identical), tape-manual 0 (bit-identical)")
                .contains("over 2 seeds (mean ± standard deviation):");
        String json = Files.readString(out.resolve("results.json"), StandardCharsets.UTF_8);
        assertThat(strings(json, "name")).containsExactly("tape", "fit", "manual", "tape", "fit", "manual");
        assertThat(json).contains("\"hidden\": [32, 16]", "\"batchSize\": 50", "\"summary\"");
        assertThat(numbers(json, "tape-fit")).containsExactly(0.0);
        assertThat(numbers(json, "tape-manual")).containsExactly(0.0);
        List<Double> acc = numbers(json, "testAccuracy");
        assertThat(acc.get(0)).isEqualTo(acc.get(1)).isEqualTo(acc.get(2));
        assertThat(acc.get(3)).isEqualTo(acc.get(4)).isEqualTo(acc.get(5));
    }

    /** The string values of every {@code "key": "..."} in document order. */
    private static List<String> strings(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": \"([^\"]*)\"").matcher(json).results()
                .map(x -> x.group(1)).toList();
    }

    /** The numeric values of every {@code "key": number} in document order. */
    private static List<Double> numbers(String json, String key) {
        return Pattern.compile("\"" + Pattern.quote(key) + "\": (-?[0-9][0-9.eE+-]*)").matcher(json).results()
                .map(x -> Double.parseDouble(x.group(1))).toList();
    }
}
