package vecgrad.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Pattern;
import vecgrad.io.InputFiles;

/**
 * Reads a table of numbers with a header row from a CSV file, for training: numeric feature columns
 * and one label column, by name.
 * <pre>{@code
 * CsvData iris = CsvReader.classes("species").read(Path.of("iris.csv"));
 * Dataset all = iris.dataset();               // features (150, 4), labels 0..2
 * List<String> species = iris.classNames();   // [setosa, versicolor, virginica]: label i is species.get(i)
 * }</pre>
 *
 * <ul>
 *   <li><b>Labels.</b> {@link #classes(String)}: any text, mapped to class indices in <b>sorted</b>
 *       order of the distinct labels (numerically when every label is an integer, else by
 *       {@link String#compareTo}), so the mapping does not depend on the order of the rows; it is
 *       {@link CsvData#classNames()}. {@link #numbers(String)}: a number per row, a regression target.</li>
 *   <li><b>Features.</b> Every column but the label, in file order, unless {@link #features(String...)}
 *       names them (in the order given). Each value must be a decimal number ({@code 5}, {@code -0.25},
 *       {@code 1e-3}) within float range.</li>
 *   <li><b>Format.</b> UTF-8 (a byte-order mark is skipped), comma-separated, {@code \n} or
 *       {@code \r\n} line ends; a field may be double-quoted, with {@code ""} for a quote inside, on one
 *       line; spaces around a field are ignored; blank lines are skipped.</li>
 * </ul>
 *
 * <p>Refused, before any data is returned, with a {@link CsvFormatException} naming the file, the line
 * (1-based, counting the header as line 1) and the column: an empty file or a header without rows;
 * a blank or repeated column name; a label or feature column that is not in the header (the message
 * lists the header); a row with another number of fields than the header; a missing value (an empty
 * field) or text in a numeric column (no {@code NaN}, {@code NA} or {@code Infinity}); a file larger
 * than {@link #maxBytes(long)} (default {@value #DEFAULT_MAX_BYTES} bytes); bytes that are not UTF-8.
 * A path that is not a regular file (a folder, a FIFO) is refused by {@link InputFiles}.
 *
 * <p>A reader is immutable: each setting returns a new reader.
 */
public final class CsvReader {

    /*
     * The file is read whole (within maxBytes) and split on '\n' into lines, each decoded strictly as
     * UTF-8, so that every complaint can name its line. Values go straight into float arrays; the class
     * names are collected first as strings per row and mapped once every row is read, because the
     * sorted mapping needs them all. Numbers must match DECIMAL before Float.parseFloat, which alone
     * would accept "NaN", "Infinity", hexadecimal and a trailing 'f' or 'd'.
     */

    /** The default limit on a file's size: 256 MiB. */
    public static final long DEFAULT_MAX_BYTES = 256L << 20;

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d{1,18}");

    private final String label;
    private final boolean classLabels;
    private final List<String> features;
    private final long maxBytes;

    private CsvReader(String label, boolean classLabels, List<String> features, long maxBytes) {
        this.label = label;
        this.classLabels = classLabels;
        this.features = features;
        this.maxBytes = maxBytes;
    }

    /**
     * A reader whose label column holds classes, as text, mapped to indices in sorted order.
     *
     * @param labelColumn the label column's name in the header
     * @return the reader, with every other column as a feature
     * @throws IllegalArgumentException if the name is blank
     */
    public static CsvReader classes(String labelColumn) {
        return new CsvReader(name("classes", labelColumn), true, null, DEFAULT_MAX_BYTES);
    }

    /**
     * A reader whose label column holds a number per row (regression).
     *
     * @param labelColumn the label column's name in the header
     * @return the reader, with every other column as a feature
     * @throws IllegalArgumentException if the name is blank
     */
    public static CsvReader numbers(String labelColumn) {
        return new CsvReader(name("numbers", labelColumn), false, null, DEFAULT_MAX_BYTES);
    }

    private static String name(String method, String column) {
        Objects.requireNonNull(column, method + ": labelColumn");
        if (column.isBlank()) {
            throw new IllegalArgumentException("CsvReader." + method + ": expected a column name, got '" + column + "'");
        }
        return column.strip();
    }

