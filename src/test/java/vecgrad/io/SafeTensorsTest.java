package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

final class SafeTensorsTest {

    @TempDir
    Path dir;

    private static int[] bits(float[] values) {
        int[] b = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = Float.floatToRawIntBits(values[i]);
        }
        return b;
    }

    private List<String> folderListing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    // ---------------------------------------------------------------- round trips

    @Test
    void roundTrip_specialValuesBitExact() throws IOException {
        // Quiet NaNs only: the JLS lets intBitsToFloat quiet a signalling NaN on some hardware.
        float[] values = {
            0f, -0f, 1f, -1.5f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, Float.MIN_NORMAL, Float.MAX_VALUE,
            -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7fc12345), Float.intBitsToFloat(0xffc00001), Float.intBitsToFloat(0x7fffffff),
        };
        Path file = dir.resolve("special.safetensors");
        SafeTensors.write(file, Map.of("v", Tensor.of(values, 4, 4)));

        Tensor back = SafeTensors.read(file).tensor("v");

        assertThat(back.shape()).containsExactly(4, 4);
        assertThat(bits(back.data())).containsExactly(bits(values));
    }

    @Test
    void roundTrip_manyTensorsSpanningSeveralBuffers() throws IOException {
        Map<String, Tensor> tensors = new HashMap<>();
        Tensor big = Tensor.randomNormal(new java.util.Random(7), 0f, 1f, 250, 201); // 201 KB: several 64 KB chunks
        tensors.put("big", big);
        tensors.put("row", Tensor.of(new float[] {1, 2, 3}, 1, 3));
        tensors.put("cube", Tensor.randomUniform(new java.util.Random(8), -1f, 1f, 3, 5, 7));
        Path file = dir.resolve("many.safetensors");
        SafeTensors.write(file, tensors);

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensors().keySet()).containsExactly("big", "cube", "row");
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            assertThat(read.tensor(e.getKey()).contentEquals(e.getValue())).as(e.getKey()).isTrue();
            assertThat(read.dtype(e.getKey())).isEqualTo(StoredDtype.F32);
        }
        assertThat(read.metadata()).isEmpty();
        assertThat(read.file()).isEqualTo(file);
    }

    @Test
    void roundTrip_emptyAndScalarTensors() throws IOException {
        Path file = dir.resolve("edge.safetensors");
        SafeTensors.write(file, Map.of("empty", Tensor.zeros(0, 3), "also_empty", Tensor.zeros(5, 0, 2),
                "scalar", Tensor.scalar(-2.5f)));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensor("empty").shape()).containsExactly(0, 3);
        assertThat(read.tensor("empty").size()).isZero();
        assertThat(read.tensor("also_empty").shape()).containsExactly(5, 0, 2);
        assertThat(read.tensor("scalar").rank()).isZero();
        assertThat(read.tensor("scalar").item()).isEqualTo(-2.5f);
        String header = headerOf(file);
        assertThat(header).contains("\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]}")
                .contains("\"scalar\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}");
    }

    @Test
    void roundTrip_noTensors() throws IOException {
        Path file = dir.resolve("none.safetensors");
        SafeTensors.write(file, Map.of(), Map.of("note", "nothing here"));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensors()).isEmpty();
        assertThat(read.metadata()).containsExactly(Map.entry("note", "nothing here"));
    }

    @Test
    void roundTrip_metadata() throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("quotes \" and \\ backslash", "line\nbreak\ttab \u0001 control");
        metadata.put("unicode \u00e9\u2192", "emoji " + new String(Character.toChars(0x1F9EA)));
        metadata.put("", "");
        Path file = dir.resolve("meta.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.ones(2)), metadata);

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.metadata()).isEqualTo(metadata);
        assertThat(read.metadata().keySet()).containsExactly("", "format", "quotes \" and \\ backslash", "unicode \u00e9\u2192");
        assertThatThrownBy(() -> read.metadata().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> read.tensors().remove("w")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void write_acceptsVariables() throws IOException {
        Variable w = Variable.of("dense/kernel", Tensor.filled(0.25f, 2, 2));
        Path file = dir.resolve("vars.safetensors");
        SafeTensors.write(file, Map.of(w.name(), w));

        assertThat(SafeTensors.read(file).tensor("dense/kernel").contentEquals(w)).isTrue();
    }

    // ---------------------------------------------------------------- exact bytes

    @Test
    void write_matchesReferenceImplementationBytes() throws IOException {
        // The expected bytes are the reference Rust implementation's test vector (test_serialization):
        // a 64-byte header (no padding needed), then 0..5 as little-endian floats.
        Path file = dir.resolve("ref.safetensors");
        SafeTensors.write(file, Map.of("attn.0", Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 2, 3)));

        String header = "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}";
        byte[] expected = RawFiles.concat(new byte[] {64, 0, 0, 0, 0, 0, 0, 0}, header.getBytes(StandardCharsets.US_ASCII),
                RawFiles.floatsLE(0, 1, 2, 3, 4, 5));
        assertThat(Files.readAllBytes(file)).containsExactly(expected);
    }

    @Test
    void write_emptyMatchesReferenceImplementationBytes() throws IOException {
        // The reference's test_empty vectors: "{}" and the one-key metadata header, space-padded to 8.
        Path empty = dir.resolve("empty.safetensors");
        Path withMetadata = dir.resolve("meta.safetensors");
        SafeTensors.write(empty, Map.of());
        SafeTensors.write(withMetadata, Map.of(), Map.of("framework", "pt"));

        assertThat(Files.readAllBytes(empty)).containsExactly(8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' ');
        byte[] expected = RawFiles.concat(new byte[] {40, 0, 0, 0, 0, 0, 0, 0},
                "{\"__metadata__\":{\"framework\":\"pt\"}}     ".getBytes(StandardCharsets.US_ASCII));
        assertThat(Files.readAllBytes(withMetadata)).containsExactly(expected);
    }

    @Test
    void write_headerPaddedWithSpacesToMultipleOf8() throws IOException {
        for (String name : List.of("a", "ab", "abc", "abcd", "abcde", "abcdef", "abcdefg", "abcdefgh")) {
            Path file = dir.resolve(name + ".safetensors");
            SafeTensors.write(file, Map.of(name, Tensor.ones(1)));

            byte[] bytes = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat(n % 8).as(name).isZero();
            String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
            String json = header.stripTrailing();
            assertThat(json).endsWith("}}");
            assertThat(header.substring(json.length())).matches(" {0,7}");
            assertThat(bytes.length).isEqualTo(8 + n + 4);
        }
    }

    @Test
    void write_deterministicWhateverTheMapOrder() throws IOException {
        Map<String, Tensor> forward = new LinkedHashMap<>();
        Map<String, Tensor> backward = new LinkedHashMap<>();
        String[] names = {"b", "a", "layer_10/w", "layer_2/w", "Z", "z"};
        for (int i = 0; i < names.length; i++) {
            forward.put(names[i], Tensor.filled(i, 2, i + 1));
        }
        for (int i = names.length - 1; i >= 0; i--) {
            backward.put(names[i], forward.get(names[i]));
        }
        Map<String, String> meta1 = new LinkedHashMap<>();
        meta1.put("y", "1");
        meta1.put("x", "2");
        Map<String, String> meta2 = new LinkedHashMap<>();
        meta2.put("x", "2");
        meta2.put("y", "1");
        Path f1 = dir.resolve("1.safetensors");
        Path f2 = dir.resolve("2.safetensors");
        SafeTensors.write(f1, forward, meta1);
        SafeTensors.write(f2, backward, meta2);

        assertThat(Files.readAllBytes(f1)).isEqualTo(Files.readAllBytes(f2));
        String header = headerOf(f1);
        assertThat(header).startsWith("{\"__metadata__\":{\"x\":\"2\",\"y\":\"1\"},\"Z\":");
        assertThat(SafeTensors.read(f1).tensors().keySet()).containsExactly("Z", "a", "b", "layer_10/w", "layer_2/w", "z");
    }

    @Test
    void write_sortsNamesByUtf8Bytes() throws IOException {
        // UTF-16 order puts the surrogate pair (0xD83E...) before U+FF01; UTF-8 byte order, which the
        // reference uses, puts U+FF01 (EF BC 81) before U+1F9EA (F0 9F A7 AA).
        String astral = new String(Character.toChars(0x1F9EA));
        String fullwidth = "\uff01";
        List<String> expected = new ArrayList<>(List.of(astral, fullwidth, "a"));
        expected.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("order.safetensors");
        SafeTensors.write(file, Map.of(astral, Tensor.ones(1), fullwidth, Tensor.ones(1), "a", Tensor.ones(1)));

        assertThat(expected).containsExactly("a", fullwidth, astral);
        assertThat(SafeTensors.read(file).tensors().keySet()).containsExactlyElementsOf(expected);
        String header = headerOf(file);
        assertThat(header.indexOf(fullwidth)).isLessThan(header.indexOf(astral));
    }

    @Test
    void write_replacesExistingFile() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Files.writeString(file, "old content");
        SafeTensors.write(file, Map.of("w", Tensor.ones(3)));

        assertThat(SafeTensors.read(file).tensor("w").contentEquals(Tensor.ones(3))).isTrue();
        assertThat(folderListing()).containsExactly("w.safetensors");
    }

    @Test
    void write_relativePath() throws IOException {
        Path file = Path.of("target", "safetensors-relative-" + ProcessHandle.current().pid() + ".safetensors");
        try {
            SafeTensors.write(file, Map.of("w", Tensor.ones(1)));
            assertThat(SafeTensors.read(file).tensor("w").item()).isEqualTo(1f);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // ---------------------------------------------------------------- other dtypes

    @Test
    void read_f16ConvertedExactly() throws IOException {
        int[] halves = {0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x8000, 0x0000, 0x7c00, 0xfc00, 0x3555, 0x7e00};
        float[] expected = {1f, -2f, 65504f, 0x1p-24f, 1023 * 0x1p-24f, 0x1p-14f, -0f, 0f, Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0.333251953125f, Float.NaN};
        Path file = RawFiles.write(dir.resolve("f16.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[12],\"data_offsets\":[0,24]}}", RawFiles.shortsLE(halves));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.dtype("h")).isEqualTo(StoredDtype.F16);
        assertThat(bits(read.tensor("h").data())).containsExactly(bits(expected));
    }

    @Test
    void read_f16NanPayloadKept() throws IOException {
        Path file = RawFiles.write(dir.resolve("f16nan.safetensors"),
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", RawFiles.shortsLE(0xfe01));

        assertThat(Float.floatToRawIntBits(SafeTensors.read(file).tensor("h").item())).isEqualTo(0xffc02000);
    }

    @Test
    void read_bf16ConvertedExactly() throws IOException {
        int[] halves = {0x3f80, 0xc049, 0x0001, 0x8000, 0x7f80, 0xff80, 0x7f7f};
        float[] expected = {1f, -3.140625f, 0x1p-133f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1.fep127f};
        Path file = RawFiles.write(dir.resolve("bf16.safetensors"),
                "{\"b\":{\"dtype\":\"BF16\",\"shape\":[7],\"data_offsets\":[0,14]}}", RawFiles.shortsLE(halves));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.dtype("b")).isEqualTo(StoredDtype.BF16);
        assertThat(bits(read.tensor("b").data())).containsExactly(bits(expected));
    }

    @Test
    void read_f64RoundedToNearestFloat() throws IOException {
        double[] doubles = {1.0 / 3, 0.1, -0.0, 1e300, -1e300, 1e-50, 16777217.0, Double.NaN};
        float[] expected = {0.33333334f, 0.1f, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, 16777216f, Float.NaN};
        Path file = RawFiles.write(dir.resolve("f64.safetensors"),
                "{\"d\":{\"dtype\":\"F64\",\"shape\":[2,4],\"data_offsets\":[0,64]}}", RawFiles.doublesLE(doubles));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.dtype("d")).isEqualTo(StoredDtype.F64);
        assertThat(read.tensor("d").shape()).containsExactly(2, 4);
        assertThat(bits(read.tensor("d").data())).containsExactly(bits(expected));
    }

    @Test
    void read_mixedDtypesAcrossChunks() throws IOException {
        int n = 40_000; // F16: 80 KB, more than one 64 KB chunk
        int[] halves = new int[n];
        float[] expected = new float[n];
        for (int i = 0; i < n; i++) {
            halves[i] = i % 2048; // exponent 0 or 1: subnormals then 2^-14 * (1 + m/1024)
            int m = i % 2048;
            expected[i] = m < 1024 ? m * 0x1p-24f : 0x1p-14f * (1 + (m - 1024) / 1024f);
        }
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[" + n + "],\"data_offsets\":[8," + (8 + 2 * n) + "]}}";
        Path file = RawFiles.write(dir.resolve("mixed.safetensors"), header,
                RawFiles.concat(RawFiles.floatsLE(7f, -7f), RawFiles.shortsLE(halves)));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensor("a").data()).containsExactly(7f, -7f);
        assertThat(read.dtype("a")).isEqualTo(StoredDtype.F32);
        assertThat(read.dtype("h")).isEqualTo(StoredDtype.F16);
        assertThat(bits(read.tensor("h").data())).containsExactly(bits(expected));
    }

    // ---------------------------------------------------------------- lenient where the format is

    @Test
    void read_headerInAnyOrderWithWhitespaceAndNoPadding() throws IOException {
        String header = "{\n  \"b\": {\"shape\": [1], \"data_offsets\": [4, 8], \"dtype\": \"F32\"},\n"
                + "  \"__metadata__\": {\"k\": \"v\"},\n  \"a\": {\"data_offsets\": [0, 4], \"dtype\": \"F32\", \"shape\": []}\n}\t\r\n ";
        Path file = RawFiles.write(dir.resolve("loose.safetensors"), header, RawFiles.floatsLE(1f, 2f));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensors().keySet()).containsExactly("a", "b"); // data order
        assertThat(read.tensor("a").item()).isEqualTo(1f);
        assertThat(read.tensor("b").data()).containsExactly(2f);
        assertThat(read.metadata()).containsExactly(Map.entry("k", "v"));
    }

    @Test
    void read_emptyTensorsSharingAnOffset() throws IOException {
        String header = "{\"e1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"e2\":{\"dtype\":\"F16\",\"shape\":[3,0],\"data_offsets\":[4,4]}}";
        Path file = RawFiles.write(dir.resolve("empties.safetensors"), header, RawFiles.floatsLE(3f));

        SafeTensorsContents read = SafeTensors.read(file);

        assertThat(read.tensors().keySet()).containsExactly("x", "e1", "e2");
        assertThat(read.tensor("e2").shape()).containsExactly(3, 0);
    }

    // ---------------------------------------------------------------- bad arguments

    @Test
    void write_nullArguments() {
        Path file = dir.resolve("x.safetensors");
        assertThatThrownBy(() -> SafeTensors.write(null, Map.of())).isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThatThrownBy(() -> SafeTensors.write(file, null)).isInstanceOf(NullPointerException.class).hasMessage("tensors");
        assertThatThrownBy(() -> SafeTensors.write(file, Map.of(), null)).isInstanceOf(NullPointerException.class)
                .hasMessage("metadata");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_nullName() {
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put(null, Tensor.ones(1));

        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), tensors))
                .isInstanceOf(NullPointerException.class).hasMessage("expected tensor names, found a null name");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_blankNames() {
        for (String name : List.of("", " ", "\t\n")) {
            assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of(name, Tensor.ones(1))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("expected a non-blank tensor name, found '" + name + "'");
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_reservedName() {
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of("__metadata__", Tensor.ones(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'__metadata__' is reserved");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_nullTensor() {
        Map<String, Tensor> tensors = new HashMap<>();
        tensors.put("a", Tensor.ones(1));
        tensors.put("w", null);

        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), tensors))
                .isInstanceOf(NullPointerException.class).hasMessage("expected a tensor for name 'w', found null");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_nullMetadataKeyOrValue() {
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("k", null);
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "v");

        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of(), nullValue))
                .isInstanceOf(NullPointerException.class).hasMessage("expected a metadata value for key 'k', found null");
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of(), nullKey))
                .isInstanceOf(NullPointerException.class).hasMessage("expected metadata keys, found a null key");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_unpairedSurrogate() {
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of("w\ud800", Tensor.ones(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected valid Unicode in tensor name, found an unpaired surrogate U+D800 at index 1");
        assertThatThrownBy(() -> SafeTensors.write(dir.resolve("x.safetensors"), Map.of(), Map.of("k", "\udc00")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata value for key 'k'");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_missingFolder_failsBeforeWriting() {
        Path missing = dir.resolve("no/such/folder");
        Path file = missing.resolve("w.safetensors");

        assertThatThrownBy(() -> SafeTensors.write(file, Map.of("w", Tensor.ones(1))))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("cannot write " + file)
                .hasMessageContaining("expected an existing folder, found nothing");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void write_folderIsAFile_failsBeforeWriting() throws IOException {
        Path notFolder = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> SafeTensors.write(notFolder.resolve("w.safetensors"), Map.of("w", Tensor.ones(1))))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("expected an existing folder, found a file");
        assertThat(folderListing()).containsExactly("plain");
    }

    @Test
    void write_targetIsAFolder_failsBeforeWriting() throws IOException {
        Path target = Files.createDirectory(dir.resolve("w.safetensors"));

        assertThatThrownBy(() -> SafeTensors.write(target, Map.of("w", Tensor.ones(1))))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("it is a folder");
        assertThat(folderListing()).containsExactly("w.safetensors");
        assertThat(target).isEmptyDirectory();
    }

    @Test
    void write_readOnlyFolder_failsBeforeWriting() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("ro"));
        assumeTrue(folder.getFileSystem().supportedFileAttributeViews().contains("posix"), "needs POSIX permissions");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(folder), "running as root: a read-only folder is still writable");

            assertThatThrownBy(() -> SafeTensors.write(folder.resolve("w.safetensors"), Map.of("w", Tensor.ones(1))))
                    .isInstanceOf(AccessDeniedException.class).hasMessageContaining("the folder is not writable");
            assertThat(folder).isEmptyDirectory();
        } finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void read_nullOrMissingFile() {
        assertThatThrownBy(() -> SafeTensors.read(null)).isInstanceOf(NullPointerException.class).hasMessage("file");
        assertThatThrownBy(() -> SafeTensors.read(dir.resolve("missing.safetensors")))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("missing.safetensors");
    }

    @Test
    void contents_unknownName() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, Map.of("a", Tensor.ones(1), "b", Tensor.ones(2)));
        SafeTensorsContents read = SafeTensors.read(file);

        assertThatThrownBy(() -> read.tensor("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected the name of a tensor in " + file + " (2 tensors: \"a\", \"b\"), found \"c\"");
        assertThatThrownBy(() -> read.dtype("c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read.tensor(null)).isInstanceOf(NullPointerException.class);
        assertThat(read.toString()).isEqualTo("SafeTensorsContents[" + file + ": 2 tensors a (1) F32, b (2) F32, 0 metadata entries]");
    }

    /** The JSON header of a file, as text (read independently of the code under test). */
    static String headerOf(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    }
}
