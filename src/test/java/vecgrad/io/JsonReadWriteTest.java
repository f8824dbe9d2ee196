package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonReadWriteTest {

    @Test
    void write_thenRead_givesPlainValuesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("units", 256);
        m.put("rate", 0.1f);
        m.put("epsilon", 1e-3);
        m.put("axis", -1);
        m.put("shape", new int[] {28, 28, 1});
        m.put("center", true);
        m.put("regularizer", null);
        m.put("name", "dense \"1\"\n");
        m.put("nested", List.of(Map.of("a", 1L)));
        String json = Json.write(m);
        assertThat(json).isEqualTo("{\"units\":256,\"rate\":0.1,\"epsilon\":0.001,\"axis\":-1,\"shape\":[28,28,1],"
                + "\"center\":true,\"regularizer\":null,\"name\":\"dense \\\"1\\\"\\n\",\"nested\":[{\"a\":1}]}");
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.read(json);
        assertThat(back.get("units")).isEqualTo(256L);
        assertThat((float) (double) (Double) back.get("rate")).as("a float read back as a double narrows to itself").isEqualTo(0.1f);
        assertThat(back.get("epsilon")).isEqualTo(1e-3);
        assertThat(back.get("axis")).isEqualTo(-1L);
        assertThat(back.get("shape")).isEqualTo(List.of(28L, 28L, 1L));
        assertThat(back.get("center")).isEqualTo(true);
        assertThat(back).containsEntry("regularizer", null);
        assertThat(back.get("name")).isEqualTo("dense \"1\"\n");
        assertThat(Json.write(back)).as("written, read and written again: the same text").isEqualTo(json);
    }

    @Test
    void write_refusesWhatJsonCannotHold() {
        assertThatThrownBy(() -> Json.write(Map.of("layers", List.of(Map.of("rate", Double.NaN)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$.layers[0].rate is NaN");
        assertThatThrownBy(() -> Json.write(Map.of("x", new Object())))
                .hasMessageContaining("$.x is a java.lang.Object");
        assertThatThrownBy(() -> Json.write(Map.of(1, 2))).hasMessageContaining("not a string");
        assertThatThrownBy(() -> Json.write("\ud800")).hasMessageContaining("unpaired surrogate");
    }

    @Test
    void read_strictAndBounded() {
        assertThatThrownBy(() -> Json.read("{\"a\":1,\"a\":2}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("malformed JSON:");
        assertThatThrownBy(() -> Json.read("{\"a\":1")).hasMessageStartingWith("malformed JSON:");
        assertThatThrownBy(() -> Json.read("[1e999]")).hasMessageContaining("overflows a double");
        String deep = "[".repeat(Json.MAX_READ_DEPTH + 1) + "]".repeat(Json.MAX_READ_DEPTH + 1);
        assertThatThrownBy(() -> Json.read(deep)).hasMessageStartingWith("malformed JSON:");
        assertThat(Json.read("[".repeat(Json.MAX_READ_DEPTH) + "]".repeat(Json.MAX_READ_DEPTH))).isInstanceOf(List.class);
        String many = "[" + String.join(",", Arrays.asList(new String[Json.MAX_READ_VALUES + 1]).stream().map(s -> "0").toList()) + "]";
        assertThatThrownBy(() -> Json.read(many)).hasMessageStartingWith("malformed JSON:");
        assertThat(Json.read("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Json.read("-92233720368547758080")).isEqualTo(-9.223372036854776E19);
    }
}
