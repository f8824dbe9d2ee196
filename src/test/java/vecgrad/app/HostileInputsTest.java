package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.ChildJava;
import vecgrad.app.digits.PngFiles;
import vecgrad.nn.Activation;
import vecgrad.nn.Dense;
import vecgrad.nn.Sequential;
import vecgrad.testing.SpecialFiles;

/**
 * Hostile files given to {@code mnist predict} in a JVM with a 64 MB heap: each must end with exit
 * status 1 and one short line on standard error naming the file, never a stack trace or an
 * {@code OutOfMemoryError}. The corpus is generated here (tens of MB of safetensors headers, PNGs that
 * declare billions of pixels in a few hundred KB); one child JVM runs every case.
 */
final class HostileInputsTest {

    private static final String HEAP = "-Xmx64m";
    private static final int TENS_OF_MB = 24 << 20;

    @TempDir
    Path dir;

    /** Case name to the file it names and the command line. */
    private final Map<String, List<String>> cases = new LinkedHashMap<>();
    private final Map<String, Path> files = new LinkedHashMap<>();

    private Path good;
    private Path digit;

    @Test
    void predict_hostileFiles_oneShortLineAndExitOneInASmallHeap() throws Exception {
        good = dir.resolve("good.safetensors");
        new Sequential(784, new Dense(10, Activation.SOFTMAX)).saveWeights(good);
        digit = AppFixtures.drawOne(dir.resolve("one.png"));

        weightsCases();
        imageCases();
        Map<String, String[]> results = runInChild();

        SoftAssertions soft = new SoftAssertions();
        for (String name : cases.keySet()) {
            String[] r = results.get(name);
            soft.assertThat(r).as("case %s ran", name).isNotNull();
            if (r == null) {
                continue;
            }
            String err = r[2].replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
            soft.assertThat(r[1]).as("%s: exit status (stderr %s)", name, err).isEqualTo("1");
            soft.assertThat(err).as("%s: stderr", name).hasLineCount(1).endsWith("\n")
                    .contains(files.get(name).getFileName().toString())
                    .doesNotContain("\tat ", "Exception in thread", "OutOfMemoryError", "thrown out of Main.run");
            soft.assertThat(err.length()).as("%s: line length of %s", name, err).isLessThanOrEqualTo(500);
        }
        soft.assertAll();
    }

    // ---------------------------------------------------------------- cases

    private static final String W1 = "\"W1\":{\"dtype\":\"F32\",\"shape\":[784,10],\"data_offsets\":[0,31360]}";
    private static final String B1 = "\"b1\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[31360,31400]}";
    private static final int DATA = 31400;

