package vecgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vecgrad.tensor.Tensor;

/**
 * Reads a safetensors file, treating it as hostile until every number in its header is checked.
 *
 * <p>Order of work: regular file (a FIFO or device is refused before it is opened), file size,
 * header length (against the {@value SafeTensors#MAX_HEADER_BYTES}-byte limit and the file), strict
 * UTF-8, strict JSON (unique keys, depth at most 3, at most {@value #MAX_JSON_VALUES} values and keys
 * in all, counted while parsing), at most {@value #MAX_TENSORS} tensors, names of at most
 * {@value #MAX_NAME_CHARS} characters, shapes of rank at most {@value #MAX_RANK}, each entry's fields
 * and types, each tensor's byte length against its dtype and shape, then the ranges against each other
 * and the data size. Only then are tensors allocated.
 *
 * <p><b>Memory.</b> A file of {@code S} bytes makes {@code read} use at most:
 * <ul>
 * <li>for the header, about {@code 3 x min(S, 1 MiB)} bytes for its bytes and text, plus about 100
 *     bytes per JSON value, at most {@value #MAX_JSON_VALUES} of them: some 30 MB in all, whatever
 *     the header holds (padding and whitespace count against the header length);
 * <li>for the tensors, 4 bytes per element: at most {@code S} bytes for F32 and F64 data and
 *     {@code 2S} for F16 and BF16 (widened to float), plus a 64 KiB read buffer.
 * </ul>
 * So a hostile header cannot cause an {@code OutOfMemoryError} in a heap of a few tens of MB.
 *
 * <p>Choices where the reference implementation is lax: an unknown field in a tensor entry is an
 * error (serde ignores it, but a field we do not understand, say a stride or byte order, could
 * change what the bytes mean, and no writer we know emits one), and so is a duplicate key (the
 * README forbids it; serde_json lets the last one win). The header need not be padded to 8 bytes.
 * Names and values quoted in messages are cut to {@value #QUOTED_CHARS} characters.
 */
final class SafeTensorsReader {

    /** Root object, tensor entry, shape array: the format never nests deeper. */
    private static final int MAX_JSON_DEPTH = 3;

    private static final Set<String> ENTRY_FIELDS = Set.of("dtype", "shape", "data_offsets");

    /**
     * Values and keys in the header JSON. A tensor entry takes 10 plus its rank (name, entry, three
     * keys, dtype, shape, dims, offsets, two numbers), so this admits {@value #MAX_TENSORS} entries of
     * rank 6, while bounding the parsed tree to some 26 MB (measured: 25 MB for the costliest headers,
     * 786 KB of {@code {},} or 961 KB of {@code {"k":1000},}, about 100 bytes per value).
     */
    static final int MAX_JSON_VALUES = 1 << 18;

    /**
     * Tensors in one file. Our files hold two per layer; the largest single files of other writers
     * (LLM shards) hold a few thousand.
     */
    static final int MAX_TENSORS = 16_384;

    /** Characters in a tensor name or metadata key; real names are tens of characters ({@code model.layers.31.mlp.down_proj.weight}). */
    static final int MAX_NAME_CHARS = 1024;

    /** Dimensions of a shape: NumPy 1.x's {@code NPY_MAXDIMS}. */
    static final int MAX_RANK = 32;

    /** Characters of a name or value from the file quoted in a message. */
    static final int QUOTED_CHARS = 60;

    /** The largest array the JVM reliably allocates (as {@code ArrayList}'s limit). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int CHUNK_BYTES = 1 << 16;

    /** A checked header entry; offsets are relative to the start of the data. */
    private record Entry(String name, StoredDtype dtype, int[] shape, int size, long begin, long end) {
    }

    private final Path file;

    private SafeTensorsReader(Path file) {
        this.file = file;
    }

    static SafeTensorsContents read(Path file) throws IOException {
        return new SafeTensorsReader(file).read();
    }

