package vecgrad.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import vecgrad.io.AtomicFile;
import vecgrad.io.InputFiles;

/**
 * Reads and writes IDX files, the format of the MNIST database, raw or gzip-compressed.
 *
 * <p>An IDX file is a 4-byte magic number {@code 0x00 0x00 TYPE RANK}, then RANK dimensions as
 * big-endian unsigned 32-bit integers, then the elements in row-major order, big-endian (see
 * {@link IdxType}). {@link #read} accepts exactly that and nothing else: any deviation is an
 * {@link IdxFormatException} that names the file and says what was expected and what was found.
 */
public final class IdxFile {

    /*
     * How the reader stays strict and bounded.
     *
     * - Compression is recognised by the gzip magic bytes 1f 8b (RFC 1952), never by the file name;
     *   an IDX file cannot start with them, because its first two bytes are zero.
     * - Raw files: the size the header declares is compared with the file's length before anything is
     *   allocated, so a lying header costs nothing and too-short or too-long files fail before reading.
     * - Gzip files: the decompressed size is unknown until the stream ends (the ISIZE trailer is only
     *   the size mod 2^32 and may lie too), so the value array starts at about the compressed size and
     *   doubles, up to the declared count, only as decompressed bytes actually arrive. A header that
     *   declares gigabytes over a few compressed bytes fails with "ends early" after allocating no more
     *   than the larger of 64 KiB, the compressed size, and twice what really arrived. After the last element the stream must be at its end, which also
     *   makes GzipMembers check the CRC-32 and length trailer.
     * - Bytes after the last gzip member that do not start another member are an error. GZIPInputStream
     *   silently ignores them, so GzipMembers does the decompression instead and reads to the end.
     * - Memory: a raw file of S bytes costs at most S bytes of elements widened to their Java type
     *   (double at most: 8 bytes per byte of data only for DOUBLE, which is 8 bytes in the file too), a
     *   gzip file at most twice the bytes that really arrive plus max(64 KiB, S); plus two 64 KiB buffers.
     * - Multi-byte elements are converted a 64 KiB chunk at a time with the bulk get of a big-endian
     *   ByteBuffer view; byte elements are read straight into the result.
     */

    private static final int BUFFER = 1 << 16;

    private IdxFile() {
    }

    // ---------------------------------------------------------------- read

