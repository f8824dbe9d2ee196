package vecgrad.app.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReportTest {

    /** Where the sample report goes, for `.ci/browser-test target/report-sample/report.html`. */
    static final Path SAMPLE_DIR = Path.of("target", "report-sample");

    @Test
    void writeAll_sampleReportWritesEveryFile() throws Exception {
        List<Path> written = Report.writeAll(SampleReports.report(), SAMPLE_DIR);
        assertThat(written).extracting(p -> p.getFileName().toString()).containsExactlyElementsOf(Report.FILES);
        for (Path p : written) {
            assertThat(Files.size(p)).as(p.toString()).isGreaterThan(100);
        }
        Report.writeAll(SampleReports.multiSeedReport(), SAMPLE_DIR.resolveSibling("report-sample-seeds"));
    }
}
