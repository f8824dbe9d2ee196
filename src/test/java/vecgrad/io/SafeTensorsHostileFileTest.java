package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.SpecialFiles;

/** Every malformed or hostile file is rejected with a message naming the file and the problem. */
final class SafeTensorsHostileFileTest {

    @TempDir
    Path dir;

    private static final String W4 = "\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}";

    private Path file(String header, int dataBytes) throws IOException {
        return RawFiles.write(dir.resolve("bad.safetensors"), header, dataBytes);
    }

    private static void rejects(Path file, String expectedProblem) {
        assertThatThrownBy(() -> SafeTensors.read(file))
                .isInstanceOf(SafeTensorsFormatException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(expectedProblem);
    }

    @Test
    void validFile_baseline() throws IOException {
        // The template the cases below break one thing at a time.
        assertThat(SafeTensors.read(file("{" + W4 + "}", 16)).tensor("w").shape()).containsExactly(4);
    }

    // ---------------------------------------------------------------- framing

    @Test
    void fileShorterThan8Bytes() throws IOException {
        Path empty = Files.write(dir.resolve("empty.safetensors"), new byte[0]);
        Path five = Files.write(dir.resolve("five.safetensors"), new byte[5]);

        rejects(empty, "expected at least 8 bytes (the header length), found a file of 0 bytes");
        rejects(five, "expected at least 8 bytes (the header length), found a file of 5 bytes");
    }

    @Test
    void headerLengthBeyondFile() throws IOException {
        Path f = RawFiles.write(dir.resolve("short.safetensors"), 100, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);

        rejects(f, "header length 100 goes past the end of the file: expected at least 108 bytes, found 10");
    }

    @Test
    void headerLengthAbsurd() throws IOException {
        Path over = RawFiles.write(dir.resolve("over.safetensors"), 1_048_577L, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        Path huge = RawFiles.write(dir.resolve("huge.safetensors"), -1L, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        Path big = RawFiles.write(dir.resolve("big.safetensors"), Long.MAX_VALUE, new byte[0], new byte[0]);

        rejects(over, "expected a header length of at most 1048576 bytes, found 1048577");
        rejects(huge, "expected a header length of at most 1048576 bytes, found 18446744073709551615");
        rejects(big, "found 9223372036854775807");
    }

    @Test
    void headerNotUtf8() throws IOException {
        byte[] h = "{\"w\u00ff\":{}}".getBytes(StandardCharsets.ISO_8859_1);
        Path invalidByte = RawFiles.write(dir.resolve("ff.safetensors"), h.length, h, new byte[0]);
        byte[] overlong = {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '{', '}', '}'};
        Path overlongSlash = RawFiles.write(dir.resolve("overlong.safetensors"), overlong.length, overlong, new byte[0]);
        byte[] surrogate = {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '{', '}', '}'}; // CESU-8 U+D800
        Path encodedSurrogate = RawFiles.write(dir.resolve("cesu.safetensors"), surrogate.length, surrogate, new byte[0]);
        byte[] truncated = {'{', '"', (byte) 0xe2, (byte) 0x86};
        Path cut = RawFiles.write(dir.resolve("cut.safetensors"), truncated.length, truncated, new byte[0]);

        rejects(invalidByte, "expected a UTF-8 header, found an invalid byte sequence at header byte 3");
        rejects(overlongSlash, "expected a UTF-8 header, found an invalid byte sequence at header byte 2");
        rejects(encodedSurrogate, "expected a UTF-8 header, found an invalid byte sequence at header byte 2");
        rejects(cut, "expected a UTF-8 header, found an invalid byte sequence at header byte 2");
    }

    @Test
    void headerEmpty() throws IOException {
        rejects(file("", 0), "expected a JSON header, found invalid JSON: expected a value, found the end of the text at character 0");
    }

    @Test
    void headerNotJson() throws IOException {
        rejects(file("{\"w\":", 0), "found invalid JSON: expected a value, found the end of the text at character 5");
        rejects(file("{" + W4 + "}junk", 16), "found invalid JSON: expected the end of the text after the value, found 'junk'");
        rejects(file("{" + W4 + "}\0\0\0", 16), "expected the end of the text after the value, found '\\u0000");
    }

    @Test
    void headerNotAnObject() throws IOException {
        rejects(file("[]", 0), "expected the header to be a JSON object, found array");
        rejects(file("\"w\"", 0), "expected the header to be a JSON object, found string \"w\"");
        rejects(file("12", 0), "expected the header to be a JSON object, found number 12");
    }

    @Test
    void headerTooDeep() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[[4]],\"data_offsets\":[0,16]}}", 16),
                "expected at most 3 levels of nested objects and arrays, found more");
        rejects(file("[".repeat(500_000), 0), "expected at most 3 levels");
    }

