package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class SvgTest {

    @Test
    void esc_escapesMarkupCharacters() {
        assertThat(Svg.esc("a<b & \"c\" > d")).isEqualTo("a&lt;b &amp; &quot;c&quot; &gt; d");
    }

    @Test
    void esc_replacesCharactersXmlForbids() {
        assertThat(Svg.esc("x\u0000y\u001bz\uFFFE")).isEqualTo("x\uFFFDy\uFFFDz\uFFFD");
        assertThat(Svg.esc("tab\tnewline\n∂L/∂W ᵀ")).isEqualTo("tab\tnewline\n∂L/∂W ᵀ");
    }

    @Test
    void num_roundsToHundredthsWithoutTrailingZeros() {
        assertThat(Svg.num(12)).isEqualTo("12");
        assertThat(Svg.num(12.5)).isEqualTo("12.5");
        assertThat(Svg.num(0.125)).isEqualTo("0.13");
        assertThat(Svg.num(-3.04)).isEqualTo("-3.04");
        assertThat(Svg.num(-0.001)).isEqualTo("0");
        assertThat(Svg.num(1e6 / 3)).isEqualTo("333333.33");
    }

    @Test
    void num_rejectsNonFinite() {
        assertThatThrownBy(() -> Svg.num(Double.NaN)).hasMessageContaining("finite");
    }

    @Test
    void document_isWellFormedWithEscapedTitleAndText() {
        Svg svg = new Svg(100, 50, "a <title> & \"quotes\"");
        svg.text(10, 20, "<&\">", "class", "x\"y");
        var doc = SvgDocs.parse(svg.done());
        assertThat(SvgDocs.select(doc, "/svg/title").get(0).getTextContent()).isEqualTo("a <title> & \"quotes\"");
        assertThat(SvgDocs.texts(doc)).containsExactly("<&\">");
        assertThat(SvgDocs.select(doc, "//text").get(0).getAttribute("class")).isEqualTo("x\"y");
    }

    @Test
    void inline_dropsTheXmlDeclarationOnly() {
        String doc = new Svg(10, 10, "t").done();
        assertThat(doc).startsWith("<?xml");
        assertThat(Svg.inline(doc)).startsWith("<svg ").endsWith("</svg>\n");
    }

    @Test
    void attrs_rejectsAnOddNumberOfStrings() {
        assertThatThrownBy(() -> Svg.attrs("fill")).hasMessageContaining("name/value pairs");
    }

    @Test
    void ticks_coverTheRangeWithNiceSteps() {
        Ticks t = Ticks.of(0.912, 0.979, 6);
        assertThat(t.values).containsExactly(0.9, 0.92, 0.94, 0.96, 0.98);
        assertThat(t.label(0.94)).isEqualTo("0.94");
        Ticks quarter = Ticks.of(0, 0.1, 5);
        assertThat(quarter.values).containsExactly(0, 0.025, 0.05, 0.075, 0.1);
        assertThat(quarter.label(0.025)).isEqualTo("0.025");
        Ticks flat = Ticks.of(2, 2, 5);
        assertThat(flat.lo()).isLessThan(2);
        assertThat(flat.hi()).isGreaterThan(2);
    }

    @Test
    void ticks_integerStepsStayUnderTheLimit() {
        assertThat(Ticks.integers(1, 5, 12).values).containsExactly(1, 2, 3, 4, 5);
        assertThat(Ticks.integers(1, 50, 12).values).containsExactly(5, 10, 15, 20, 25, 30, 35, 40, 45, 50);
    }

    @Test
    void blues_interpolatesBetweenTheAnchors() {
        assertThat(Palette.blues(0)).isEqualTo("#f7fbff");
        assertThat(Palette.blues(1)).isEqualTo("#08306b");
        // halfway between the 5th (#6baed6) and 6th (#4292c6) anchors: t = 4.5 / 8
        assertThat(Palette.blues(4.5 / 8)).isEqualTo("#57a0ce");
    }
}
