package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.tensor.Tensor;
import vecgrad.testing.SpecialFiles;

final class AtomicFileTest {

    @TempDir
    Path dir;

    private List<String> listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static AtomicFile.Content bytes(String text) {
        return channel -> channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void write_createsFileAndLeavesNoTemporary() throws IOException {
        Path file = dir.resolve("out.bin");
        AtomicFile.write(file, bytes("new"));

        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(listing()).containsExactly("out.bin");
    }

    @Test
    void write_failingContent_keepsOldFileAndDeletesTemporary() throws IOException {
        Path file = Files.writeString(dir.resolve("out.bin"), "old");
        Path[] seenTemp = new Path[1];

        assertThatThrownBy(() -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap("half of the new".getBytes(StandardCharsets.UTF_8)));
            try (Stream<Path> s = Files.list(dir)) {
                seenTemp[0] = s.filter(p -> !p.equals(file)).findFirst().orElseThrow();
            }
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");

        assertThat(seenTemp[0].getFileName().toString()).startsWith(".out.bin.").endsWith(".tmp");
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(listing()).containsExactly("out.bin");
    }

    @Test
    void write_failingWithRuntimeException_deletesTemporary() throws IOException {
        Path file = dir.resolve("out.bin");

        assertThatThrownBy(() -> AtomicFile.write(file, channel -> {
            throw new UncheckedIOException(new IOException("boom"));
        })).isInstanceOf(UncheckedIOException.class);

        assertThat(listing()).isEmpty();
    }

    @Test
    void write_givesTheFileDefaultPermissions() throws IOException {
        // Files.createTempFile would make the file owner-only (rw-------).
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.bin"));
        Path atomic = dir.resolve("atomic.bin");
        AtomicFile.write(atomic, bytes("x"));

        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void checkWritable_rejectsBadTargets() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path plain = Files.writeString(dir.resolve("plain"), "x");

        assertThatThrownBy(() -> AtomicFile.checkWritable(folder)).hasMessageContaining("it is a folder");
        assertThatThrownBy(() -> AtomicFile.checkWritable(plain.resolve("x"))).hasMessageContaining("found a file");
        assertThatThrownBy(() -> AtomicFile.checkWritable(dir.resolve("missing/x"))).hasMessageContaining("found nothing");
        assertThatThrownBy(() -> AtomicFile.checkWritable(dir.getRoot())).hasMessageContaining("found a root");
        assertThat(listing()).containsExactly("folder", "plain");
    }

    @Test
    void write_ontoFifo_refusedBeforeWriting() throws Exception {
        Path fifo = SpecialFiles.fifo(dir.resolve("pipe"));

        assertThatThrownBy(() -> AtomicFile.write(fifo, bytes("x")))
                .isInstanceOf(FileSystemException.class)
                .hasMessage(fifo + ": cannot write: expected a regular file, found a FIFO (named pipe), which is left as it is");

        assertThat(Files.isRegularFile(fifo)).isFalse();
        assertThat(listing()).containsExactly("pipe");
    }

    @Test
    void write_throughLinkToDevice_refusedAndBothLeftAsTheyAre() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
        Path link = Files.createSymbolicLink(dir.resolve("null.safetensors"), devNull);

        assertThatThrownBy(() -> SafeTensors.write(link, Map.of("w", Tensor.zeros(2))))
                .isInstanceOf(FileSystemException.class)
                .hasMessage("/dev/null: cannot write (the target of the link " + link
                        + "): expected a regular file, found a character device, which is left as it is");

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isRegularFile(devNull)).isFalse();
        assertThat(listing()).containsExactly("null.safetensors");
    }

    @Test
    void write_throughSymlink_replacesTheTargetAndKeepsTheLink() throws IOException {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path real = Files.writeString(shared.resolve("weights.bin"), "old");
        Path runs = Files.createDirectory(dir.resolve("run"));
        Path link = Files.createSymbolicLink(runs.resolve("weights.bin"), Path.of("..", "shared", "weights.bin"));

        AtomicFile.write(link, bytes("new"));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("..", "shared", "weights.bin"));
        assertThat(Files.readString(real)).isEqualTo("new");
        try (Stream<Path> s = Files.list(shared); Stream<Path> r = Files.list(runs)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("weights.bin");
            assertThat(r.map(p -> p.getFileName().toString())).containsExactly("weights.bin");
        }
    }

    @Test
    void write_throughDanglingSymlink_createsTheFileItNames() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("made.bin"));

        AtomicFile.write(link, bytes("x"));

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(dir.resolve("made.bin"))).isEqualTo("x");
    }

    @Test
    void write_symlinkLoop_refused() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);

        assertThatThrownBy(() -> AtomicFile.write(a, bytes("x"))).hasMessageContaining("links in a chain");
        assertThat(listing()).containsExactly("a", "b");
    }

    @Test
    void write_failingWithError_deletesTemporary() throws IOException {
        Path file = Files.writeString(dir.resolve("out.bin"), "old");

        assertThatThrownBy(() -> AtomicFile.write(file, channel -> {
            channel.write(ByteBuffer.wrap(new byte[1000]));
            throw new OutOfMemoryError("simulated");
        })).isInstanceOf(OutOfMemoryError.class);

        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(listing()).containsExactly("out.bin");
    }

    @Test
    void write_temporaryNameIsTheDocumentedPattern() {
        assertThat(AtomicFile.temporaryName("w.bin", 0x1fL)).isEqualTo(".w.bin.000000000000001f.tmp");
        assertThat(AtomicFile.temporaryName("w.bin", -1L)).isEqualTo(".w.bin.ffffffffffffffff.tmp");
    }

    @Test
    void write_deletesStaleTemporariesOfTheSameTargetOnly() throws IOException {
        Path file = dir.resolve("out.bin");
        for (String name : List.of(".out.bin.0123456789abcdef.tmp", ".out.bin.fedcba9876543210.tmp",
                ".out.bin.0123.tmp", ".out.bin.0123456789ABCDEF.tmp", ".out.bin.0123456789abcdef0.tmp",
                ".out.bin.0123456789abcdef.tmp.keep", ".other.bin.0123456789abcdef.tmp", "out.bin.0123456789abcdef.tmp")) {
            Files.writeString(dir.resolve(name), "left by a crash, or not ours");
        }
        Files.createDirectory(dir.resolve(".out.bin.aaaaaaaaaaaaaaaa.tmp"));
        Files.createSymbolicLink(dir.resolve(".out.bin.bbbbbbbbbbbbbbbb.tmp"), dir.resolve(".other.bin.0123456789abcdef.tmp"));

        AtomicFile.write(file, bytes("new"));

        assertThat(listing()).containsExactly(".other.bin.0123456789abcdef.tmp", ".out.bin.0123.tmp",
                ".out.bin.0123456789ABCDEF.tmp", ".out.bin.0123456789abcdef.tmp.keep", ".out.bin.0123456789abcdef0.tmp",
                ".out.bin.aaaaaaaaaaaaaaaa.tmp", ".out.bin.bbbbbbbbbbbbbbbb.tmp", "out.bin", "out.bin.0123456789abcdef.tmp");
    }

    @Test
    void write_nameWithGlobCharacters_deletesOnlyItsOwnTemporaries() throws IOException {
        Path file = dir.resolve("w[1]{a,b}*.bin");
        Files.writeString(dir.resolve(".w[1]{a,b}*.bin.0123456789abcdef.tmp"), "stale");
        Files.writeString(dir.resolve(".w1a.bin.0123456789abcdef.tmp"), "not ours");

        AtomicFile.write(file, bytes("new"));

        assertThat(listing()).containsExactly(".w1a.bin.0123456789abcdef.tmp", "w[1]{a,b}*.bin");
    }
}
