package vecgrad.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class PyFormatTest {

    /** test-data/pyformat/cases.tsv holds Python 3's own str.format results (make_cases.py writes it). */
    @Test
    void format_matchesPythonOnEveryRecordedCase() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("test-data/pyformat/cases.tsv"), StandardCharsets.UTF_8);
        assertThat(lines).hasSizeGreaterThan(700);
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            Number value = f[1].equals("i") ? (Number) Integer.valueOf(f[2]) : (Number) pyFloat(f[2]);
            assertThat(PyFormat.parse(f[0]).format(Map.of("v", value))).as(line).isEqualTo(f[3]);
        }
    }

    private static Double pyFloat(String hex) {
        return switch (hex) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.valueOf(hex);
        };
    }

    @Test
    void kerasCheckpointName_formatsEpochAndLogs() {
        PyFormat f = PyFormat.parse("k-{epoch:02d}-{val_loss:.2f}.safetensors");
        assertThat(f.names()).containsExactly("epoch", "val_loss");
        assertThat(f.format(Map.of("epoch", 3, "val_loss", 0.3241))).isEqualTo("k-03-0.32.safetensors");
        assertThat(PyFormat.parse("{{literal}}-{batch}").format(Map.of("batch", 7))).isEqualTo("{literal}-7");
    }

    @Test
    void badTemplates_refusedWithTheReason() {
        assertThatThrownBy(() -> PyFormat.parse("w-{epoch")).hasMessageContaining("without its '}'");
        assertThatThrownBy(() -> PyFormat.parse("w-}")).hasMessageContaining("a single '}'");
        assertThatThrownBy(() -> PyFormat.parse("w-{}")).hasMessageContaining("a field name");
        assertThatThrownBy(() -> PyFormat.parse("w-{epoch:02x}")).hasMessageContaining("got 'x'");
        assertThatThrownBy(() -> PyFormat.parse("w-{epoch:.d}")).hasMessageContaining("digits after '.'");
        assertThatThrownBy(() -> PyFormat.parse("w-{epoch:.2d}")).hasMessageContaining("no precision with the integer type");
        assertThatThrownBy(() -> PyFormat.parse("w-{loss:,.2f}")).hasMessageContaining("a format type among d, f, F, e, E, g, G, % in ',.2f', got ','");
        assertThatThrownBy(() -> PyFormat.parse("{loss:02d}").requireFloatsFormattable(java.util.Set.of("loss")))
                .hasMessageContaining("'d' is for integers");
        assertThatThrownBy(() -> PyFormat.parse("{val_loss}").format(Map.of("epoch", 1)))
                .hasMessageContaining("no value named 'val_loss'");
    }
}
