package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

final class TrainOptionsTest {

    private static final String LR = "--lr expects a number > 0 and at most 3.4028235E38 (a float), got ";
    private static final String WIDTHS = "--hidden expects comma-separated whole numbers from 1 to 65536 (e.g. 256,128,64), got ";

    /** Every bad-usage case of the training command, with the reason it must give. */
    static Stream<Arguments> badUsage() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unknown option '--bogus'"),
                Arguments.of(List.of("train"), "unexpected argument 'train'"),
                Arguments.of(List.of("--data"), "--data needs a folder"),
                Arguments.of(List.of("--data="), "--data needs a folder, got an empty value"),
                Arguments.of(List.of("--epochs", "0"), "--epochs expects a whole number from 1 to 10000, got '0'"),
                Arguments.of(List.of("--epochs=five"), "--epochs expects a whole number from 1 to 10000, got 'five'"),
                Arguments.of(List.of("--epochs", "99999999999"), "--epochs expects a whole number from 1 to 10000, got '99999999999'"),
                Arguments.of(List.of("--batch-size", "-3"), "--batch-size expects a whole number from 1 to 65536, got '-3'"),
                Arguments.of(List.of("--hidden", "256,,64"),
                        "--hidden expects comma-separated whole numbers from 1 to 65536 (e.g. 256,128,64), got '256,,64'"),
                Arguments.of(List.of("--hidden", "256,0"),
                        "--hidden expects comma-separated whole numbers from 1 to 65536 (e.g. 256,128,64), got '256,0'"),
                Arguments.of(List.of("--hidden="),
                        "--hidden expects comma-separated whole numbers from 1 to 65536 (e.g. 256,128,64), got ''"),
                Arguments.of(List.of("--lr", "0"), LR + "'0'"),
                Arguments.of(List.of("--lr", "NaN"), LR + "'NaN'"),
                Arguments.of(List.of("--lr", "Infinity"), LR + "'Infinity'"),
                Arguments.of(List.of("--lr", "fast"), LR + "'fast'"),
                Arguments.of(List.of("--seed", "1.5"), "--seed expects a whole number, got '1.5'"),
                Arguments.of(List.of("--seed"), "--seed needs a whole number"),
                Arguments.of(List.of("--seeds", "0"), "--seeds expects a whole number from 1 to 100, got '0'"),
                Arguments.of(List.of("--seed", "9223372036854775807", "--seeds", "2"),
                        "--seed 9223372036854775807 with --seeds 2 runs past the largest seed, 9223372036854775807"),
                Arguments.of(List.of("--methods", "tape,sgd"),
                        "--methods expects a comma-separated list of tape, fit, manual, got 'sgd'"),
                Arguments.of(List.of("--methods", "fit,fit"), "--methods lists 'fit' twice in 'fit,fit'"),
                Arguments.of(List.of("--methods", ""), "--methods expects a comma-separated list of tape, fit, manual, got ''"),
                Arguments.of(List.of("--threads", "0"), "--threads expects a whole number from 1 to 1024, got '0'"),
                Arguments.of(List.of("--threads", "5000"), "--threads expects a whole number from 1 to 1024, got '5000'"),
                Arguments.of(List.of("--train-limit", "9"), "--train-limit expects a whole number from 10 to 2147483647, got '9'"),
                Arguments.of(List.of("--test-limit", "0"), "--test-limit expects a whole number from 1 to 2147483647, got '0'"),
                Arguments.of(List.of("--out", " "), "--out needs a folder, got an empty value"),
                Arguments.of(List.of("--save"), "--save needs a file name"),
                Arguments.of(List.of("--quiet=yes"), "--quiet takes no value, got 'yes'"),
                Arguments.of(List.of("--", "--epochs"), "unexpected argument '--epochs'"),
                Arguments.of(List.of("--debug=yes"), "--debug takes no value, got 'yes'"));
    }

    /**
     * The hostile-input audit's command lines and the limits around them: each must be refused while
     * parsing, before a step count overflows, an array is allocated or a run starts that never ends.
     */
    static Stream<Arguments> outOfRange() {
        return Stream.of(
                Arguments.of(List.of("--epochs", "2147483647"), "--epochs expects a whole number from 1 to 10000, got '2147483647'"),
                Arguments.of(List.of("--epochs", "10001"), "--epochs expects a whole number from 1 to 10000, got '10001'"),
                Arguments.of(List.of("--batch-size", "2147483647"),
                        "--batch-size expects a whole number from 1 to 65536, got '2147483647'"),
                Arguments.of(List.of("--batch-size", "65537"), "--batch-size expects a whole number from 1 to 65536, got '65537'"),
                Arguments.of(List.of("--seeds", "2147483647"), "--seeds expects a whole number from 1 to 100, got '2147483647'"),
                Arguments.of(List.of("--seeds", "300000000"), "--seeds expects a whole number from 1 to 100, got '300000000'"),
                Arguments.of(List.of("--seeds", "101"), "--seeds expects a whole number from 1 to 100, got '101'"),
                Arguments.of(List.of("--hidden", "100000000"), WIDTHS + "'100000000'"),
                Arguments.of(List.of("--hidden", "2147483647"), WIDTHS + "'2147483647'"),
                Arguments.of(List.of("--hidden", "1000000"), WIDTHS + "'1000000'"),
                Arguments.of(List.of("--hidden", "256,65537"), WIDTHS + "'256,65537'"),
                Arguments.of(List.of("--hidden", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"),
                        "--hidden expects at most 16 comma-separated numbers, got 17 in '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1'"),
                Arguments.of(List.of("--hidden", "65536,65536"), "--hidden 65536,65536 makes a network of 4,347,133,962"
                        + " parameters; expected at most 100,000,000, which need about 4.8 GB of heap at 48 bytes each"),
                Arguments.of(List.of("--hidden", "65536", "--batch-size", "65536"), "a batch of 65536 samples (--batch-size)"
                        + " and a layer of 65536 units (--hidden) make 4,294,967,296 activations; expected at most"
                        + " 2,147,483,639 (the largest Java array)"),
                Arguments.of(List.of("--hidden", "65536", "--batch-size", "40000", "--train-limit", "50000"), "a batch of"
                        + " 40000 samples (--batch-size) and a layer of 65536 units (--hidden) make 2,621,440,000"
                        + " activations; expected at most 2,147,483,639 (the largest Java array)"),
                Arguments.of(List.of("--threads", "1025"), "--threads expects a whole number from 1 to 1024, got '1025'"),
                Arguments.of(List.of("--train-limit", "2147483648"),
                        "--train-limit expects a whole number from 10 to 2147483647, got '2147483648'"),
                Arguments.of(List.of("--test-limit", "99999999999"),
                        "--test-limit expects a whole number from 1 to 2147483647, got '99999999999'"),
                Arguments.of(List.of("--lr", "1e39"), LR + "'1e39'"),
                Arguments.of(List.of("--lr", "-0.001"), LR + "'-0.001'"),
                Arguments.of(List.of("--lr", "-Infinity"), LR + "'-Infinity'"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void parse_outOfRange_statesTheLimit(List<String> args, String reason) {
        parse_badUsage_oneLineReason(args, reason);
    }

    @ParameterizedTest
    @MethodSource("badUsage")
    void parse_badUsage_oneLineReason(List<String> args, String reason) {
        CommandException e = catchThrowableOfType(CommandException.class, () -> TrainOptions.parse(args));
        assertThat(e).as("%s", args).isNotNull();
        assertThat(e.status()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo(reason);
        assertThat(e.line()).isEqualTo("mnist: " + reason + " (see mnist --help)");
    }

    @Test
    void parse_noArguments_theReportsExperiment() throws CommandException {
        TrainOptions o = TrainOptions.parse(List.of());
        assertThat(o.help()).isFalse();
        assertThat(o.data()).isNull();
        assertThat(o.epochs()).isEqualTo(5);
        assertThat(o.batchSize()).isEqualTo(128);
        assertThat(o.hidden()).containsExactly(256, 128, 64);
        assertThat(o.learningRate()).isEqualTo(1e-3f);
        assertThat(o.seedList()).containsExactly(42L);
        assertThat(o.methods()).containsExactly(Method.TAPE, Method.FIT, Method.MANUAL);
        assertThat(o.threads()).isZero();
        assertThat(o.trainLimit()).isZero();
        assertThat(o.testLimit()).isZero();
        assertThat(o.out()).isEqualTo("out");
        assertThat(o.save()).isNull();
        assertThat(o.quiet()).isFalse();
    }

    @Test
    void parse_everyOption_spaceAndEqualsForms() throws CommandException {
        TrainOptions o = TrainOptions.parse(List.of("--data", "d", "--epochs=2", "--batch-size", "64", "--hidden=32,16",
                "--lr", "0.01", "--seed=-7", "--seeds", "3", "--methods", "manual,tape", "--threads=4",
                "--train-limit", "600", "--test-limit=100", "--out", "o", "--save=w.safetensors", "-q"));
        assertThat(o.data()).isEqualTo("d");
        assertThat(o.epochs()).isEqualTo(2);
        assertThat(o.batchSize()).isEqualTo(64);
        assertThat(o.hidden()).containsExactly(32, 16);
        assertThat(o.learningRate()).isEqualTo(0.01f);
        assertThat(o.seedList()).containsExactly(-7L, -6L, -5L);
        assertThat(o.methods()).containsExactly(Method.MANUAL, Method.TAPE);
        assertThat(o.threads()).isEqualTo(4);
        assertThat(o.trainLimit()).isEqualTo(600);
        assertThat(o.testLimit()).isEqualTo(100);
        assertThat(o.out()).isEqualTo("o");
        assertThat(o.save()).isEqualTo("w.safetensors");
        assertThat(o.quiet()).isTrue();
    }

    @Test
    void parse_atTheLimits_accepted() throws CommandException {
        TrainOptions o = TrainOptions.parse(List.of("--epochs", "10000", "--batch-size", "65536", "--seeds", "100",
                "--threads", "1024", "--train-limit", "2147483647", "--test-limit", "2147483647"));
        assertThat(o.epochs()).isEqualTo(10_000);
        assertThat(o.batchSize()).isEqualTo(65_536);
        assertThat(o.seeds()).isEqualTo(100);
        assertThat(o.threads()).isEqualTo(1024);
        assertThat(o.trainLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(o.testLimit()).isEqualTo(Integer.MAX_VALUE);
        assertThat(TrainOptions.parse(List.of("--hidden", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1")).hidden()).hasSize(16);
        // 784-65536-10: 52,101,130 parameters, under the limit; a batch of 32768 x 65536 is one array too many,
        // but --train-limit caps the batch at the training set.
        assertThat(TrainOptions.parse(List.of("--hidden", "65536", "--batch-size", "32768", "--train-limit", "100"))
                .hidden()).containsExactly(65_536);
    }

    @Test
    void parse_hugeFiniteLearningRate_accepted() throws CommandException {
        // Diverging is the trainer's business (exit 3), not a usage error.
        assertThat(TrainOptions.parse(List.of("--lr", "1e30")).learningRate()).isEqualTo(1e30f);
        assertThat(TrainOptions.parse(List.of("--lr", "3.4028235E38")).learningRate()).isEqualTo(Float.MAX_VALUE);
    }

    @Test
    void parameters_theReportsNetwork() {
        assertThat(TrainOptions.parameters(List.of(256, 128, 64))).isEqualTo(242_762);
        assertThat(TrainOptions.parameters(List.of(65_536))).isEqualTo(52_101_130);
        assertThat(TrainOptions.parameters(List.of(100_000, 100_000))).isEqualTo(10_079_600_010L); // an int would wrap
    }

    @Test
    void parse_debugAnywhere_recordedByTheCommandLineNotAnOption() throws CommandException {
        CommandLine line = new CommandLine(List.of("--epochs", "3", "--debug", "-q"));
        TrainOptions o = TrainOptions.parse(line);
        assertThat(line.debug()).isTrue();
        assertThat(o.epochs()).isEqualTo(3);
        assertThat(o.quiet()).isTrue();

        CommandLine asValue = new CommandLine(List.of("--out", "--debug"));
        assertThat(TrainOptions.parse(asValue).out()).isEqualTo("--debug");
        assertThat(asValue.debug()).isFalse();
    }

    @Test
    void parse_repeatedOption_lastWins() throws CommandException {
        assertThat(TrainOptions.parse(List.of("--epochs", "3", "--epochs", "4")).epochs()).isEqualTo(4);
    }

    @Test
    void parse_help_anywhere() throws CommandException {
        assertThat(TrainOptions.parse(List.of("--epochs", "3", "--help")).help()).isTrue();
        assertThat(TrainOptions.parse(List.of("-h")).help()).isTrue();
    }
}