    @Test
    void duplicateKeys() throws IOException {
        rejects(file("{" + W4 + "," + W4 + "}", 16), "duplicate key \"w\" (keys must be unique)");
        rejects(file("{" + W4 + ",\"\\u0077\":{}}", 16), "duplicate key \"w\"");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16),
                "duplicate key \"dtype\"");
        rejects(file("{\"__metadata__\":{},\"__metadata__\":{}}", 0), "duplicate key \"__metadata__\"");
    }

    // ---------------------------------------------------------------- entries

    @Test
    void entryNotAnObject() throws IOException {
        rejects(file("{\"w\":[0,16]}", 16), "expected tensor \"w\" to be an object with dtype, shape and data_offsets, found array");
    }

    @Test
    void missingFields() throws IOException {
        rejects(file("{\"w\":{\"shape\":[4],\"data_offsets\":[0,16]}}", 16), "expected a \"dtype\" field in tensor \"w\", found none");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,16]}}", 16), "expected a \"shape\" field in tensor \"w\", found none");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4]}}", 16), "expected a \"data_offsets\" field in tensor \"w\", found none");
        // The README's example spells it "offsets"; the reference implementation reads "data_offsets".
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"offsets\":[0,16]}}", 16),
                "expected only the fields dtype, shape and data_offsets in tensor \"w\", found an unknown field \"offsets\"");
    }

    @Test
    void unknownField() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16],\"strides\":[1]}}", 16),
                "expected only the fields dtype, shape and data_offsets in tensor \"w\", found an unknown field \"strides\"");
    }

    @Test
    void wrongFieldTypes() throws IOException {
        rejects(file("{\"w\":{\"dtype\":32,\"shape\":[4],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" dtype to be a string, found number 32");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":\"4\",\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" shape to be an array of integers, found string \"4\"");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":{\"begin\":0}}}", 16),
                "expected tensor \"w\" data_offsets to be an array of integers, found object");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":null}}", 16),
                "expected tensor \"w\" data_offsets to be an array of integers, found null");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[true],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" shape[0] to be an integer in [0, 2^63), found true");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[\"4\"],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" shape[0] to be an integer in [0, 2^63), found string \"4\"");
    }

    @Test
    void dataOffsetsNotAPair() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16,32]}}", 16),
                "expected tensor \"w\" data_offsets to be [begin, end], found 3 numbers");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16]}}", 16),
                "expected tensor \"w\" data_offsets to be [begin, end], found 1 numbers");
    }

    @Test
    void nonIntegerNumbers() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[-4],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" shape[0] to be an integer in [0, 2^63), found number -4");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4.0],\"data_offsets\":[0,16]}}", 16), "found number 4.0");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1.6e1]}}", 16),
                "expected tensor \"w\" data_offsets end to be an integer in [0, 2^63), found number 1.6e1");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[-0,16]}}", 16),
                "expected tensor \"w\" data_offsets begin to be an integer in [0, 2^63), found number -0");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,18446744073709551632]}}", 16),
                "found number 18446744073709551632");
    }

    @Test
    void dimensionTooLargeForInt() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0,4294967296],\"data_offsets\":[0,0]}}", 0),
                "expected tensor \"w\" shape[1] to be at most 2147483647, found 4294967296");
    }

    @Test
    void shapeOverflows() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" to have a shape whose element count fits in 64 bits");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2147483647,2],\"data_offsets\":[0,16]}}", 16),
                "expected tensor \"w\" to have at most 2147483639 elements (a Java array), found 4294967294 for shape (2147483647, 2)");
    }

    @Test
    void hugeTensorInTinyFile_rejectedBeforeAllocating() throws IOException {
        // 1.6 GB claimed by a 90-byte file: must fail on the range, not with an OutOfMemoryError.
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[400000000],\"data_offsets\":[0,1600000000]}}", 16),
                "expected tensor \"w\" data_offsets within the 16 bytes of data after the header, found [0, 1600000000]");
    }

    @Test
    void unsupportedDtypes() throws IOException {
        for (String dtype : new String[] {"I32", "I64", "U8", "BOOL", "F8_E4M3", "f32", "F33", ""}) {
            rejects(file("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":[4],\"data_offsets\":[0,16]}}", 16),
                    "tensor \"w\" has dtype \"" + dtype + "\": expected F32 (or F64, F16, BF16, which are converted to float32)");
        }
    }

    // ---------------------------------------------------------------- layout

    @Test
    void beginAfterEnd() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[16,0]}}", 16),
                "expected tensor \"w\" data_offsets begin <= end, found [16, 0]");
    }

    @Test
    void offsetsOutOfRange() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[4,20]}}", 16),
                "expected tensor \"w\" data_offsets within the 16 bytes of data after the header, found [4, 20]");
    }

    @Test
    void byteLengthNotMatchingShape() throws IOException {
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", 12),
                "tensor \"w\" has 12 bytes of data, expected 4 x 4 = 16 bytes for F32 shape (2, 2)");
        rejects(file("{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,12]}}", 12),
                "tensor \"w\" has 12 bytes of data, expected 3 x 2 = 6 bytes for F16 shape (3)");
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,0]}}", 0),
                "tensor \"w\" has 0 bytes of data, expected 1 x 4 = 4 bytes for F32 shape ()");
    }

    @Test
    void overlappingRanges() throws IOException {
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12),
                "expected tensor data ranges not to overlap, found tensor \"b\" [4, 12) overlapping tensor \"a\" [0, 8)");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8),
                "found tensor \"b\" [0, 8) overlapping tensor \"a\" [0, 8)");
    }

    @Test
    void gapBetweenRanges() throws IOException {
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12),
                "expected the tensors to cover the data without gaps, found bytes [4, 8) before tensor \"b\" that belong to no tensor");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "found bytes [0, 4) before tensor \"a\" that belong to no tensor");
    }

    @Test
    void trailingData() throws IOException {
        rejects(file("{" + W4 + "}", 20),
                "expected the tensors to cover all 20 bytes of data after the header, found 4 trailing bytes after the last tensor (which ends at 16)");
        rejects(file("{}", 1), "expected the tensors to cover all 1 bytes of data after the header, found 1 trailing bytes");
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void metadataNotAnObject() throws IOException {
        rejects(file("{\"__metadata__\":[\"a\"]}", 0), "expected \"__metadata__\" to be an object of strings, found array");
        rejects(file("{\"__metadata__\":\"a\"}", 0), "expected \"__metadata__\" to be an object of strings, found string \"a\"");
    }

    @Test
    void metadataNonStringValues() throws IOException {
        rejects(file("{\"__metadata__\":{\"epoch\":3}}", 0), "expected a string for metadata key \"epoch\", found number 3");
        rejects(file("{\"__metadata__\":{\"ok\":false}}", 0), "expected a string for metadata key \"ok\", found false");
        rejects(file("{\"__metadata__\":{\"none\":null}}", 0), "expected a string for metadata key \"none\", found null");
        rejects(file("{\"__metadata__\":{\"nested\":{}}}", 0), "expected a string for metadata key \"nested\", found object");
    }

    @Test
    void namesInMessagesAreEscaped() throws IOException {
        rejects(file("{\"a\\nb\":{\"dtype\":\"I8\",\"shape\":[],\"data_offsets\":[0,1]}}", 1), "tensor \"a\\nb\" has dtype \"I8\"");
    }

    // ---------------------------------------------------------------- layout and limits

    @Test
    void rangesOverlappingByOneByte() throws IOException {
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[7,15]}}", 15),
                "expected tensor data ranges not to overlap, found tensor \"b\" [7, 15) overlapping tensor \"a\" [0, 8)");
    }

    @Test
    void tooManyTensors() throws IOException {
        StringBuilder h = new StringBuilder("{");
        for (int i = 0; i <= SafeTensorsReader.MAX_TENSORS; i++) {
            h.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}");
        }
        rejects(file(h.append('}').toString(), 0), "expected at most 16384 tensors, found 16385");
    }

    @Test
    void nameTooLong() throws IOException {
        String name = "n".repeat(SafeTensorsReader.MAX_NAME_CHARS + 1);
        rejects(file("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}}", 0),
                "expected a tensor name of at most 1024 characters, found one of 1025: \"" + "n".repeat(60) + "\u2026\"");
        rejects(file("{\"__metadata__\":{\"" + name + "\":\"v\"}}", 0), "expected a metadata key of at most 1024 characters");
    }

    @Test
    void rankTooHigh() throws IOException {
        String ones = "1,".repeat(SafeTensorsReader.MAX_RANK) + "1";
        rejects(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[" + ones + "],\"data_offsets\":[0,4]}}", 4),
                "expected tensor \"w\" shape to have at most 32 dimensions, found 33");
    }

    @Test
    void tooManyJsonValues() throws IOException {
        String zeros = "0,".repeat(SafeTensorsReader.MAX_JSON_VALUES);
        rejects(file("{\"__metadata__\":{\"a\":[" + zeros + "0]}}", 0),
                "expected a JSON header, found invalid JSON: expected at most 262144 values and keys in all, found more");
    }

    @Test
    void longValuesInMessages_areCut() throws IOException {
        String dtype = "X".repeat(100_000);
        Path f = file("{\"" + "k".repeat(1000) + "\":{\"dtype\":\"" + dtype + "\",\"shape\":[],\"data_offsets\":[0,4]}}", 4);
        assertThatThrownBy(() -> SafeTensors.read(f)).isInstanceOf(SafeTensorsFormatException.class)
                .hasMessage(f + ": tensor \"" + "k".repeat(60) + "\u2026\" has dtype \"" + "X".repeat(60)
                        + "\u2026\": expected F32 (or F64, F16, BF16, which are converted to float32)");
        Path dup = file("{\"" + "d".repeat(1000) + "\":1,\"" + "d".repeat(1000) + "\":2}", 0);
        assertThatThrownBy(() -> SafeTensors.read(dup)).message().hasSizeLessThan(dup.toString().length() + 200);
    }

    // ---------------------------------------------------------------- special files

    @Test
    @Timeout(10)
    void fifo_refusedWithoutBlocking() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("pipe.safetensors"));
        assertThatThrownBy(() -> SafeTensors.read(fifo)).isInstanceOf(FileSystemException.class)
                .hasMessage(fifo + ": expected a safetensors file, found a FIFO (named pipe)");
    }

    @Test
    void folderAndMissing_namedWithThePath() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.safetensors"));
        assertThatThrownBy(() -> SafeTensors.read(folder)).isInstanceOf(FileSystemException.class)
                .hasMessage(folder + ": expected a safetensors file, found a folder");
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("absent"))).isInstanceOf(NoSuchFileException.class)
                .hasMessage(dir.resolve("absent") + ": expected a safetensors file, found nothing there");
    }
}
