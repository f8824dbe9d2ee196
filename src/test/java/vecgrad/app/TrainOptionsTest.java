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

    /** Every bad-usage case of the training command, with the reason it must give. */
    static Stream<Arguments> badUsage() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "unknown option '--bogus'"),
                Arguments.of(List.of("train"), "unexpected argument 'train'"),
                Arguments.of(List.of("--data"), "--data needs a folder"),
                Arguments.of(List.of("--data="), "--data needs a folder, got an empty value"),
                Arguments.of(List.of("--epochs", "0"), "--epochs expects a whole number >= 1, got '0'"),
                Arguments.of(List.of("--epochs=five"), "--epochs expects a whole number >= 1, got 'five'"),
                Arguments.of(List.of("--epochs", "99999999999"), "--epochs expects a whole number >= 1, got '99999999999'"),
                Arguments.of(List.of("--batch-size", "-3"), "--batch-size expects a whole number >= 1, got '-3'"),
                Arguments.of(List.of("--hidden", "256,,64"),
                        "--hidden expects comma-separated whole numbers >= 1 (e.g. 256,128,64), got '256,,64'"),
                Arguments.of(List.of("--hidden", "256,0"),
                        "--hidden expects comma-separated whole numbers >= 1 (e.g. 256,128,64), got '256,0'"),
                Arguments.of(List.of("--hidden="),
                        "--hidden expects comma-separated whole numbers >= 1 (e.g. 256,128,64), got ''"),
                Arguments.of(List.of("--lr", "0"), "--lr expects a number > 0, got '0'"),
                Arguments.of(List.of("--lr", "NaN"), "--lr expects a number > 0, got 'NaN'"),
                Arguments.of(List.of("--lr", "Infinity"), "--lr expects a number > 0, got 'Infinity'"),
                Arguments.of(List.of("--lr", "fast"), "--lr expects a number > 0, got 'fast'"),
                Arguments.of(List.of("--seed", "1.5"), "--seed expects a whole number, got '1.5'"),
                Arguments.of(List.of("--seed"), "--seed needs a whole number"),
                Arguments.of(List.of("--seeds", "0"), "--seeds expects a whole number >= 1, got '0'"),
                Arguments.of(List.of("--seed", "9223372036854775807", "--seeds", "2"),
                        "--seed 9223372036854775807 with --seeds 2 runs past the largest seed, 9223372036854775807"),
                Arguments.of(List.of("--methods", "tape,sgd"),
                        "--methods expects a comma-separated list of tape, fit, manual, got 'sgd'"),
                Arguments.of(List.of("--methods", "fit,fit"), "--methods lists 'fit' twice in 'fit,fit'"),
                Arguments.of(List.of("--methods", ""), "--methods expects a comma-separated list of tape, fit, manual, got ''"),
                Arguments.of(List.of("--threads", "0"), "--threads expects a whole number >= 1, got '0'"),
                Arguments.of(List.of("--threads", "5000"), "--threads expects at most 1024, got 5000"),
                Arguments.of(List.of("--train-limit", "9"), "--train-limit expects a whole number >= 10, got '9'"),
                Arguments.of(List.of("--test-limit", "0"), "--test-limit expects a whole number >= 1, got '0'"),
                Arguments.of(List.of("--out", " "), "--out needs a folder, got an empty value"),
                Arguments.of(List.of("--save"), "--save needs a file name"),
                Arguments.of(List.of("--quiet=yes"), "--quiet takes no value, got 'yes'"),
                Arguments.of(List.of("--", "--epochs"), "unexpected argument '--epochs'"));
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
    void parse_repeatedOption_lastWins() throws CommandException {
        assertThat(TrainOptions.parse(List.of("--epochs", "3", "--epochs", "4")).epochs()).isEqualTo(4);
    }

    @Test
    void parse_help_anywhere() throws CommandException {
        assertThat(TrainOptions.parse(List.of("--epochs", "3", "--help")).help()).isTrue();
        assertThat(TrainOptions.parse(List.of("-h")).help()).isTrue();
    }
}
