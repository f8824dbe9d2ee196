package vecgrad.app.digits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes 8-bit greyscale PNG files of any declared size by hand (signature, IHDR, one IDAT, IEND), so
 * that a test can hold a picture of 46,000 x 46,000 pixels in a few hundred KB: the pixels are all
 * zero and compress about 1000 to 1. Public only so that the command-line tests can use it too.
 */
public final class PngFiles {

    private PngFiles() {
    }

    /**
     * A PNG whose header declares {@code width x height} black pixels, and whose IDAT holds the first
     * {@code rowsStored} rows (all of them when {@code rowsStored >= height}): a reader that checks the
     * size from the header never gets to the pixels.
     */
    public static Path write(Path file, int width, int height, int rowsStored) throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IDAT", zeroRows(width, Math.min(height, rowsStored)));
            chunk(out, "IEND", new byte[0]);
        }
        return file;
    }

    /** zlib of {@code rows} rows of filter byte 0 and {@code width} zero samples. */
    private static byte[] zeroRows(int width, int rows) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        byte[] buffer = new byte[1 << 16];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        long left = (long) rows * (width + 1L);
        while (left > 0) {
            int n = (int) Math.min(left, zeros.length);
            deflater.setInput(zeros, 0, n);
            left -= n;
            while (!deflater.needsInput()) {
                compressed.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return compressed.toByteArray();
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.write(ByteBuffer.allocate(8).putInt(data.length).put(t).array());
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