    /**
     * Reads an IDX file, raw or gzip-compressed (recognised by its first two bytes).
     *
     * <p>Memory is bounded by the file, not by what its header claims: a raw file of {@code S} bytes
     * costs at most its elements as a Java array (no more than {@code S} bytes, since each element
     * takes as many bytes in the file as in memory) plus 128 KiB of buffers; a gzip file costs at most
     * {@code max(64 KiB, S)} plus twice the decompressed bytes that actually arrive, so a small file
     * whose header declares gigabytes fails early without allocating them.
     *
     * @param file the IDX file, raw or gzip-compressed
     * @return the array the file holds
     * @throws IdxFormatException if the file is not exactly one valid IDX array: bad magic number,
     *     unknown type, rank 0, a dimension of 0 or of 2^31 or more, more elements than a Java array
     *     holds, fewer or more bytes than the header declares, a corrupt or truncated gzip stream, or
     *     bytes after the gzip data
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws java.nio.file.FileSystemException if the path is a folder, FIFO, device or other special
     *     file (refused before it is opened, so a FIFO never blocks)
     * @throws IOException on other read errors
     */
    public static IdxArray read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        InputFiles.requireRegularFile(file, "an IDX file");
        long fileLength = Files.size(file);
        if (fileLength == 0) {
            throw new IdxFormatException(file, "empty file, expected an IDX header (magic number and dimensions)");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return new Reader(file, fileLength, gzip).read(in);
        }
    }

    /** Reads the header and elements of one IDX file. */
    private static final class Reader {
        private final Path file;
        private final long fileLength;
        private final boolean gzip;
        private InputStream in;
        /** IDX bytes consumed so far (decompressed bytes for gzip). */
        private long position;
        /** Header plus data bytes, once the header is read; -1 before. */
        private long declaredLength = -1;

        Reader(Path file, long fileLength, boolean gzip) {
            this.file = file;
            this.fileLength = fileLength;
            this.gzip = gzip;
        }

        IdxArray read(InputStream fileStream) throws IOException {
            // GzipMembers reads the gzip header in its constructor, so it belongs inside the try.
            try (InputStream idx = gzip ? new GzipMembers(file, fileStream, BUFFER) : fileStream) {
                in = idx;
                return readIdx();
            } catch (EOFException e) {
                // only GzipMembers throws it; readNBytes reports the end of a raw file by a short count
                throw new IdxFormatException(file, "gzip stream is truncated: it ends after " + position
                        + " decompressed bytes" + (declaredLength < 0 ? "" : " of the " + declaredLength
                        + " the IDX header declares") + " (" + e.getMessage() + ")", e);
            } catch (ZipException e) {
                throw new IdxFormatException(file, "corrupt gzip stream after " + position
                        + " decompressed bytes: " + e.getMessage(), e);
            }
        }

        private String content() {
            return gzip ? "the decompressed data" : "the file";
        }

        private IdxArray readIdx() throws IOException {
            byte[] magic = readHeader(4, "the 4-byte magic number");
            int typeCode = magic[2] & 0xFF;
            int rank = magic[3] & 0xFF;
            if (magic[0] != 0 || magic[1] != 0) {
                throw new IdxFormatException(file, String.format(
                        "bad magic number 0x%02x%02x%02x%02x: expected the first two bytes to be 0x00 0x00,"
                                + " found 0x%02x 0x%02x", magic[0], magic[1], typeCode, rank, magic[0], magic[1]));
            }
            IdxType type = IdxType.fromCode(typeCode);
            if (type == null) {
                throw new IdxFormatException(file, String.format(
                        "unknown element type 0x%02x: expected one of %s", typeCode, IdxType.allCodes()));
            }
            if (rank == 0) {
                throw new IdxFormatException(file, "rank 0 in the magic number: expected 1.."
                        + IdxArray.MAX_RANK + " dimensions");
            }
            ByteBuffer header = ByteBuffer.wrap(readHeader(4 * rank, rank + " dimensions of 4 bytes"));
            long[] dims = new long[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = Integer.toUnsignedLong(header.getInt());
            }
            int count = checkDims(dims);
            long dataBytes = (long) count * type.bytesPerElement();
            declaredLength = position + dataBytes;
            if (!gzip && fileLength != declaredLength) {
                String problem = fileLength < declaredLength ? "the file ends early" : "trailing bytes";
                throw new IdxFormatException(file, problem + ": the header declares " + type + " "
                        + dimsText(dims) + ", " + declaredLength + " bytes in all (" + position + " header + "
                        + dataBytes + " data), but the file has " + fileLength + " bytes");
            }
            Object values = readValues(type, count, dims);
            long extra = in.transferTo(OutputStream.nullOutputStream());
            if (extra > 0) {
                throw new IdxFormatException(file, "trailing bytes: the header declares " + declaredLength
                        + " bytes in all, " + content() + " has " + (declaredLength + extra));
            }
            int[] intDims = new int[rank];
            for (int i = 0; i < rank; i++) intDims[i] = (int) dims[i];
            return new IdxArray(type, intDims, values);
        }

        private byte[] readHeader(int length, String what) throws IOException {
            byte[] bytes = new byte[length];
            int got = in.readNBytes(bytes, 0, length);
            position += got;
            if (got < length) {
                throw new IdxFormatException(file, "header ends early: expected " + what + ", found "
                        + got + " bytes (" + content() + " is " + position + " bytes long)");
            }
            return bytes;
        }

        /** The element count of valid dimensions. */
        private int checkDims(long[] dims) throws IdxFormatException {
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == 0) {
                    throw new IdxFormatException(file, "dimension " + i + " of " + dimsText(dims)
                            + " is 0: expected every dimension >= 1");
                }
                if (dims[i] > Integer.MAX_VALUE) {
                    throw new IdxFormatException(file, "dimension " + i + " of " + dimsText(dims) + " is "
                            + dims[i] + ", too large: expected at most " + Integer.MAX_VALUE);
                }
                // count <= MAX_ELEMENTS < 2^31 and dims[i] < 2^31, so the product cannot overflow a long.
                count *= dims[i];
                if (count > IdxArray.MAX_ELEMENTS) {
                    throw new IdxFormatException(file, "dimensions " + dimsText(dims) + " multiply to more than "
                            + IdxArray.MAX_ELEMENTS + " elements, the most a Java array holds");
                }
            }
            return (int) count;
        }

        private Object readValues(IdxType type, int count, long[] dims) throws IOException {
            int size = type.bytesPerElement();
            // Raw: the file length was checked. Gzip: start near the compressed size and grow on arrival.
            int capacity = gzip ? (int) Math.min(count, Math.max(BUFFER, fileLength) / size) : count;
            Object values = newArray(type, capacity);
            byte[] chunk = size == 1 ? null : new byte[BUFFER];
            int filled = 0;
            while (filled < count) {
                if (filled == capacity) {
                    capacity = (int) Math.min(count, 2L * capacity);
                    values = grow(values, capacity);
                }
                int want;
                int got;
                if (size == 1) {
                    want = capacity - filled;
                    got = in.readNBytes((byte[]) values, filled, want);
                } else {
                    want = Math.min(capacity - filled, BUFFER / size) * size;
                    got = in.readNBytes(chunk, 0, want);
                    convert(type, chunk, got / size, values, filled);
                }
                filled += got / size;
                position += got;
                if (got < want) {
                    long header = 4 + 4L * dims.length;
                    throw new IdxFormatException(file, content() + " ends early: the header declares " + type
                            + " " + dimsText(dims) + ", " + (declaredLength - header) + " data bytes after the "
                            + header + "-byte header, found " + (position - header));
                }
            }
            return values;
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes {@code array} as a raw IDX file, atomically: to a temporary file in the same folder, synced,
     * then renamed over {@code file}. The folder must exist.
     *
     * @param file the file to create or replace
     * @param array the array to write
     * @throws IOException if the folder is missing or not writable, {@code file} exists but is not a
     *     regular file, or the write or rename fails; {@code file} is then left as it was
     */
    public static void write(Path file, IdxArray array) throws IOException {
        write(file, array, false);
    }

    /**
     * As {@link #write}, gzip-compressed (RFC 1952, modification time 0, so the bytes are reproducible).
     *
     * @param file the file to create or replace
     * @param array the array to write
     * @throws IOException if the folder is missing or not writable, {@code file} exists but is not a
     *     regular file, or the write or rename fails; {@code file} is then left as it was
     */
    public static void writeGzip(Path file, IdxArray array) throws IOException {
        write(file, array, true);
    }

    private static void write(Path file, IdxArray array, boolean gzip) throws IOException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(array, "array");
        AtomicFile.write(file, channel -> {
            // Not closed here: closing the stream would close the channel AtomicFile still forces.
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
            OutputStream out = gzip ? new GZIPOutputStream(buffered, BUFFER) : buffered;
            writeIdx(out, array);
            if (out instanceof GZIPOutputStream compressed) {
                compressed.finish();
            }
            out.flush();
        });
    }

    private static void writeIdx(OutputStream out, IdxArray array) throws IOException {
        IdxType type = array.type();
        int[] dims = array.dims();
        ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
        header.put((byte) 0).put((byte) 0).put((byte) type.code()).put((byte) dims.length);
        for (int d : dims) header.putInt(d);
        out.write(header.array());
        Object values = array.values();
        if (values instanceof byte[] bytes) {
            out.write(bytes);
            return;
        }
        int size = type.bytesPerElement();
        int count = array.size();
        byte[] chunk = new byte[BUFFER];
        ByteBuffer bytes = ByteBuffer.wrap(chunk);
        for (int at = 0; at < count; ) {
            int n = Math.min(count - at, BUFFER / size);
            switch (type) {
                case SHORT -> bytes.asShortBuffer().put((short[]) values, at, n);
                case INT -> bytes.asIntBuffer().put((int[]) values, at, n);
                case FLOAT -> bytes.asFloatBuffer().put((float[]) values, at, n);
                case DOUBLE -> bytes.asDoubleBuffer().put((double[]) values, at, n);
                default -> throw new AssertionError(type);
            }
            out.write(chunk, 0, n * size);
            at += n;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Object newArray(IdxType type, int length) {
        return switch (type) {
            case UNSIGNED_BYTE, SIGNED_BYTE -> new byte[length];
            case SHORT -> new short[length];
            case INT -> new int[length];
            case FLOAT -> new float[length];
            case DOUBLE -> new double[length];
        };
    }

    private static Object grow(Object array, int length) {
        Object bigger = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, bigger, 0, Array.getLength(array));
        return bigger;
    }

    /** Big-endian bytes {@code src[0 .. count*size)} into {@code dst[at .. at+count)}. */
    private static void convert(IdxType type, byte[] src, int count, Object dst, int at) {
        ByteBuffer bytes = ByteBuffer.wrap(src);
        switch (type) {
            case SHORT -> bytes.asShortBuffer().get((short[]) dst, at, count);
            case INT -> bytes.asIntBuffer().get((int[]) dst, at, count);
            case FLOAT -> bytes.asFloatBuffer().get((float[]) dst, at, count);
            case DOUBLE -> bytes.asDoubleBuffer().get((double[]) dst, at, count);
            default -> throw new AssertionError(type);
        }
    }

    /** {@code (2, 3)}; after 8 dimensions the rest are counted, not listed, so that a message stays one short line. */
    private static String dimsText(long[] dims) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length && i < 8; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        if (dims.length > 8) {
            sb.append(", \u2026 ").append(dims.length - 8).append(" more");
        }
        return sb.append(')').toString();
    }
}
