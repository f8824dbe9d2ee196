package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Tensor;

final class CsvReaderTest {

    private static final Path IRIS = Path.of("test-data", "csv", "iris.csv");

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("t.csv");
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private CsvFormatException refused(CsvReader reader, String text) throws IOException {
        Path f = file(text);
        try {
            reader.read(f);
        } catch (CsvFormatException e) {
            return e;
        }
        throw new AssertionError("expected " + reader + " to refuse " + text);
    }

    @Test
    void iris_hasItsRowsFeaturesAndSortedSpecies() throws IOException {
        CsvData iris = CsvReader.classes("species").read(IRIS);
        assertThat(iris.size()).isEqualTo(150);
        assertThat(iris.featureNames()).containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(iris.classNames()).containsExactly("setosa", "versicolor", "virginica");
        Tensor x = iris.features();
        assertThat(x.shape()).containsExactly(150, 4);
        // first and last rows of the file: 5.1,3.5,1.4,0.2,setosa and 5.9,3.0,5.1,1.8,virginica
        assertThat(new float[] {x.get(0, 0), x.get(0, 1), x.get(0, 2), x.get(0, 3)}).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
        assertThat(new float[] {x.get(149, 0), x.get(149, 1), x.get(149, 2), x.get(149, 3)})
                .containsExactly(5.9f, 3.0f, 5.1f, 1.8f);
        assertThat(iris.dataset().labelCounts(3)).containsExactly(50, 50, 50);
        assertThat(iris.labels()[0]).isZero();
        assertThat(iris.labels()[149]).isEqualTo(2);
        assertThat(iris.oneHot().shape()).containsExactly(150, 3);
    }

    @Test
    void classes_areSortedNotFirstSeen_andIntegersNumerically() throws IOException {
        CsvData d = CsvReader.classes("y").read(file("a,y\n1,pear\n2,apple\n3,pear\n4,fig\n"));
        assertThat(d.classNames()).containsExactly("apple", "fig", "pear");
        assertThat(d.labels()).containsExactly(2, 0, 2, 1);
        CsvData n = CsvReader.classes("y").read(file("a,y\n1,10\n2,9\n3,-1\n"));
        assertThat(n.classNames()).containsExactly("-1", "9", "10");
        assertThat(n.labels()).containsExactly(2, 1, 0);
    }

    @Test
    void numbers_areRegressionTargets_andFeaturesCanBeChosenByName() throws IOException {
        CsvData d = CsvReader.numbers("price").features("rooms", "area")
                .read(file("area,id,rooms,price\n50.5,1,2,100\n80,2,3,-2.5e2\n"));
        assertThat(d.featureNames()).containsExactly("rooms", "area");
        assertThat(d.features().data()).containsExactly(2f, 50.5f, 3f, 80f);
        assertThat(d.targets().shape()).containsExactly(2, 1);
        assertThat(d.targets().data()).containsExactly(100f, -250f);
        assertThat(d.hasClasses()).isFalse();
        CsvData middle = CsvReader.numbers("y").read(file("a,y,b\n1,10,2\n3,20,4\n"));
        assertThat(middle.featureNames()).containsExactly("a", "b");
        assertThat(middle.features().data()).containsExactly(1f, 2f, 3f, 4f);
        assertThat(middle.targets().data()).containsExactly(10f, 20f);
        assertThatThrownBy(d::dataset).isInstanceOf(IllegalStateException.class).hasMessageContaining("CsvReader.classes");
    }

