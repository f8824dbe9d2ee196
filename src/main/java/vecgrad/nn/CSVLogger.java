package vecgrad.nn;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Streams each epoch's logs to a CSV file, as Keras 3's {@code CSVLogger}
 * (keras/src/callbacks/csv_logger.py).
 *
 * <p>Keras' layout, kept so that its readers work unchanged: the columns are {@code epoch} then the
 * first epoch's names sorted; if none of them starts with {@code val_}, the {@code val_} twin of each
 * is added (Keras does this so validation columns exist; they hold {@code NA} without validation);
 * the {@code epoch} column is the epoch's INDEX FROM 0, as Keras writes it; values are Python's
 * {@code str(float)}; rows end with CR LF (Python's csv "excel" dialect); the file is flushed after
 * every epoch. With {@code append}, rows are added to an existing file, with a header only if it is empty.
 */
public final class CSVLogger implements Callback {

    private final Path file;
    private final String separator;
    private final boolean append;
    private BufferedWriter writer;
    private List<String> keys;
    private boolean writeHeader;

    /**
     * Keras' defaults: separator {@code ","}, overwrite.
     *
     * @param file the CSV file
     * @throws IllegalArgumentException if the folder does not exist
     */
    public CSVLogger(Path file) {
        this(file, ",", false);
    }

    /**
     * A logger with Keras' {@code separator} and {@code append}.
     *
     * @param file      the CSV file
     * @param separator the column separator, one character other than a quote, CR or LF
     * @param append    add to an existing file instead of overwriting it
     * @throws IllegalArgumentException for another separator, or a folder that does not exist
     */
    public CSVLogger(Path file, String separator, boolean append) {
        this.file = Objects.requireNonNull(file, "file");
        Objects.requireNonNull(separator, "separator");
        if (separator.length() != 1 || "\"\r\n".contains(separator)) {
            throw new IllegalArgumentException("CSVLogger: expected a one-character separator other than '\"', CR and LF,"
                    + " got \"" + separator + "\"");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("CSVLogger: the folder " + dir + " does not exist");
        }
        this.separator = separator;
        this.append = append;
    }

    @Override
    public void onTrainBegin(Model model) {
        try {
            closeWriter();
            if (append && Files.exists(file)) {
                writeHeader = Files.size(file) == 0 || firstLineEmpty();
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            } else {
                writeHeader = true;
                writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger could not open " + file, e);
        }
        keys = null;
    }

    private boolean firstLineEmpty() throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.findFirst().map(String::isEmpty).orElse(true);
        }
    }

    @Override
    public void onEpochEnd(EpochLogs logs) {
        if (writer == null) {
            throw new IllegalStateException("CSVLogger: onEpochEnd before onTrainBegin");
        }
        if (keys == null) {
            keys = new ArrayList<>(new TreeSet<>(logs.values().keySet()));
            if (keys.stream().noneMatch(k -> k.startsWith("val_"))) {
                List<String> twins = new ArrayList<>();
                for (String k : keys) {
                    twins.add("val_" + k);
                }
                keys.addAll(twins);
            }
        }
        try {
            if (writeHeader) {
                writer.write("epoch" + separator + String.join(separator, keys) + "\r\n");
                writeHeader = false;
            }
            StringBuilder row = new StringBuilder().append(logs.epoch() - 1);
            for (String k : keys) {
                row.append(separator).append(logs.has(k) ? PyFormat.repr(logs.get(k)) : "NA");
            }
            writer.write(row.append("\r\n").toString());
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger could not write " + file + " at epoch " + logs.epoch(), e);
        }
    }

    @Override
    public void onTrainEnd(History history) {
        try {
            closeWriter();
        } catch (IOException e) {
            throw new UncheckedIOException("CSVLogger could not close " + file, e);
        }
    }

    private void closeWriter() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