    private SafeTensorsContents read() throws IOException {
        InputFiles.requireRegularFile(file, "a safetensors file");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = channel.size();
            if (fileSize < 8) {
                throw format("expected at least 8 bytes (the header length), found a file of " + fileSize + " bytes");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 0 || headerLength > SafeTensors.MAX_HEADER_BYTES) {
                throw format("expected a header length of at most " + SafeTensors.MAX_HEADER_BYTES
                        + " bytes, found " + Long.toUnsignedString(headerLength));
            }
            if (8 + headerLength > fileSize) {
                throw format("header length " + headerLength + " goes past the end of the file: expected at least "
                        + (8 + headerLength) + " bytes, found " + fileSize);
            }
            ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
            readFully(channel, headerBytes, 8);
            String header = decodeUtf8(headerBytes.array());
            headerBytes = null; // the text is all the parser needs: let the bytes go
            long dataStart = 8 + headerLength;
            long dataLength = fileSize - dataStart;

            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(header, metadata, dataLength);
            checkLayout(entries, dataLength);

            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            LinkedHashMap<String, StoredDtype> dtypes = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                float[] data = new float[e.size()];
                readElements(channel, dataStart + e.begin(), e.dtype(), data, chunk);
                tensors.put(e.name(), Tensor.wrap(data, e.shape()));
                dtypes.put(e.name(), e.dtype());
            }
            return new SafeTensorsContents(file, tensors, dtypes, metadata);
        }
    }

    // ---------------------------------------------------------------- header

    /**
     * The header as text, after checking that it is strict UTF-8. The check decodes a small chunk at a
     * time, so the only copy is the resulting string.
     */
    private String decodeUtf8(byte[] bytes) throws SafeTensorsFormatException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(4096);
        CoderResult result;
        do {
            out.clear();
            result = decoder.decode(in, out, true);
        } while (result.isOverflow());
        if (!result.isError()) {
            do {
                out.clear();
                result = decoder.flush(out);
            } while (result.isOverflow());
        }
        if (result.isError()) {
            throw format("expected a UTF-8 header, found an invalid byte sequence at header byte " + in.position());
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Parses and checks the header; fills {@code metadata}; returns the tensor entries in header order. */
    private List<Entry> parseHeader(String header, Map<String, String> metadata, long dataLength)
            throws SafeTensorsFormatException {
        Object root;
        try {
            root = Json.parse(header, MAX_JSON_DEPTH, MAX_JSON_VALUES);
        } catch (Json.SyntaxException e) {
            throw format("expected a JSON header, found invalid JSON: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> members)) {
            throw format("expected the header to be a JSON object, found " + Json.describe(root));
        }
        int tensors = members.size() - (members.containsKey(SafeTensors.METADATA_KEY) ? 1 : 0);
        if (tensors > MAX_TENSORS) {
            throw format("expected at most " + MAX_TENSORS + " tensors, found " + tensors);
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> member : members.entrySet()) {
            String name = (String) member.getKey();
            checkName("tensor name", name);
            if (name.equals(SafeTensors.METADATA_KEY)) {
                parseMetadata(member.getValue(), metadata);
            } else {
                entries.add(parseEntry(name, member.getValue(), dataLength));
            }
        }
        return entries;
    }

    private void parseMetadata(Object value, Map<String, String> metadata) throws SafeTensorsFormatException {
        if (!(value instanceof Map<?, ?> map)) {
            throw format("expected \"__metadata__\" to be an object of strings, found " + Json.describe(value));
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            checkName("metadata key", (String) e.getKey());
            if (!(e.getValue() instanceof String s)) {
                throw format("expected a string for metadata key " + quote((String) e.getKey()) + ", found "
                        + Json.describe(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
    }

    private Entry parseEntry(String name, Object value, long dataLength) throws SafeTensorsFormatException {
        String tensor = "tensor " + quote(name);
        if (!(value instanceof Map<?, ?> fields)) {
            throw format("expected " + tensor + " to be an object with dtype, shape and data_offsets, found "
                    + Json.describe(value));
        }
        for (Object field : fields.keySet()) {
            if (!ENTRY_FIELDS.contains(field)) {
                throw format("expected only the fields dtype, shape and data_offsets in " + tensor
                        + ", found an unknown field " + quote((String) field));
            }
        }
        for (String field : List.of("dtype", "shape", "data_offsets")) {
            if (!fields.containsKey(field)) {
                throw format("expected a \"" + field + "\" field in " + tensor + ", found none");
            }
        }

        Object dtypeValue = fields.get("dtype");
        if (!(dtypeValue instanceof String dtypeName)) {
            throw format("expected " + tensor + " dtype to be a string, found " + Json.describe(dtypeValue));
        }
        StoredDtype dtype = dtypeOf(dtypeName);
        if (dtype == null) {
            throw format(tensor + " has dtype " + quote(dtypeName)
                    + ": expected F32 (or F64, F16, BF16, which are converted to float32)");
        }

        List<?> dims = array(fields.get("shape"), tensor + " shape");
        if (dims.size() > MAX_RANK) {
            throw format("expected " + tensor + " shape to have at most " + MAX_RANK + " dimensions, found " + dims.size());
        }
        int[] shape = new int[dims.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = nonNegative(dims.get(i), tensor + " shape[" + i + "]");
            if (d > Integer.MAX_VALUE) {
                throw format("expected " + tensor + " shape[" + i + "] to be at most " + Integer.MAX_VALUE + ", found " + d);
            }
            shape[i] = (int) d;
            try {
                size = Math.multiplyExact(size, d);
            } catch (ArithmeticException overflow) {
                throw format("expected " + tensor + " to have a shape whose element count fits in 64 bits, found "
                        + shapeText(shape, i + 1) + " so far");
            }
        }
        if (size > MAX_ELEMENTS) {
            throw format("expected " + tensor + " to have at most " + MAX_ELEMENTS
                    + " elements (a Java array), found " + size + " for shape " + shapeText(shape, shape.length));
        }

        List<?> offsets = array(fields.get("data_offsets"), tensor + " data_offsets");
        if (offsets.size() != 2) {
            throw format("expected " + tensor + " data_offsets to be [begin, end], found " + offsets.size() + " numbers");
        }
        long begin = nonNegative(offsets.get(0), tensor + " data_offsets begin");
        long end = nonNegative(offsets.get(1), tensor + " data_offsets end");
        if (begin > end) {
            throw format("expected " + tensor + " data_offsets begin <= end, found [" + begin + ", " + end + "]");
        }
        if (end > dataLength) {
            throw format("expected " + tensor + " data_offsets within the " + dataLength
                    + " bytes of data after the header, found [" + begin + ", " + end + "]");
        }
        long bytes = size * dtype.byteSize(); // size < 2^31 and byteSize <= 8: no overflow
        if (end - begin != bytes) {
            throw format(tensor + " has " + (end - begin) + " bytes of data, expected " + size + " x "
                    + dtype.byteSize() + " = " + bytes + " bytes for " + dtype + " shape " + shapeText(shape, shape.length));
        }
        return new Entry(name, dtype, shape, (int) size, begin, end);
    }

    private void checkName(String what, String name) throws SafeTensorsFormatException {
        if (name.length() > MAX_NAME_CHARS) {
            throw format("expected a " + what + " of at most " + MAX_NAME_CHARS + " characters, found one of "
                    + name.length() + ": " + quote(name));
        }
    }

    private static StoredDtype dtypeOf(String name) {
        for (StoredDtype d : StoredDtype.values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    private List<?> array(Object value, String what) throws SafeTensorsFormatException {
        if (!(value instanceof List<?> list)) {
            throw format("expected " + what + " to be an array of integers, found " + Json.describe(value));
        }
        return list;
    }

    private long nonNegative(Object value, String what) throws SafeTensorsFormatException {
        if (!(value instanceof Long n)) {
            throw format("expected " + what + " to be an integer in [0, 2^63), found " + Json.describe(value));
        }
        return n;
    }

    /**
     * Sorts {@code entries} by data range (ties, which only empty tensors can have, keep header
     * order) and checks that the ranges tile the data exactly: from 0, no gap, no overlap, no tail.
     */
    private void checkLayout(List<Entry> entries, long dataLength) throws SafeTensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        Entry previous = null;
        for (Entry e : entries) {
            if (e.begin() > expected) {
                throw format("expected the tensors to cover the data without gaps, found bytes [" + expected + ", "
                        + e.begin() + ") before tensor " + quote(e.name()) + " that belong to no tensor");
            }
            if (e.begin() < expected) {
                throw format("expected tensor data ranges not to overlap, found tensor " + quote(e.name()) + " ["
                        + e.begin() + ", " + e.end() + ") overlapping tensor " + quote(previous.name()) + " ["
                        + previous.begin() + ", " + previous.end() + ")");
            }
            expected = e.end();
            previous = e;
        }
        if (expected != dataLength) {
            throw format("expected the tensors to cover all " + dataLength + " bytes of data after the header, found "
                    + (dataLength - expected) + " trailing bytes after the last tensor (which ends at " + expected + ")");
        }
    }

    // ---------------------------------------------------------------- data

    /** Reads {@code out.length} elements of {@code dtype} starting at file position {@code position}. */
    private void readElements(FileChannel channel, long position, StoredDtype dtype, float[] out, ByteBuffer chunk)
            throws IOException {
        int width = dtype.byteSize();
        int i = 0;
        while (i < out.length) {
            int count = Math.min(out.length - i, chunk.capacity() / width);
            chunk.clear().limit(count * width);
            readFully(channel, chunk, position + (long) i * width);
            chunk.flip();
            for (int k = 0; k < count; k++) {
                out[i++] = switch (dtype) {
                    case F32 -> Float.intBitsToFloat(chunk.getInt());
                    case F64 -> (float) Double.longBitsToDouble(chunk.getLong());
                    case F16 -> halfToFloat(chunk.getShort());
                    case BF16 -> Float.intBitsToFloat((chunk.getShort() & 0xffff) << 16);
                };
            }
        }
    }

    /**
     * IEEE binary16 to binary32, exact. (JDK 20 has {@code Float.float16ToFloat}; we target 17.)
     * Normal halves rebias the exponent (15 to 127); subnormals are {@code mantissa * 2^-24}, exact in
     * float; infinities and NaNs keep the sign and the payload shifted into place.
     */
    static float halfToFloat(short bits) {
        int h = bits & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent != 0) {
            return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
        }
        float magnitude = mantissa * 0x1p-24f;
        return sign != 0 ? -magnitude : magnitude;
    }

    private void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw format("expected more data at byte " + at + ", found the end of the file (was it changed while being read?)");
            }
            at += n;
        }
    }

    private SafeTensorsFormatException format(String problem) {
        return new SafeTensorsFormatException(file, problem);
    }

    /** The first {@code rank} dimensions as {@code (2, 3)}, at most 8 of them, so that a message stays short. */
    private static String shapeText(int[] shape, int rank) {
        if (rank <= 8) {
            return Tensor.shapeString(java.util.Arrays.copyOf(shape, rank));
        }
        String first = Tensor.shapeString(java.util.Arrays.copyOf(shape, 8));
        return first.substring(0, first.length() - 1) + ", \u2026 " + (rank - 8) + " more)";
    }

    /** {@code s} as a JSON string, cut to {@value #QUOTED_CHARS} characters and an ellipsis. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        Json.appendString(sb, s.length() > QUOTED_CHARS ? s.substring(0, QUOTED_CHARS) + "\u2026" : s);
        return sb.toString();
    }
}
