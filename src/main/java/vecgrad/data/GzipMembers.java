package vecgrad.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * The decompressed bytes of a gzip file (RFC 1952) of one or more members, and nothing else: unlike
 * {@link java.util.zip.GZIPInputStream}, which silently ignores bytes after the last member that do
 * not form a gzip header, it fails on any byte after the last member.
 *
 * <p>Each member is a 10-byte header (magic {@code 1f 8b}, method 8, flags, time, extra flags, OS),
 * the optional fields its flags announce, a raw deflate stream, then CRC-32 and ISIZE (little-endian)
 * of its decompressed bytes, both checked. Corruption is a {@link ZipException}, a cut stream an
 * {@link EOFException}, junk after the last member an {@link IdxFormatException}.
 */
final class GzipMembers extends InputStream {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int RESERVED = 0xe0;

    private final Path file;
    private final InputStream in;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] buffer;
    /** The unread compressed bytes are {@code buffer[position, limit)}. */
    private int position;
    private int limit;
    /** Compressed bytes consumed so far, for messages. */
    private long consumed;
    private boolean end;

    /** Reads the first member's header at once, as {@code GZIPInputStream} does. */
    GzipMembers(Path file, InputStream in, int bufferSize) throws IOException {
        this.file = file;
        this.in = in;
        this.buffer = new byte[bufferSize];
        if (readByte() != 0x1f || readByte() != 0x8b) {
            throw new ZipException("not in gzip format: expected the magic bytes 1f 8b");
        }
        readHeaderAfterMagic();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] out, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!end) {
            if (inflater.needsInput()) {
                fill();
                if (position == limit) {
                    throw new EOFException("unexpected end of the gzip data inside a member, after " + consumed
                            + " compressed bytes");
                }
                inflater.setInput(buffer, position, limit - position);
            }
            int n;
            try {
                n = inflater.inflate(out, offset, length);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage());
            }
            int left = inflater.getRemaining();
            consumed += (limit - position) - left;
            position = limit - left;
            if (n > 0) {
                crc.update(out, offset, n);
                return n;
            }
            if (inflater.finished()) {
                endOfMember();
            } else if (inflater.needsDictionary()) {
                throw new ZipException("invalid deflate data: a preset dictionary, which gzip never uses");
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        in.close();
    }

    /** Checks the trailer; then the file ends, or another member begins, or there is junk. */
    private void endOfMember() throws IOException {
        long expectedCrc = readLittleEndianInt();
        long expectedSize = readLittleEndianInt();
        if (expectedCrc != crc.getValue()) {
            throw new ZipException(String.format("Corrupt GZIP trailer: CRC-32 %08x, but the data has %08x",
                    expectedCrc, crc.getValue()));
        }
        if (expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
            throw new ZipException("Corrupt GZIP trailer: ISIZE " + expectedSize + ", but the data has "
                    + inflater.getBytesWritten() + " bytes");
        }
        long trailerEnd = consumed;
        int first = readByteOrEnd();
        if (first < 0) {
            end = true;
            return;
        }
        int second = readByteOrEnd();
        if (first != 0x1f || second != 0x8b) {
            long junk = (second < 0 ? 1 : 2) + skipToEnd();
            throw new IdxFormatException(file, junk + (junk == 1 ? " byte" : " bytes") + " after the end of the gzip data"
                    + " (at compressed byte " + trailerEnd + "): expected the end of the file or another gzip member");
        }
        readHeaderAfterMagic();
        inflater.reset();
        crc.reset();
    }

    private void readHeaderAfterMagic() throws IOException {
        int method = readByte();
        int flags = readByte();
        if (method != 8) {
            throw new ZipException("unsupported gzip compression method " + method + ": expected 8 (deflate)");
        }
        if ((flags & RESERVED) != 0) {
            throw new ZipException(String.format("gzip header flags 0x%02x set reserved bits", flags));
        }
        for (int i = 0; i < 6; i++) {
            readByte(); // MTIME (4), XFL, OS
        }
        if ((flags & FEXTRA) != 0) {
            int length = readByte() | readByte() << 8;
            for (int i = 0; i < length; i++) {
                readByte();
            }
        }
        if ((flags & FNAME) != 0) {
            while (readByte() != 0) { /* zero-terminated name */ }
        }
        if ((flags & FCOMMENT) != 0) {
            while (readByte() != 0) { /* zero-terminated comment */ }
        }
        if ((flags & FHCRC) != 0) {
            readByte();
            readByte();
        }
    }

    private long readLittleEndianInt() throws IOException {
        return readByte() | (long) readByte() << 8 | (long) readByte() << 16 | (long) readByte() << 24;
    }

    private int readByte() throws IOException {
        int b = readByteOrEnd();
        if (b < 0) {
            throw new EOFException("unexpected end of the gzip data after " + consumed + " compressed bytes");
        }
        return b;
    }

    private int readByteOrEnd() throws IOException {
        if (position == limit) {
            fill();
            if (position == limit) {
                return -1;
            }
        }
        consumed++;
        return buffer[position++] & 0xff;
    }

    /** Refills the buffer if it is empty; leaves it empty at the end of the file. */
    private void fill() throws IOException {
        if (position < limit) {
            return;
        }
        int n = in.read(buffer, 0, buffer.length);
        position = 0;
        limit = Math.max(n, 0);
    }

    private long skipToEnd() throws IOException {
        long n = limit - position;
        position = limit;
        n += in.transferTo(java.io.OutputStream.nullOutputStream());
        return n;
    }
}