    private void weightsCases() throws Exception {
        weights("padding", safetensors("padding", "{" + W1 + "," + B1 + "}", TENS_OF_MB, DATA));
        weights("whitespace", writeHeader("whitespace", 0, out -> {
            out.write('{');
            byte[] blanks = " \n\t\r".repeat(1 << 14).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < TENS_OF_MB / blanks.length; i++) {
                out.write(blanks);
            }
            out.write((W1 + "," + B1 + "}").getBytes(StandardCharsets.US_ASCII));
        }, DATA));
        weights("key", writeHeader("key", 0, out -> {
            out.write("{\"".getBytes(StandardCharsets.US_ASCII));
            byte[] k = "k".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < TENS_OF_MB / k.length; i++) {
                out.write(k);
            }
            out.write(("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}," + W1 + "," + B1 + "}")
                    .getBytes(StandardCharsets.US_ASCII));
        }, DATA));
        weights("shape", writeHeader("shape", 0, out -> {
            out.write("{\"W1\":{\"dtype\":\"F32\",\"shape\":[".getBytes(StandardCharsets.US_ASCII));
            byte[] ones = "1,".repeat(1 << 15).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 10_000_000 / (1 << 15); i++) {
                out.write(ones);
            }
            out.write("1],\"data_offsets\":[0,4]}}".getBytes(StandardCharsets.US_ASCII));
        }, 4));
        weights("empties", emptyTensors("empties", 1_400_000));
        weights("empties-within-limit", emptyTensors("empties-within-limit", 17_000));
        weights("values-within-limit", writeHeader("values-within-limit", 0, out -> {
            out.write("{\"a\":[".getBytes(StandardCharsets.US_ASCII));
            byte[] empties = "{},".repeat(1 << 10).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 330; i++) {
                out.write(empties);
            }
            out.write("{}]}".getBytes(StandardCharsets.US_ASCII));
        }, 0));
        // The costliest parse within the limits: one-key objects, about 250 bytes of heap per 8 bytes of
        // header, up to the value budget (3 values each): some 22 MB, which a 64 MB heap must survive.
        weights("objects-within-limit", writeHeader("objects-within-limit", 0, out -> {
            out.write("{\"a\":[".getBytes(StandardCharsets.US_ASCII));
            byte[] object = "{\"k\":1000},".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 87_000; i++) {
                out.write(object);
            }
            out.write("{}]}".getBytes(StandardCharsets.US_ASCII));
        }, 0));
        weights("length-max", declaredLength("length-max", Long.MAX_VALUE));
        weights("length-unsigned", declaredLength("length-unsigned", -1L));
        weights("length-1TB", declaredLength("length-1TB", 1L << 40));
        weights("fifo", SpecialFiles.fifo(dir.resolve("fifo.safetensors")));
        weights("folder", Files.createDirectory(dir.resolve("folder.safetensors")));
        weights("f16", safetensors("f16", "{\"W1\":{\"dtype\":\"F16\",\"shape\":[784,10],\"data_offsets\":[0,15680]},"
                + "\"b1\":{\"dtype\":\"F32\",\"shape\":[10],\"data_offsets\":[15680,15720]}}", 0, 15720));
        Path nan = safetensors("nan", "{" + W1 + "," + B1 + "}", 0, DATA);
        try (FileChannel channel = FileChannel.open(nan, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(Float.NaN).flip(), Files.size(nan) - 8);
        }
        weights("nan", nan);
        weights("metadata", safetensors("metadata", "{\"__metadata__\":{\"architecture\":\"0784-10(softmax)\"}," + W1 + ","
                + B1 + "}", 0, DATA));
        Path dataFifo = SpecialFiles.fifo(dir.resolve("data-fifo"));
        add("data-fifo", dataFifo, "predict", "--weights", good.toString(), "--data", dataFifo.toString());
    }

    private void imageCases() throws Exception {
        image("wide-png", PngFiles.write(dir.resolve("wide.png"), 1, 50_000_000, Integer.MAX_VALUE));
        // The header declares 46,000 rows; 500 are stored: a reader that checks the header never reads them.
        image("square-png", PngFiles.write(dir.resolve("square.png"), 46_000, 46_000, 500));
        image("fifo-png", SpecialFiles.fifo(dir.resolve("fifo.png")));
        image("folder-png", Files.createDirectory(dir.resolve("folder.png")));
    }

    private void weights(String name, Path file) {
        add(name, file, "predict", "--weights", file.toString(), digit.toString());
    }

    private void image(String name, Path file) {
        add(name, file, "predict", "--weights", good.toString(), file.toString());
    }

    private void add(String name, Path file, String... args) {
        cases.put(name, List.of(args));
        files.put(name, file);
    }

    // ---------------------------------------------------------------- files

    private interface HeaderBody {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A safetensors file of {@code json}, {@code padding} spaces, then {@code dataBytes} zero bytes. */
    private Path safetensors(String name, String json, int padding, int dataBytes) throws IOException {
        byte[] j = json.getBytes(StandardCharsets.UTF_8);
        return writeHeader(name, padding, out -> out.write(j), dataBytes);
    }

    /**
     * A safetensors file whose header is what {@code body} writes then {@code padding} spaces, then
     * {@code dataBytes} zero bytes; the header length is measured and written into place at the end.
     */
    private Path writeHeader(String name, int padding, HeaderBody body, int dataBytes) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            out.write(new byte[8]);
            body.writeTo(out);
            byte[] spaces = " ".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
            for (int left = padding; left > 0; left -= spaces.length) {
                out.write(spaces, 0, Math.min(left, spaces.length));
            }
            out.flush();
            long headerLength = channel.position() - 8;
            out.write(new byte[dataBytes]);
            out.flush();
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerLength).flip(), 0);
        }
        return file;
    }

    /** {@code count} entries {@code "t0000000":{...shape [0]...}}: the digits are written into one template. */
    private Path emptyTensors(String name, int count) throws IOException {
        byte[] entry = ",\"t0000000\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}"
                .getBytes(StandardCharsets.US_ASCII);
        return writeHeader(name, 0, out -> {
            out.write('{');
            for (int i = 0; i < count; i++) {
                for (int d = 0, v = i; d < 7; d++, v /= 10) {
                    entry[9 - d] = (byte) ('0' + v % 10);
                }
                out.write(entry, i == 0 ? 1 : 0, i == 0 ? entry.length - 1 : entry.length);
            }
            out.write('}');
        }, 0);
    }

    private Path declaredLength(String name, long length) throws IOException {
        Path file = dir.resolve(name + ".safetensors");
        Files.write(file, ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put((byte) '{').put((byte) '}').array());
        return file;
    }

    // ---------------------------------------------------------------- child

    /** Runs every case in one child JVM with a small heap; returns name to {name, status, escaped stderr}. */
    private Map<String, String[]> runInChild() throws Exception {
        List<String> lines = new ArrayList<>();
        cases.forEach((name, args) -> lines.add(name + "\t" + String.join("\t", args)));
        Path caseFile = Files.write(dir.resolve("cases.txt"), lines, StandardCharsets.UTF_8);
        // A child still running after the timeout (a FIFO blocks?) fails the test with its output so far.
        ChildJava.Result child = ChildJava.run(ChildJava.testClassPath(),
                List.of(HEAP, "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"), HostileInputsMain.class.getName(),
                Duration.ofSeconds(120), List.of(caseFile.toString()));
        String output = child.out();
        String childErr = child.err();
        assertThat(child.status()).as("child exit; stderr:\n%s", childErr).isZero();
        assertThat(childErr).doesNotContain("OutOfMemoryError", "Exception in thread");
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] fields = line.split("\t", 3);
            if (fields.length == 3) {
                results.put(fields[0], fields);
            }
        }
        return results;
    }
}
