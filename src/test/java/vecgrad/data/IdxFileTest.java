package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import vecgrad.testing.SpecialFiles;

final class IdxFileTest {

    /** Written by test-data/idx/make_fixtures.py; the expected values below are the ones it writes. */
    private static final Path FIXTURES = Path.of("test-data", "idx");

    @TempDir
    Path tmp;

    // ---------------------------------------------------------------- fixtures from the Python script

    @Test
    void read_unsignedByteFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("ubyte_2x3.idx"));
        assertThat(a.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
        assertThat(a.dims()).containsExactly(2, 3);
        assertThat(a.toIntArray()).containsExactly(0, 1, 2, 253, 254, 255);
        assertThat(a.toFloatArray()).containsExactly(0f, 1f, 2f, 253f, 254f, 255f);
    }

    @Test
    void read_signedByteGzipFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("sbyte_4.idx.gz"));
        assertThat(a.type()).isEqualTo(IdxType.SIGNED_BYTE);
        assertThat(a.dims()).containsExactly(4);
        assertThat(a.bytes()).containsExactly(-128, -1, 0, 127);
    }

    @Test
    void read_shortFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("short_2x2.idx"));
        assertThat(a.type()).isEqualTo(IdxType.SHORT);
        assertThat(a.dims()).containsExactly(2, 2);
        assertThat(a.shorts()).containsExactly((short) -32768, (short) -1, (short) 1, (short) 32767);
    }

    @Test
    void read_intGzipFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("int_2x1x2.idx.gz"));
        assertThat(a.type()).isEqualTo(IdxType.INT);
        assertThat(a.dims()).containsExactly(2, 1, 2);
        assertThat(a.ints()).containsExactly(Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE);
    }

    @Test
    void read_floatFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("float_3.idx"));
        assertThat(a.type()).isEqualTo(IdxType.FLOAT);
        assertThat(a.dims()).containsExactly(3);
        float[] v = a.floats();
        assertThat(v[0]).isEqualTo(1.5f);
        assertThat(Float.floatToRawIntBits(v[1])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(v[2]).isEqualTo(Float.MAX_VALUE);
    }

    @Test
    void read_doubleGzipFixture() throws IOException {
        IdxArray a = IdxFile.read(FIXTURES.resolve("double_2.idx.gz"));
        assertThat(a.type()).isEqualTo(IdxType.DOUBLE);
        assertThat(a.doubles()).containsExactly(0.1, -2.5e-300);
    }

    /** The writer's raw bytes equal those of the independent Python writer. */
    @ParameterizedTest
    @ValueSource(strings = {"ubyte_2x3.idx", "sbyte_4.idx.gz", "short_2x2.idx", "int_2x1x2.idx.gz",
            "float_3.idx", "double_2.idx.gz"})
    void write_sameBytesAsPythonFixture(String name) throws IOException {
        Path fixture = FIXTURES.resolve(name);
        Path copy = tmp.resolve("copy.idx");
        IdxFile.write(copy, IdxFile.read(fixture));
        assertThat(Files.readAllBytes(copy)).isEqualTo(uncompressed(fixture));
    }

    // ---------------------------------------------------------------- round trips

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void write_roundTripsEveryTypeAndRank(boolean gzip) throws IOException {
        Random rng = new Random(42);
        int[][] shapes = {{1}, {7}, {3, 5}, {2, 3, 4}, {2, 1, 3, 2}, {70000}};
        for (IdxType type : IdxType.values()) {
            for (int[] dims : shapes) {
                IdxArray original = randomArray(type, dims, rng);
                Path file = tmp.resolve(type + "-" + dims.length + "-" + dims[0] + (gzip ? ".gz" : ""));
                if (gzip) {
                    IdxFile.writeGzip(file, original);
                } else {
                    IdxFile.write(file, original);
                }
                IdxArray back = IdxFile.read(file);
                assertThat(back).as("%s %s gzip=%s", type, Arrays.toString(dims), gzip).isEqualTo(original);
                assertThat(back.dims()).isEqualTo(dims);
                assertThat(isGzip(file)).isEqualTo(gzip);
            }
        }
    }

    @Test
    void write_roundTripsRank255() throws IOException {
        int[] dims = new int[IdxArray.MAX_RANK];
        Arrays.fill(dims, 1);
        dims[100] = 3;
        IdxArray original = IdxArray.ofFloats(new float[] {1f, -2f, Float.NaN}, dims);
        Path file = tmp.resolve("rank255.idx");
        IdxFile.write(file, original);
        assertThat(Files.size(file)).isEqualTo(4 + 4 * 255 + 3 * 4);
        assertThat(IdxFile.read(file)).isEqualTo(original);
    }

    @Test
    void read_detectsGzipByContentNotName() throws IOException {
        IdxArray a = IdxArray.ofInts(new int[] {1, 2, 3}, 3);
        Path gzipNamedRaw = tmp.resolve("compressed.idx");
        Path rawNamedGz = tmp.resolve("plain.idx.gz");
        IdxFile.writeGzip(gzipNamedRaw, a);
        IdxFile.write(rawNamedGz, a);
        assertThat(isGzip(gzipNamedRaw)).isTrue();
        assertThat(isGzip(rawNamedGz)).isFalse();
        assertThat(IdxFile.read(gzipNamedRaw)).isEqualTo(a);
        assertThat(IdxFile.read(rawNamedGz)).isEqualTo(a);
    }

    @Test
    void read_concatenatedGzipMembers() throws IOException {
        // gzip(1) output of `cat a.gz b.gz` is one valid stream; the IDX bytes are split across members.
        byte[] idx = uncompressed(FIXTURES.resolve("ubyte_2x3.idx"));
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(gzip(Arrays.copyOfRange(idx, 0, 10)));
        both.write(gzip(Arrays.copyOfRange(idx, 10, idx.length)));
        Path file = tmp.resolve("two-members.gz");
        Files.write(file, both.toByteArray());
        assertThat(IdxFile.read(file).toIntArray()).containsExactly(0, 1, 2, 253, 254, 255);
    }

    // ---------------------------------------------------------------- bad files

    @Test
    void read_emptyFile() {
        assertBad("empty.idx", "empty.idx: empty file, expected an IDX header");
    }

    @Test
    void read_headerShorterThanMagic() {
        assertBad("short_header.idx", "header ends early: expected the 4-byte magic number, found 3 bytes");
    }

    @Test
    void read_headerShorterThanDims() {
        assertBad("short_dims.idx", "header ends early: expected 3 dimensions of 4 bytes, found 5 bytes");
    }

    @Test
    void read_badMagic() {
        assertBad("bad_magic.idx", "bad magic number 0x01000801: expected the first two bytes to be 0x00 0x00,"
                + " found 0x01 0x00");
    }

    @Test
    void read_unknownType() {
        assertBad("unknown_type.idx", "unknown element type 0x0a: expected one of 0x08 (unsigned byte),"
                + " 0x09 (signed byte), 0x0b (short), 0x0c (int), 0x0d (float), 0x0e (double)");
    }

    @Test
    void read_rankZero() {
        assertBad("rank0.idx", "rank 0 in the magic number: expected 1..255 dimensions");
    }

    @Test
    void read_zeroDimension() {
        assertBad("zero_dim.idx", "dimension 1 of (2, 0) is 0: expected every dimension >= 1");
    }

    @Test
    void read_dimensionOf2To32Minus1() {
        assertBad("huge_dim.idx", "dimension 0 of (4294967295) is 4294967295, too large: expected at most 2147483647");
    }

    @Test
    void read_overflowingProduct() {
        assertBad("overflow_product.idx", "dimensions (2147483647, 2147483647, 2147483647) multiply to more than"
                + " 2147483639 elements");
    }

    @Test
    void read_declaredSizeBeyondFile() {
        // 46340^2 ints = 8.6 GB: fails on the length check, long before any allocation could.
        assertBad("beyond_file.idx", "the file ends early: the header declares 0x0c (int) (46340, 46340),"
                + " 8589582412 bytes in all (12 header + 8589582400 data), but the file has 16 bytes");
    }

    @Test
    void read_truncatedRaw() {
        assertBad("truncated.idx", "the file ends early: the header declares 0x08 (unsigned byte) (2, 3),"
                + " 18 bytes in all (12 header + 6 data), but the file has 16 bytes");
    }

    @Test
    void read_trailingBytesRaw() {
        assertBad("trailing.idx", "trailing bytes: the header declares 0x08 (unsigned byte) (3), 11 bytes in all"
                + " (8 header + 3 data), but the file has 13 bytes");
    }

    @Test
    void read_trailingBytesGzip() {
        assertBad("trailing.idx.gz", "trailing bytes: the header declares 11 bytes in all, the decompressed data has 13");
    }

    @Test
    void read_lyingGzipHeader() {
        assertBad("lying_header.idx.gz", "the decompressed data ends early: the header declares 0x08 (unsigned byte)"
                + " (2000000000), 2000000000 data bytes after the 8-byte header, found 100");
    }

    @Test
    void read_lyingGzipHeaderAllocatesOnlyWhatArrives() throws IOException {
        // 2^31-9 doubles = 17 GB: allocating the declared size would be an OutOfMemoryError, not this message.
        Path file = tmp.resolve("lying-doubles.gz");
        Files.write(file, gzip(lyingDoubles()));
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("ends early: the header declares 0x0e (double) (2147483639), 17179869112 data bytes"
                        + " after the 8-byte header, found 800");
    }

    @Test
    void read_lyingRawHeaderAllocatesNothing() throws IOException {
        Path file = tmp.resolve("lying-doubles.idx");
        Files.write(file, lyingDoubles());
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("the file ends early: the header declares 0x0e (double) (2147483639),"
                        + " 17179869120 bytes in all (8 header + 17179869112 data), but the file has 808 bytes");
    }

    @Test
    void read_truncatedGzip() {
        assertBad("truncated.idx.gz", "gzip stream is truncated: it ends after");
    }

    @Test
    void read_corruptDeflateStream() {
        assertBad("corrupt_deflate.idx.gz", "corrupt gzip stream after 0 decompressed bytes: invalid block type");
    }

    @Test
    void read_badCrc() {
        assertBad("bad_crc.idx.gz", "corrupt gzip stream after 264 decompressed bytes: Corrupt GZIP trailer");
    }

    @Test
    void read_truncatedGzipWithHeaderKnown() throws IOException {
        // Random bytes do not compress, so half the stream ends well inside the data.
        byte[] data = new byte[200_000];
        new Random(1).nextBytes(data);
        byte[] compressed = gzip(rawBytes(IdxArray.ofUnsignedBytes(data, 200_000)));
        Path file = tmp.resolve("cut.gz");
        Files.write(file, Arrays.copyOf(compressed, compressed.length / 2));
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": gzip stream is truncated: it ends after ")
                .hasMessageContaining(" decompressed bytes of the 200008 the IDX header declares");
    }

    @Test
    void read_truncatedDataInsideGzip() throws IOException {
        byte[] idx = uncompressed(FIXTURES.resolve("short_2x2.idx"));
        Path file = tmp.resolve("short-data.gz");
        Files.write(file, gzip(Arrays.copyOf(idx, idx.length - 3)));
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": the decompressed data ends early: the header declares 0x0b (short) (2, 2),"
                        + " 8 data bytes after the 12-byte header, found 5");
    }

    @Test
    void read_gzipOfNothing() throws IOException {
        Path file = tmp.resolve("nothing.gz");
        Files.write(file, gzip(new byte[0]));
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": header ends early: expected the 4-byte magic number, found 0 bytes"
                        + " (the decompressed data is 0 bytes long)");
    }

    @Test
    void read_missingFile() {
        Path file = tmp.resolve("absent.idx");
        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent.idx");
    }

    @Test
    void read_folder() {
        assertThatThrownBy(() -> IdxFile.read(tmp)).isInstanceOf(IOException.class)
                .hasMessage(tmp + ": expected an IDX file, found a folder");
    }

    @Test
    void read_dimensionProductOverflowingInt_rejected() throws IOException {
        // 65537 x 65537 = 2^32 + 2^17 + 1, which wraps to 131073 in int arithmetic: the file holds exactly
        // that many bytes, so a reader that multiplies in int would accept it as a (65537, 65537) array.
        ByteBuffer b = ByteBuffer.allocate(12 + 131_073);
        b.put(new byte[] {0, 0, 0x08, 2}).putInt(65_537).putInt(65_537);
        Path file = Files.write(tmp.resolve("wraps.idx"), b.array());

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": dimensions (65537, 65537) multiply to more than 2147483639 elements,"
                        + " the most a Java array holds");
    }

    @Test
    void read_rank255_messageStaysShort() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * 255);
        b.put(new byte[] {0, 0, 0x08, (byte) 255});
        for (int i = 0; i < 255; i++) {
            b.putInt(i == 254 ? 0 : 1);
        }
        Path file = Files.write(tmp.resolve("rank255.idx"), b.array());

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": dimension 254 of (1, 1, 1, 1, 1, 1, 1, 1, \u2026 247 more) is 0: expected every dimension >= 1");
    }

    @Test
    void read_gzipWithOneTrailingByte_rejected() throws IOException {
        byte[] member = gzip(rawBytes(IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3}, 3)));
        Path file = Files.write(tmp.resolve("junk.idx.gz"), Arrays.copyOf(member, member.length + 1));

        assertThatThrownBy(() -> IdxFile.read(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": 1 byte after the end of the gzip data (at compressed byte " + member.length
                        + "): expected the end of the file or another gzip member");
    }

    @Test
    void read_gzipOfTwoMembers_readsBoth() throws IOException {
        // gzip(1) concatenates members (cat a.gz b.gz); the result is one stream of both contents.
        byte[] raw = rawBytes(IdxArray.ofUnsignedBytes(new byte[] {1, 2, 3, 4, 5}, 5));
        byte[] first = gzip(Arrays.copyOf(raw, 7));
        byte[] second = gzip(Arrays.copyOfRange(raw, 7, raw.length));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        Path file = Files.write(tmp.resolve("two.idx.gz"), both);

        assertThat(IdxFile.read(file).bytes()).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    @Timeout(10)
    void read_fifo_refusedWithoutBlocking() throws Exception {
        Path fifo = SpecialFiles.fifo(tmp.resolve("pipe.idx"));

        assertThatThrownBy(() -> IdxFile.read(fifo)).isInstanceOf(FileSystemException.class)
                .hasMessage(fifo + ": expected an IDX file, found a FIFO (named pipe)");
    }

    // ---------------------------------------------------------------- writer

    @Test
    void write_replacesExistingFileAndLeavesNoTemporary() throws IOException {
        Path file = tmp.resolve("out.idx");
        Files.writeString(file, "old contents");
        IdxArray a = IdxArray.ofShorts(new short[] {5, 6}, 2);
        IdxFile.writeGzip(file, a);
        assertThat(IdxFile.read(file)).isEqualTo(a);
        try (var listing = Files.list(tmp)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("out.idx");
        }
    }

    @Test
    void write_missingFolder() {
        Path file = tmp.resolve("no-such-folder").resolve("out.idx");
        assertThatThrownBy(() -> IdxFile.write(file, IdxArray.ofInts(new int[] {1}, 1)))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no-such-folder")
                .hasMessageContaining("expected an existing folder, found nothing");
    }

    @Test
    void write_ontoFolder() throws IOException {
        Path folder = Files.createDirectory(tmp.resolve("taken"));
        assertThatThrownBy(() -> IdxFile.write(folder, IdxArray.ofInts(new int[] {1}, 1)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("taken: cannot write: it is a folder");
        try (var listing = Files.list(tmp)) {
            assertThat(listing).containsExactly(folder);
        }
    }

    @Test
    void write_gzipIsReproducible() throws IOException {
        IdxArray a = IdxArray.ofDoubles(new double[] {1, 2, 3, 4}, 2, 2);
        Path first = tmp.resolve("a.gz");
        Path second = tmp.resolve("b.gz");
        IdxFile.writeGzip(first, a);
        IdxFile.writeGzip(second, a);
        assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
    }

    // ---------------------------------------------------------------- helpers

    private static void assertBad(String fixture, String expected) {
        Path file = FIXTURES.resolve(fixture);
        assertThatThrownBy(() -> IdxFile.read(file))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(expected);
    }

    private static IdxArray randomArray(IdxType type, int[] dims, Random rng) {
        int n = 1;
        for (int d : dims) n *= d;
        switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> {
                byte[] v = new byte[n];
                rng.nextBytes(v);
                return type == IdxType.UNSIGNED_BYTE ? IdxArray.ofUnsignedBytes(v, dims) : IdxArray.ofSignedBytes(v, dims);
            }
            case SHORT -> {
                short[] v = new short[n];
                for (int i = 0; i < n; i++) v[i] = (short) rng.nextInt();
                return IdxArray.ofShorts(v, dims);
            }
            case INT -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) v[i] = rng.nextInt();
                return IdxArray.ofInts(v, dims);
            }
            case FLOAT -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) v[i] = Float.intBitsToFloat(rng.nextInt());
                return IdxArray.ofFloats(v, dims);
            }
            case DOUBLE -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) v[i] = Double.longBitsToDouble(rng.nextLong());
                return IdxArray.ofDoubles(v, dims);
            }
            default -> throw new AssertionError(type);
        }
    }

    /** A header declaring 2^31-9 doubles, followed by 800 bytes (100 doubles) of zeros. */
    private static byte[] lyingDoubles() {
        ByteBuffer idx = ByteBuffer.allocate(8 + 800);
        idx.put(new byte[] {0, 0, 0x0E, 1}).putInt(IdxArray.MAX_ELEMENTS);
        return idx.array();
    }

    private static boolean isGzip(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        return b.length >= 2 && (b[0] & 0xFF) == 0x1f && (b[1] & 0xFF) == 0x8b;
    }

    private static byte[] uncompressed(Path file) throws IOException {
        if (!isGzip(file)) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private byte[] rawBytes(IdxArray array) throws IOException {
        Path file = tmp.resolve("raw-" + System.nanoTime());
        IdxFile.write(file, array);
        return Files.readAllBytes(file);
    }

}
