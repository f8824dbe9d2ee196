package vecgrad.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.SpecialFiles;

final class OutputPathsTest {

    @TempDir
    Path tmp;

    @Test
    void prepareFile_fifo_refusedBeforeTraining() throws Exception {
        Path fifo = SpecialFiles.fifo(tmp.resolve("w.safetensors"));

        assertThatThrownBy(() -> OutputPaths.prepareFile("--save", fifo.toString()))
                .isInstanceOf(CommandException.class)
                .hasMessage("--save " + fifo + ": cannot write: expected a regular file, found a FIFO (named pipe),"
                        + " which is left as it is");
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void prepareFile_linkToDevice_refusedBeforeTraining() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull));
        Path link = Files.createSymbolicLink(tmp.resolve("w.safetensors"), devNull);

        assertThatThrownBy(() -> OutputPaths.prepareFile("--save", link.toString()))
                .isInstanceOf(CommandException.class)
                .hasMessage("--save /dev/null: cannot write (the target of the link " + link + "): expected a regular"
                        + " file, found a character device, which is left as it is");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }
}
