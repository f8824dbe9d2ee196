package vecgrad.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A CSV file {@link CsvReader} cannot read as asked: empty, without the named columns, with a row of
 * another number of fields than the header, a missing or non-numeric value, not UTF-8, or too large.
 * The message names the file and, where there is one, the line (1-based, the header is line 1) and
 * the column (1-based, with its name): {@code iris.csv: line 12, column 3 (petal_length): expected a
 * number, got 'abc'}.
 */
public final class CsvFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @serial the 1-based line, or 0 when the problem is not on one line */
    private final int line;
    /** @serial the 1-based column, or 0 when the problem is not in one column */
    private final int column;

    CsvFormatException(Path file, int line, int column, String columnName, String problem) {
        super(file + ": " + (line > 0 ? "line " + line + (column > 0 ? ", column " + column
                + (columnName == null ? "" : " (" + columnName + ")") : "") + ": " : "") + problem);
        this.line = line;
        this.column = column;
    }

    /** {@return the 1-based line of the problem (the header is line 1), or 0 if it concerns the whole file} */
    public int line() {
        return line;
    }

    /** {@return the 1-based column of the problem, or 0 if it concerns a whole line or the file} */
    public int column() {
        return column;
    }
}
