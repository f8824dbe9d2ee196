package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import vecgrad.tensor.NonFiniteException;

final class CommandExceptionTest {

    @Test
    void line_usage_pointsToHelp() {
        assertThat(CommandException.usage("bad").line()).isEqualTo("mnist: bad (see mnist --help)");
        assertThat(CommandException.failure("bad").line()).isEqualTo("mnist: bad");
    }

    @Test
    void line_tooLong_cutWithEllipsisKeepingTheSuffix() {
        String line = CommandException.usage("y".repeat(1000)).line();
        assertThat(line).hasSize(CommandException.MAX_LINE).endsWith("yy… (see mnist --help)");
        assertThat(CommandException.line("z".repeat(493), "")).hasSize(500).doesNotContain("…");
        assertThat(CommandException.line("z".repeat(494), "")).hasSize(500).endsWith("z…");
    }

    @Test
    void line_surrogatePairAtTheCut_notSplit() {
        String digit = "\uD835\uDFD7";   // MATHEMATICAL BOLD DIGIT NINE, two chars
        String line = CommandException.line("a" + digit.repeat(400), "");
        assertThat(line).endsWith(digit + "…");
        assertThat(line.length()).isLessThanOrEqualTo(CommandException.MAX_LINE);
    }

    @Test
    void line_controlCharacters_becomeSpaces() {
        assertThat(CommandException.line("a\r\nb\tc\u001b[1md\u0000", "")).isEqualTo("mnist: a  b c [1md ");
    }

    @Test
    void diverged_statusThreeKeepsTheCause() {
        NonFiniteException cause = NonFiniteException.scalar("epoch 2, step 7: ", "the loss", Double.POSITIVE_INFINITY);
        CommandException e = CommandException.diverged(cause);
        assertThat(e.status()).isEqualTo(CommandException.DIVERGED).isEqualTo(3);
        assertThat(e.line()).isEqualTo("mnist: training diverged: epoch 2, step 7: the loss is Infinity");
        assertThat(e.getCause()).isSameAs(cause);
    }
}
