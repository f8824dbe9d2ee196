package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {

    @Test
    void write_escapesQuotesBackslashesAndControlCharacters() {
        String json = Json.write(List.of("a\"b\\c\nd\te\u0001f\u2028<&>"));
        assertThat(json.trim()).isEqualTo("[\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028<&>\"]");
    }

    @Test
    void write_nonFiniteNumbersAsNull() {
        assertThat(Json.write(List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY)).trim())
                .isEqualTo("[null, null, null]");
    }

    @Test
    void write_floatValuedDoublesWithFloatDigits() {
        assertThat(Json.number((double) 0.98f)).isEqualTo("0.98");
        assertThat(Json.number(0.1)).isEqualTo("0.1");
        assertThat(Json.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(Json.number(1e-7)).isEqualTo("1.0E-7"); // JSON allows the exponent form
        assertThat(Json.write(List.of(3, 4L, true)).trim()).isEqualTo("[3, 4, true]");
    }

    @Test
    void write_keepsKeyOrderAndPutsScalarRowsOnOneLine() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("z", 1);
        root.put("a", List.of(Map.of("k", 2), Map.of("k", 3)));
        root.put("m", List.of(List.of(1, 2), List.of(3, 4)));
        assertThat(Json.write(root)).isEqualTo("""
                {
                  "z": 1,
                  "a": [
                    {"k": 2},
                    {"k": 3}
                  ],
                  "m": [
                    [1, 2],
                    [3, 4]
                  ]
                }
                """);
    }

    @Test
    void write_rejectsValuesJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(List.of(new Object()))).hasMessageContaining("expected a JSON value");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("string keys");
    }
}