    /**
     * This reader with the feature columns named, in this order, instead of every column but the label.
     *
     * @param columns the feature columns' names, at least one, distinct, none the label
     * @return a new reader
     * @throws IllegalArgumentException if none is given, one is blank or repeated, or one is the label column
     */
    public CsvReader features(String... columns) {
        Objects.requireNonNull(columns, "columns");
        if (columns.length == 0) {
            throw new IllegalArgumentException("CsvReader.features: expected at least one column name, got none");
        }
        List<String> chosen = new ArrayList<>();
        for (String c : columns) {
            Objects.requireNonNull(c, "CsvReader.features: a column name");
            String s = c.strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException("CsvReader.features: expected column names, got a blank one");
            }
            if (s.equals(label)) {
                throw new IllegalArgumentException("CsvReader.features: '" + s + "' is the label column");
            }
            if (chosen.contains(s)) {
                throw new IllegalArgumentException("CsvReader.features: '" + s + "' is named twice");
            }
            chosen.add(s);
        }
        return new CsvReader(label, classLabels, List.copyOf(chosen), maxBytes);
    }

    /**
     * This reader with another limit on the file's size.
     *
     * @param bytes the largest file read, at least 1
     * @return a new reader
     * @throws IllegalArgumentException if {@code bytes < 1}
     */
    public CsvReader maxBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("CsvReader.maxBytes: expected at least 1 byte, got " + bytes);
        }
        return new CsvReader(label, classLabels, features, bytes);
    }

    /**
     * Reads {@code file}.
     *
     * @param file a CSV file with a header row
     * @return its features and labels
     * @throws CsvFormatException if the file does not fit (see the class description), naming line and column
     * @throws java.nio.file.FileSystemException if the path is not a regular file
     * @throws IOException if the file cannot be read
     */
    public CsvData read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        InputFiles.requireRegularFile(file, "a CSV file");
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new CsvFormatException(file, 0, 0, null, "the file has " + size + " bytes, more than the limit of "
                    + maxBytes + " (CsvReader.maxBytes)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            throw new CsvFormatException(file, 0, 0, null, "the file grew past the limit of " + maxBytes
                    + " bytes (CsvReader.maxBytes) while it was read");
        }
        return parse(file, bytes);
    }

    private CsvData parse(Path file, byte[] bytes) throws CsvFormatException {
        List<String> lines = lines(file, bytes);
        int headerAt = 0;
        while (headerAt < lines.size() && lines.get(headerAt).isBlank()) {
            headerAt++;
        }
        if (headerAt == lines.size()) {
            throw new CsvFormatException(file, 0, 0, null, "the file is empty: expected a header row of column names");
        }
        if (headerAt > 0) {
            throw new CsvFormatException(file, 1, 0, null, "expected the header row on line 1, got a blank line");
        }
        List<String> header = fields(file, 1, lines.get(0));
        Map<String, Integer> index = new HashMap<>();
        for (int c = 0; c < header.size(); c++) {
            String h = header.get(c);
            if (h.isEmpty()) {
                throw new CsvFormatException(file, 1, c + 1, null, "expected a column name, got an empty one");
            }
            if (index.putIfAbsent(h, c) != null) {
                throw new CsvFormatException(file, 1, c + 1, h, "the column name '" + h + "' is also column "
                        + (index.get(h) + 1));
            }
        }
        Integer labelColumn = index.get(label);
        if (labelColumn == null) {
            throw new CsvFormatException(file, 1, 0, null, "no label column '" + cut(label) + "' in the header; its columns"
                    + " are " + String.join(", ", header));
        }
        List<String> featureNames = new ArrayList<>();
        if (features == null) {
            for (String h : header) {
                if (!h.equals(label)) {
                    featureNames.add(h);
                }
            }
            if (featureNames.isEmpty()) {
                throw new CsvFormatException(file, 1, 0, null, "the header has only the label column '" + label
                        + "': expected at least one feature column");
            }
        } else {
            for (String f : features) {
                if (!index.containsKey(f)) {
                    throw new CsvFormatException(file, 1, 0, null, "no feature column '" + cut(f) + "' in the header; its"
                            + " columns are " + String.join(", ", header));
                }
                featureNames.add(f);
            }
        }
        int[] featureColumns = featureNames.stream().mapToInt(index::get).toArray();
        int k = featureColumns.length;
        float[] x = new float[Math.max(16, k * 64)];
        float[] targets = classLabels ? null : new float[64];
        List<String> classTexts = classLabels ? new ArrayList<>() : null;
        int rows = 0;
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            int lineNumber = i + 1;
            List<String> row = fields(file, lineNumber, line);
            if (row.size() != header.size()) {
                throw new CsvFormatException(file, lineNumber, 0, null, "expected " + header.size() + " fields, as the"
                        + " header has, got " + row.size());
            }
            if ((long) (rows + 1) * k > Integer.MAX_VALUE - 8) {
                throw new CsvFormatException(file, lineNumber, 0, null, "too many values for one tensor");
            }
            if ((rows + 1) * k > x.length) {
                x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8, 2L * x.length + k));
            }
            for (int f = 0; f < k; f++) {
                int c = featureColumns[f];
                x[rows * k + f] = number(file, lineNumber, c, header.get(c), row.get(c));
            }
            String labelText = row.get(labelColumn);
            if (classLabels) {
                if (labelText.isEmpty()) {
                    throw new CsvFormatException(file, lineNumber, labelColumn + 1, label, "missing value (an empty field)");
                }
                classTexts.add(labelText);
            } else {
                if (rows == targets.length) {
                    targets = Arrays.copyOf(targets, 2 * rows);
                }
                targets[rows] = number(file, lineNumber, labelColumn, label, labelText);
            }
            rows++;
        }
        if (rows == 0) {
            throw new CsvFormatException(file, 0, 0, null, "no data rows after the header");
        }
        float[] values = Arrays.copyOf(x, rows * k);
        if (!classLabels) {
            return CsvData.numbers(values, rows, featureNames, label, Arrays.copyOf(targets, rows));
        }
        List<String> names = sortedClasses(classTexts);
        Map<String, Integer> classIndex = new HashMap<>();
        for (int c = 0; c < names.size(); c++) {
            classIndex.put(names.get(c), c);
        }
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = classIndex.get(classTexts.get(r));
        }
        return CsvData.classes(values, rows, featureNames, label, labels, names);
    }

    /** The distinct labels, by integer value when all are integers, else by {@link String#compareTo}. */
    private static List<String> sortedClasses(List<String> texts) {
        TreeSet<String> distinct = new TreeSet<>(texts);
        boolean integers = distinct.stream().allMatch(s -> INTEGER.matcher(s).matches());
        List<String> names = new ArrayList<>(distinct);
        if (integers) {
            names.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
        }
        return List.copyOf(names);
    }

    /** The lines, split on '\n' with a trailing '\r' and a leading byte-order mark removed, each decoded as UTF-8. */
    private static List<String> lines(Path file, byte[] bytes) throws CsvFormatException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
            try {
                lines.add(decoder.decode(ByteBuffer.wrap(bytes, start, stop - start)).toString());
            } catch (CharacterCodingException e) {
                throw new CsvFormatException(file, lines.size() + 1, 0, null, "expected UTF-8 text, got bytes that are not");
            }
            start = end + 1;
        }
        return lines;
    }

    /** The fields of one line: comma-separated, trimmed, double-quoted fields unquoted. */
    private static List<String> fields(Path file, int lineNumber, String line) throws CsvFormatException {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && line.charAt(i) == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (true) {
                    if (i >= n) {
                        throw new CsvFormatException(file, lineNumber, out.size() + 1, null, "a quoted field is not closed"
                                + " on its line (fields spanning lines are not supported)");
                    }
                    char ch = line.charAt(i++);
                    if (ch == '"') {
                        if (i < n && line.charAt(i) == '"') {
                            sb.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        sb.append(ch);
                    }
                }
                while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
                    i++;
                }
                if (i < n && line.charAt(i) != ',') {
                    throw new CsvFormatException(file, lineNumber, out.size() + 1, null, "expected a comma after the"
                            + " closing quote, got '" + line.charAt(i) + "'");
                }
                out.add(sb.toString());
            } else {
                int end = line.indexOf(',', i);
                if (end < 0) {
                    end = n;
                }
                out.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) {
                return out;
            }
            i++; // the comma
        }
    }

    private static float number(Path file, int line, int column, String name, String text) throws CsvFormatException {
        if (text.isEmpty()) {
            throw new CsvFormatException(file, line, column + 1, name, "missing value (an empty field)");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new CsvFormatException(file, line, column + 1, name, "expected a number, got '" + cut(text) + "'");
        }
        float v = Float.parseFloat(text);
        if (Float.isInfinite(v)) {
            throw new CsvFormatException(file, line, column + 1, name, "the number " + cut(text)
                    + " is beyond float range (about 3.4e38)");
        }
        return v;
    }

    /** Text from a file cut to 40 characters, for messages. */
    private static String cut(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "\u2026";
    }
}
