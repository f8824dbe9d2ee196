package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ReportTest {

    /** Where the sample report goes, for `.ci/browser-test target/report-sample/report.html`. */
    static final Path SAMPLE_DIR = Path.of("target", "report-sample");

    @TempDir
    Path tmp;

    @Test
    void writeAll_sampleReportWritesEveryFile() throws Exception {
        List<Path> written = Report.writeAll(SampleReports.report(), SAMPLE_DIR);
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(Report.FILES);
        for (Path p : written) {
            assertThat(Files.size(p)).as(p.toString()).isGreaterThan(500);
            if (p.toString().endsWith(".svg")) {
                SvgDocs.parse(Files.readString(p));
            }
        }
        Report.writeAll(SampleReports.multiSeedReport(), SAMPLE_DIR.resolveSibling("report-sample-seeds"));
    }

    @Test
    void writeAll_leavesNoTemporaryFilesAndReplacesOldOnes() throws Exception {
        Files.writeString(tmp.resolve("report.html"), "old");
        Report.writeAll(SampleReports.report(), tmp);
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyElementsOf(Report.FILES.stream().sorted().toList());
        }
        assertThat(Files.readString(tmp.resolve("report.html"))).startsWith("<!DOCTYPE html>");
    }

    @Test
    void writeAll_isDeterministic() throws Exception {
        Report.writeAll(SampleReports.report(), tmp.resolve("a"));
        Report.writeAll(SampleReports.report(), tmp.resolve("b"));
        for (String f : Report.FILES) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(f)));
        }
    }

    @Test
    void writeAll_rejectsAFileAsTheDirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("taken"), "x");
        assertThatThrownBy(() -> Report.writeAll(SampleReports.report(), file))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected an output directory");
    }

    @Test
    void json_hasTheDocumentedShape() {
        String json = Report.json(SampleReports.report());
        assertThat(json).startsWith("{\n  \"config\": {\n    \"hidden\": [256, 128, 64],\n    \"epochs\": 5,");
        assertThat(json).contains("\"batchSize\": 128", "\"learningRate\": 0.001", "\"seed\": 42", "\"threads\": 2",
                "\"jdk\": \"17.0.15+6\"", "\"kernels\": \"simd-512\"",
                "\"maxWeightDifference\": {\n    \"tape-fit\": 0.0,\n    \"tape-manual\": 3.7E-7\n  }",
                "{\"epoch\": 2, \"loss\": 0.16, \"accuracy\": 0.95, ");
        assertThat(json).doesNotContain("\"summary\"", "NaN", "Infinity");
        assertThat(Pattern.compile("\"name\": \"(\\w+)\"").matcher(json).results().map(m -> m.group(1)))
                .containsExactly("tape", "fit", "manual");
        // Sample digit 4 has an unknown probability.
        assertThat(json).contains("{\"index\": 248, \"trueLabel\": 7, \"predictedLabel\": 6, \"probability\": null}");
    }

    @Test
    void json_summaryOnlyWithSeveralSeeds() {
        String json = Report.json(SampleReports.multiSeedReport());
        Matcher m = Pattern.compile("\"summary\": \\{\\s*\"tape\": \\{\\s*\"seeds\": 3,\\s*\"testAccuracy\": \\{\\s*\"mean\": ([0-9.]+),\\s*\"std\": ([0-9.E-]+)\\s*}")
                .matcher(json);
        assertThat(m.find()).as(json).isTrue();
        // tape's accuracies are 0.9773 - 0.0005 - {-0.0011, 0, 0.0011}: mean 0.9768, sample std 0.0011
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(0.9768, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Double.parseDouble(m.group(2))).isCloseTo(0.0011, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void json_parsesWithPython() throws Exception {
        Path python = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty()).map(d -> Path.of(d, "python3")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(python != null, "python3 not installed");
        Path file = tmp.resolve("results.json");
        Report.writeJson(SampleReports.multiSeedReport(), file);
        String check = String.join("\n",
                "import json, sys",
                "d = json.load(open(sys.argv[1], encoding='utf-8'))",
                "assert d['config']['hidden'] == [256, 128, 64], d['config']",
                "assert [m['name'] for m in d['methods']] == ['tape', 'fit'] * 3",
                "assert all(len(m['history']) == 5 for m in d['methods'])",
                "assert sorted(d['summary']) == ['fit', 'tape']",
                "assert len(d['confusionMatrix']) == 10 and sum(map(sum, d['confusionMatrix'])) == 10000",
                "print('ok')");
        Process p = new ProcessBuilder(python.toString(), "-c", check, file.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out.trim()).isEqualTo("ok");
    }

    @Test
    void html_isSelfContainedWithOneSvgPerFigure() {
        String html = Report.html(SampleReports.report());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<meta charset=\"utf-8\">");
        for (String id : HtmlPage.FIGURE_IDS) {
            int start = html.indexOf("<figure id=\"" + id + "\">");
            assertThat(start).as(id).isPositive();
            String figure = html.substring(start, html.indexOf("</figure>", start));
            assertThat(figure.split("<svg ", -1)).as(id).hasSize(2);
            assertThat(figure).contains("<figcaption>").doesNotContain("<?xml");
        }
        // Nothing is fetched: no scripts, stylesheets, external images or fonts.
        assertThat(html).doesNotContain("<script", "<link", "src=", "@import", "url(http", "@font-face");
        assertThat(html.replace("http://www.w3.org/", "")).doesNotContain("http://", "https://");
        // Element ids are unique across the inlined figures.
        List<String> ids = Pattern.compile(" id=\"([^\"]+)\"").matcher(html).results().map(m -> m.group(1)).toList();
        assertThat(ids).doesNotHaveDuplicates().contains("forward-arrow", "backward-arrow");
    }

    @Test
    void html_tablesShowEveryRunAndTheSummary() {
        String single = Report.html(SampleReports.report());
        assertThat(single).contains("<td class=\"num best\">0.9773</td>", "<td class=\"num\">0.9750</td>",
                "<td><code>tape-fit</code></td><td class=\"num\">0</td>", "3.70e-07", "185,000")
                .doesNotContain("class=\"summary\"");
        String seeds = Report.html(SampleReports.multiSeedReport());
        assertThat(seeds).contains("class=\"summary\"", "0.9768 ± 0.0011");
    }

    @Test
    void html_escapesNamesFromTheData() {
        RunConfig c = SampleReports.config();
        var evil = new RunConfig(c.hidden(), c.epochs(), c.batchSize(), c.learningRate(), c.seed(), c.threads(),
                "<script>alert(1)</script>", "a&b");
        var r = SampleReports.report();
        String html = Report.html(new ExperimentReport(evil, List.of(SampleReports.run("x<y", 1, 0)),
                Map.of("a\"b", 1.0), List.of(), "x<y", r.confusion(), List.of(), r.forward(), r.backward()));
        assertThat(html).doesNotContain("<script>", "x<y", "a\"b").contains("&lt;script&gt;", "x&lt;y", "a&amp;b");
    }
}
