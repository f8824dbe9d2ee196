package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