    @Test
    void format_quotesSpacesCrlfBomAndBlankLines() throws IOException {
        CsvData d = CsvReader.classes("name").read(file("\uFEFF\"x\", y ,name\r\n 1 , \"2\" ,\"a, \"\"b\"\"\"\r\n\r\n3,4,c\r\n\n"));
        assertThat(d.featureNames()).containsExactly("x", "y");
        assertThat(d.classNames()).containsExactly("a, \"b\"", "c");
        assertThat(d.features().data()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void badFiles_areRefusedNamingLineAndColumn() throws IOException {
        CsvReader r = CsvReader.classes("species");
        String header = "a,b,species\n";
        CsvFormatException e = refused(r, header + "1,2,x\n1,2\n");
        assertThat(e).hasMessageEndingWith("t.csv: line 3: expected 3 fields, as the header has, got 2");
        assertThat(e.line()).isEqualTo(3);
        e = refused(r, header + "1,2,x\n1,2,x,4\n");
        assertThat(e).hasMessageEndingWith("line 3: expected 3 fields, as the header has, got 4");
        e = refused(r, header + "1,2,x\n1,abc,x\n");
        assertThat(e).hasMessageEndingWith("line 3, column 2 (b): expected a number, got 'abc'");
        assertThat(e.column()).isEqualTo(2);
        e = refused(r, header + "1,,x\n");
        assertThat(e).hasMessageEndingWith("line 2, column 2 (b): missing value (an empty field)");
        e = refused(r, header + "1,2,\n");
        assertThat(e).hasMessageEndingWith("line 2, column 3 (species): missing value (an empty field)");
        for (String notANumber : List.of("NaN", "Infinity", "0x1p3", "1f", "1,5".replace(",", ";"), "1e39")) {
            e = refused(r, header + "1," + notANumber + ",x\n");
            assertThat(e.getMessage()).as(notANumber).contains("line 2, column 2 (b): ");
        }
        assertThat(refused(r, "")).hasMessageEndingWith("the file is empty: expected a header row of column names");
        assertThat(refused(r, "\n\n")).hasMessageContaining("the file is empty");
        assertThat(refused(r, header)).hasMessageEndingWith("no data rows after the header");
        assertThat(refused(CsvReader.classes("kind"), header + "1,2,x\n"))
                .hasMessageEndingWith("line 1: no label column 'kind' in the header; its columns are a, b, species");
        assertThat(refused(r.features("a", "c"), header + "1,2,x\n"))
                .hasMessageEndingWith("line 1: no feature column 'c' in the header; its columns are a, b, species");
        assertThat(refused(r, "a,a,species\n1,2,x\n")).hasMessageEndingWith("line 1, column 2 (a): the column name 'a' is also column 1");
        assertThat(refused(r, "a,,species\n1,2,x\n")).hasMessageEndingWith("line 1, column 2: expected a column name, got an empty one");
        assertThat(refused(r, "species\nx\n")).hasMessageContaining("expected at least one feature column");
        assertThat(refused(r, header + "1,\"2,x\n")).hasMessageContaining("line 2, column 2: a quoted field is not closed");
    }

    @Test
    void notUtf8_tooLarge_andSpecialFiles_areRefused() throws IOException {
        Path f = dir.resolve("latin1.csv");
        Files.write(f, new byte[] {'a', ',', 'y', '\n', '1', ',', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> CsvReader.classes("y").read(f)).isInstanceOf(CsvFormatException.class)
                .hasMessageEndingWith("line 2: expected UTF-8 text, got bytes that are not");
        Path big = file("a,y\n1,x\n2,y\n");
        assertThatThrownBy(() -> CsvReader.classes("y").maxBytes(5).read(big)).isInstanceOf(CsvFormatException.class)
                .hasMessageEndingWith("the file has 12 bytes, more than the limit of 5 (CsvReader.maxBytes)");
        assertThatThrownBy(() -> CsvReader.classes("y").read(dir)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("expected a CSV file, found a folder");
    }

    @Test
    void settings_badOnesAreRefusedAtTheCall() {
        assertThatThrownBy(() -> CsvReader.classes(" ")).hasMessage("CsvReader.classes: expected a column name, got ' '");
        assertThatThrownBy(() -> CsvReader.numbers("y").features()).hasMessageContaining("at least one column");
        assertThatThrownBy(() -> CsvReader.numbers("y").features("a", "y")).hasMessage("CsvReader.features: 'y' is the label column");
        assertThatThrownBy(() -> CsvReader.numbers("y").features("a", "a")).hasMessage("CsvReader.features: 'a' is named twice");
        assertThatThrownBy(() -> CsvReader.numbers("y").maxBytes(0)).hasMessage("CsvReader.maxBytes: expected at least 1 byte, got 0");
    }

    @Test
    void split_partsKeepEachRowWithItsLabel_sameSeedSameParts() throws IOException {
        CsvData iris = CsvReader.classes("species").read(IRIS);
        List<CsvData> parts = iris.split(11, 0.6, 0.2, 0.2);
        assertThat(parts).extracting(CsvData::size).containsExactly(90, 30, 30);
        assertThat(iris.split(11, 0.6, 0.2, 0.2)).isEqualTo(parts);
        assertThat(iris.split(12, 0.6, 0.2, 0.2).get(0)).isNotEqualTo(parts.get(0));
        int[][] rows = Split.indices(150, 11, 0.6, 0.2, 0.2);
        Tensor all = iris.features();
        for (int p = 0; p < 3; p++) {
            Tensor x = parts.get(p).features();
            assertThat(parts.get(p).classNames()).containsExactly("setosa", "versicolor", "virginica");
            for (int i = 0; i < rows[p].length; i++) {
                for (int j = 0; j < 4; j++) {
                    assertThat(x.get(i, j)).isEqualTo(all.get(rows[p][i], j));
                }
                assertThat(parts.get(p).labels()[i]).isEqualTo(iris.labels()[rows[p][i]]);
            }
        }
    }
}
