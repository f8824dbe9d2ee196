package vecgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import vecgrad.tensor.Tensor;

/**
 * Reads and writes tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format of Hugging Face and PyTorch: an 8-byte little-endian header length, a JSON header naming
 * each tensor's dtype, shape and byte range, then the raw little-endian data.
 *
 * <pre>{@code
 * SafeTensors.write(path, Map.of("dense/kernel", w, "dense/bias", b), Map.of("format", "pt"));
 * SafeTensorsContents saved = SafeTensors.read(path);
 * Tensor w2 = saved.tensor("dense/kernel");
 * }</pre>
 *
 * <p>Writing produces {@code F32} tensors and the same bytes for the same input (names sorted),
 * replacing the file atomically. Reading checks the whole header before it allocates any tensor,
 * and rejects a malformed or hostile file with a {@link SafeTensorsFormatException}.
 */
public final class SafeTensors {

    /*
     * Layout, as the reference Rust implementation (safetensors/src/tensor.rs) writes it:
     *   u64 LE  N
     *   N bytes compact JSON: {"__metadata__":{...},"name":{"dtype":"F32","shape":[..],"data_offsets":[b,e]},...}
     *           padded with spaces to a multiple of 8, so that the data starts 8-byte aligned
     *   data    each tensor's elements, row-major, little-endian, in header order, no gaps
     * The reference sorts tensors by descending dtype alignment, then by name (byte order of UTF-8,
     * which is code point order; String.compareTo would order by UTF-16 units instead). With only F32
     * that is name order, so for a single metadata key (or none) our bytes equal the reference's;
     * it iterates a HashMap for the metadata, we sort its keys.
     */

    /**
     * The largest header read or written: 1 MiB. The reference implementation allows 100 MB (its
     * {@code MAX_HEADER_SIZE}), which lets a file cost hundreds of MB of heap before a single check.
     * This library writes about 80 bytes of header per tensor, a few KB for any model it builds; 1 MiB
     * still holds some 13,000 tensor entries, more than the largest single files of other writers.
     */
    static final int MAX_HEADER_BYTES = 1 << 20;

    static final String METADATA_KEY = "__metadata__";

    private static final int CHUNK_BYTES = 1 << 16;

