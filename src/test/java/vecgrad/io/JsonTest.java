package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class JsonTest {

    private static Object parse(String text) throws Json.SyntaxException {
        return Json.parse(text, 8);
    }

    @Test
    void parse_objectsArraysStringsIntegers() throws Exception {
        Object value = parse(" {\"a\" : [1, 0, 9223372036854775807], \"b\":{}, \"c\":[], \"d\":\"x\"}\n\t ");

        assertThat(value).isEqualTo(Map.of("a", List.of(1L, 0L, Long.MAX_VALUE), "b", Map.of(), "c", List.of(), "d", "x"));
        assertThat(List.copyOf(((Map<?, ?>) value).keySet())).isEqualTo(List.of("a", "b", "c", "d"));
    }

    @Test
    void parse_literals() throws Exception {
        assertThat(parse("[true,false,null]")).isEqualTo(List.of(true, false, Json.NULL));
    }

    @Test
    void parse_nonIntegerNumbers_keptAsText() throws Exception {
        assertThat(parse("[-1, -0, 2.5, 1e3, 1E+3, 0.0e-1, 9223372036854775808, 12345678901234567890123]"))
                .isEqualTo(List.of(new Json.OtherNumber("-1"), new Json.OtherNumber("-0"), new Json.OtherNumber("2.5"),
                        new Json.OtherNumber("1e3"), new Json.OtherNumber("1E+3"), new Json.OtherNumber("0.0e-1"),
                        new Json.OtherNumber("9223372036854775808"), new Json.OtherNumber("12345678901234567890123")));
    }

    @Test
    void parse_malformedNumbers() {
        for (String bad : new String[] {"01", "-", "1.", ".5", "1e", "1e+", "+1", "-a", "0x10", "Infinity", "NaN"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(Json.SyntaxException.class)
                    .hasMessageContaining("expected");
        }
    }

    @Test
    void parse_escapes() throws Exception {
        assertThat(parse("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041\\u00e9\\u2192\"")).isEqualTo("\" \\ / \b \f \n \r \t A\u00e9\u2192");
    }

    @Test
    void parse_surrogatePair() throws Exception {
        assertThat(parse("\"\\ud83e\\uddea\"")).isEqualTo(new String(Character.toChars(0x1F9EA)));
        assertThat(parse("\"\\uD83E\\uDDEA\"")).isEqualTo(new String(Character.toChars(0x1F9EA)));
    }

    @Test
    void parse_rawNonAscii() throws Exception {
        String s = "\"\u00e9\u2192" + new String(Character.toChars(0x1F9EA)) + "\"";
        assertThat(parse(s)).isEqualTo(s.substring(1, s.length() - 1));
    }

    @Test
    void parse_unpairedSurrogates() {
        assertThatThrownBy(() -> parse("\"\\ud83e\"")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> parse("\"\\ud83ex\"")).hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> parse("\"\\ud83e\\u0041\"")).hasMessageContaining("found \\u0041");
        assertThatThrownBy(() -> parse("\"\\udc00\"")).hasMessageContaining("unpaired low surrogate");
    }

    @Test
    void parse_badEscapes() {
        assertThatThrownBy(() -> parse("\"\\x\"")).hasMessageContaining("found '\\x'");
        assertThatThrownBy(() -> parse("\"\\u12\"")).hasMessageContaining("four hex digits");
        assertThatThrownBy(() -> parse("\"\\u12g4\"")).hasMessageContaining("four hex digits");
        // Character.digit would accept these fullwidth digits.
        assertThatThrownBy(() -> parse("\"\\u\uff10\uff10\uff14\uff11\"")).hasMessageContaining("four hex digits");
        assertThatThrownBy(() -> parse("\"\\")).hasMessageContaining("the end of the text");
    }

    @Test
    void parse_rawControlCharacter() {
        assertThatThrownBy(() -> parse("\"a\nb\"")).hasMessageContaining("raw U+000A");
        assertThatThrownBy(() -> parse("\"a\u0000b\"")).hasMessageContaining("raw U+0000");
    }

    @Test
    void parse_duplicateKeys_evenWhenEscapedDifferently() {
        assertThatThrownBy(() -> parse("{\"a\":1,\"a\":2}")).hasMessageContaining("duplicate key \"a\"");
        assertThatThrownBy(() -> parse("{\"a\":1,\"\\u0061\":2}")).hasMessageContaining("duplicate key \"a\"");
    }

    @Test
    void parse_depthLimit() throws Exception {
        assertThat(Json.parse("[[[1]]]", 3)).isEqualTo(List.of(List.of(List.of(1L))));
        assertThatThrownBy(() -> Json.parse("[[[[1]]]]", 3)).hasMessageContaining("at most 3 levels");
        // Deep enough to overflow the stack of a parser without a limit.
        String deep = "[".repeat(1_000_000) + "]".repeat(1_000_000);
        assertThatThrownBy(() -> Json.parse(deep, 8)).hasMessageContaining("at most 8 levels");
    }

    @Test
    void parse_structuralErrors() {
        assertThatThrownBy(() -> parse("")).hasMessageContaining("expected a value, found the end of the text");
        assertThatThrownBy(() -> parse("{\"a\":1")).hasMessageContaining("expected ',' or '}'");
        assertThatThrownBy(() -> parse("{\"a\":1,}")).hasMessageContaining("expected a string key, found '}'");
        assertThatThrownBy(() -> parse("{a:1}")).hasMessageContaining("expected a string key");
        assertThatThrownBy(() -> parse("{\"a\" 1}")).hasMessageContaining("expected ':'");
        assertThatThrownBy(() -> parse("[1,]")).hasMessageContaining("expected a value, found ']'");
        assertThatThrownBy(() -> parse("[1 2]")).hasMessageContaining("expected ',' or ']'");
        assertThatThrownBy(() -> parse("\"abc")).hasMessageContaining("closing '\"'");
        assertThatThrownBy(() -> parse("{} {}")).hasMessageContaining("expected the end of the text").hasMessageContaining("at character 3");
        assertThatThrownBy(() -> parse("{}\u0000")).hasMessageContaining("found '\\u0000'");
        assertThatThrownBy(() -> parse("tru")).hasMessageContaining("expected a value, found 'tru'");
        assertThatThrownBy(() -> parse("\u00a0{}")).hasMessageContaining("expected a value");
    }

    @Test
    void appendString_escapesWhatJsonRequires_andRoundTrips() throws Exception {
        String s = "q\" b\\ / \b\f\n\r\t \u0001\u001f \u00e9\u2192" + new String(Character.toChars(0x1F9EA)) + "\u007f";
        StringBuilder sb = new StringBuilder();
        Json.appendString(sb, s);

        assertThat(sb.toString()).isEqualTo("\"q\\\" b\\\\ / \\b\\f\\n\\r\\t \\u0001\\u001f \u00e9\u2192"
                + new String(Character.toChars(0x1F9EA)) + "\u007f\"");
        assertThat(parse(sb.toString())).isEqualTo(s);
    }

    @Test
    void findUnpairedSurrogate() {
        assertThat(Json.findUnpairedSurrogate("ab" + new String(Character.toChars(0x1F9EA)))).isEqualTo(-1);
        assertThat(Json.findUnpairedSurrogate("ab\ud83e")).isEqualTo(2);
        assertThat(Json.findUnpairedSurrogate("a\udc00b")).isEqualTo(1);
        assertThat(Json.findUnpairedSurrogate("\udc00\ud83e")).isEqualTo(0);
    }

    @Test
    void describe() {
        assertThat(Json.describe("F32")).isEqualTo("string \"F32\"");
        assertThat(Json.describe(7L)).isEqualTo("number 7");
        assertThat(Json.describe(new Json.OtherNumber("-1.5"))).isEqualTo("number -1.5");
        assertThat(Json.describe(List.of())).isEqualTo("array");
        assertThat(Json.describe(Map.of())).isEqualTo("object");
        assertThat(Json.describe(Boolean.TRUE)).isEqualTo("true");
        assertThat(Json.describe(Json.NULL)).isEqualTo("null");
    }

    @Test
    void parse_valueBudget_countsValuesAndKeys() throws Exception {
        // {"a":[1,2]}: the object, the key, the array and two numbers are 5
        assertThat(Json.parse("{\"a\":[1,2]}", 3, 5)).isEqualTo(Map.of("a", List.of(1L, 2L)));
        assertThatThrownBy(() -> Json.parse("{\"a\":[1,2]}", 3, 4)).isInstanceOf(Json.SyntaxException.class)
                .hasMessage("expected at most 4 values and keys in all, found more at character 8");
    }

    @Test
    void parse_duplicateLongKey_messageCut() {
        String key = "k".repeat(10_000);
        assertThatThrownBy(() -> Json.parse("{\"" + key + "\":1,\"" + key + "\":2}", 3))
                .hasMessageStartingWith("duplicate key \"" + "k".repeat(60) + "\u2026\" (keys must be unique)");
    }
}
