package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code .ci/browser-test} on the sample report: a real headless Chromium renders the page. */
final class BrowserTest {

    private static final Path SCRIPT = Path.of(".ci", "browser-test");

    @TempDir
    Path tmp;

    private static boolean chromiumInstalled() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).filter(d -> !d.isEmpty())
                .anyMatch(d -> Files.isExecutable(Path.of(d, "chromium")) || Files.isExecutable(Path.of(d, "chromium-browser")));
    }

    private static Process run(Path html, Path png) throws Exception {
        Process p = new ProcessBuilder("bash", SCRIPT.toString(), html.toString(), png.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("browser-test finished").isTrue();
        return p;
    }

    @Test
    void browserTest_passesOnTheSampleReport() throws Exception {
        assumeTrue(chromiumInstalled(), "chromium not installed (apt-get install chromium)");
        Path dir = ReportTest.SAMPLE_DIR;
        Report.writeAll(SampleReports.report(), dir);
        Path png = dir.resolve("report.png");
        Process p = run(dir.resolve("report.html"), png);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("fig-backward", "browser-test: ok");
        assertThat(Files.size(png)).isGreaterThan(20_000);
    }

    @Test
    void browserTest_passesOnAConvnetReport() throws Exception {
        assumeTrue(chromiumInstalled(), "chromium not installed (apt-get install chromium)");
        Path dir = tmp.resolve("cnn");
        Report.writeAll(ConvReportTest.convnetReport(), dir);
        ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString(), dir.resolve("report.html").toString(),
                dir.resolve("report.png").toString()).redirectErrorStream(true);
        pb.environment().put("FIGURE_IDS", String.join(" ", HtmlPage.CONVNET_FIGURE_IDS));
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("browser-test finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("fig-filters", "fig-feature-maps", "browser-test: ok");
    }

    @Test
    void browserTest_failsWhenAFigureIsMissing() throws Exception {
        assumeTrue(chromiumInstalled(), "chromium not installed (apt-get install chromium)");
        String html = Report.html(SampleReports.report()).replace("id=\"fig-confusion\"", "id=\"fig-other\"");
        Path page = Files.writeString(tmp.resolve("broken.html"), html);
        Process p = run(page, tmp.resolve("broken.png"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).contains("fig-confusion        MISSING", "FAIL");
    }
}