    private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    };

    private SafeTensors() {
    }

    /**
     * Writes {@code tensors} to {@code file} without metadata; see {@link #write(Path, Map, Map)}.
     *
     * @param file     the file to create or replace; its folder must exist
     * @param tensors  tensors by name; names must be non-blank, not {@code "__metadata__"}, and valid
     *                 Unicode (no unpaired surrogate); the map may be empty
     * @throws IllegalArgumentException if a name is blank, reserved or not valid Unicode, or the header
     *                                  would exceed 1 MiB (1,048,576 bytes)
     * @throws IOException              if the folder does not exist or cannot be written, or writing fails
     */
    public static void write(Path file, Map<String, ? extends Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} and {@code metadata} to {@code file} as {@code F32} safetensors,
     * replacing any existing file atomically: the bytes go to a temporary file in the same folder,
     * are forced to disk and then renamed into place, so the file is never seen half written.
     *
     * <p>The output is deterministic: tensors are stored in name order, metadata keys sorted, and the
     * header padded with spaces to a multiple of 8 bytes (the data starts aligned), as the reference
     * implementation does.
     *
     * @param file     the file to create or replace; its folder must exist
     * @param tensors  tensors by name; names must be non-blank, not {@code "__metadata__"}, and valid
     *                 Unicode (no unpaired surrogate); the map may be empty
     * @param metadata free-form text, stored under {@code "__metadata__"} (omitted when empty)
     * @throws NullPointerException     if an argument, a name, a tensor, a metadata key or value is null
     * @throws IllegalArgumentException if a name is blank, reserved or not valid Unicode, or the header
     *                                  would exceed 1 MiB (1,048,576 bytes)
     * @throws IOException              if the folder does not exist or cannot be written, or writing fails
     */
    public static void write(Path file, Map<String, ? extends Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        TreeMap<String, Tensor> sorted = checkTensors(tensors);
        TreeMap<String, String> sortedMetadata = checkMetadata(metadata);
        byte[] header = header(sorted, sortedMetadata);

        List<Tensor> order = new ArrayList<>(sorted.values());
        AtomicFile.write(file, channel -> {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.putLong(header.length);
            buffer.flip();
            writeFully(channel, buffer);
            writeFully(channel, ByteBuffer.wrap(header));
            for (Tensor t : order) {
                writeFloats(channel, t.data(), buffer);
            }
        });
    }

    /**
     * Reads every tensor and the metadata of a safetensors file.
     *
     * <p>Tensors of dtype {@code F32}, {@code F64}, {@code F16} and {@code BF16} are read as float32
     * (see {@link StoredDtype} for the conversions); the dtype in the file is kept in the result.
     * The whole header is validated before any tensor is allocated: the header length (at most
     * 1 MiB and within the file), strict UTF-8 JSON with unique keys, exactly the fields
     * {@code dtype}, {@code shape} and {@code data_offsets} in each tensor entry, string-to-string
     * metadata, non-negative shapes whose byte size matches the offsets, and offsets that cover the
     * data exactly, without gap, overlap or trailing bytes.
     *
     * <p>Limits, so that a hostile file cannot exhaust memory: at most 16,384 tensors, names and
     * metadata keys of at most 1,024 characters, shapes of rank at most 32, and at most 262,144 JSON
     * values and keys in the header (counted while parsing; padding and whitespace count against the
     * header length). A file of {@code S} bytes then costs at most about 30 MB for its header and 4
     * bytes per element for its tensors: {@code S} bytes for F32 and F64 data, {@code 2S} for F16 and
     * BF16. Messages quote at most 60 characters of any name or value from the file.
     *
     * @param file the safetensors file to read
     * @return the tensors, their stored dtypes and the metadata
     * @throws SafeTensorsFormatException if the file is malformed, exceeds a limit, or holds another dtype
     * @throws java.nio.file.FileSystemException if the path is a folder, FIFO, device or other special
     *                                  file (refused before it is opened, so a FIFO never blocks)
     * @throws IOException                if the file cannot be read
     */
    public static SafeTensorsContents read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        return SafeTensorsReader.read(file);
    }

    // ---------------------------------------------------------------- writing

    private static TreeMap<String, Tensor> checkTensors(Map<String, ? extends Tensor> tensors) {
        TreeMap<String, Tensor> sorted = new TreeMap<>(CODE_POINT_ORDER);
        for (Map.Entry<String, ? extends Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null) {
                throw new NullPointerException("expected tensor names, found a null name");
            }
            if (name.isBlank()) {
                throw new IllegalArgumentException("expected a non-blank tensor name, found '" + name + "'");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name '" + METADATA_KEY + "' is reserved for the metadata");
            }
            checkUnicode("tensor name", name);
            if (e.getValue() == null) {
                throw new NullPointerException("expected a tensor for name '" + name + "', found null");
            }
            sorted.put(name, e.getValue());
        }
        return sorted;
    }

    private static TreeMap<String, String> checkMetadata(Map<String, String> metadata) {
        TreeMap<String, String> sorted = new TreeMap<>(CODE_POINT_ORDER);
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null) {
                throw new NullPointerException("expected metadata keys, found a null key");
            }
            if (e.getValue() == null) {
                throw new NullPointerException("expected a metadata value for key '" + e.getKey() + "', found null");
            }
            checkUnicode("metadata key", e.getKey());
            checkUnicode("metadata value for key '" + e.getKey() + "'", e.getValue());
            sorted.put(e.getKey(), e.getValue());
        }
        return sorted;
    }

    private static void checkUnicode(String what, String s) {
        int at = Json.findUnpairedSurrogate(s);
        if (at >= 0) {
            throw new IllegalArgumentException("expected valid Unicode in " + what + ", found an unpaired surrogate U+"
                    + String.format("%04X", (int) s.charAt(at)) + " at index " + at);
        }
    }

    /** The JSON header, UTF-8, padded with spaces to a multiple of 8 bytes. */
    private static byte[] header(TreeMap<String, Tensor> tensors, TreeMap<String, String> metadata) {
        StringBuilder sb = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            Json.appendString(sb, METADATA_KEY);
            sb.append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                Json.appendString(sb, e.getKey());
                sb.append(':');
                Json.appendString(sb, e.getValue());
            }
            sb.append('}');
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            Json.appendString(sb, e.getKey());
            sb.append(":{\"dtype\":\"F32\",\"shape\":[");
            int[] shape = e.getValue().shape();
            for (int i = 0; i < shape.length; i++) {
                if (i > 0) sb.append(',');
                sb.append(shape[i]);
            }
            long end = offset + 4L * e.getValue().size();
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
            if (sb.length() > MAX_HEADER_BYTES) {
                break; // already too long (UTF-8 has at least one byte per char); reported below
            }
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (int) Math.min(Integer.MAX_VALUE - 8, (json.length + 7L) / 8 * 8);
        if (padded > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("expected a header of at most " + MAX_HEADER_BYTES
                    + " bytes (the limit readers enforce), found " + padded + " bytes for " + tensors.size()
                    + " tensors and " + metadata.size() + " metadata entries");
        }
        byte[] header = new byte[padded];
        System.arraycopy(json, 0, header, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            header[i] = ' ';
        }
        return header;
    }

    /** Writes {@code data} as little-endian float32 through {@code buffer}, keeping NaN payloads. */
    private static void writeFloats(FileChannel channel, float[] data, ByteBuffer buffer) throws IOException {
        int i = 0;
        while (i < data.length) {
            buffer.clear();
            while (i < data.length && buffer.remaining() >= 4) {
                buffer.putInt(Float.floatToRawIntBits(data[i++]));
            }
            buffer.flip();
            writeFully(channel, buffer);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
