package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import vecgrad.testing.ChildJava;
import vecgrad.tensor.Tensor;

/**
 * Kills a process that keeps saving a file ({@code kill -9}, at seeded random moments) and checks
 * after every kill that the file is absent (before the first save) or one complete version, and that
 * interrupted saves do not leave temporary files behind for good.
 */
final class AtomicFileCrashTest {

    private static final int KILLS = 40;
    private static final Pattern TEMPORARY = Pattern.compile("\\.w\\.safetensors\\.[0-9a-f]{16}\\.tmp");

    @TempDir
    Path dir;

    @Test
    void write_killedAtRandomMoments_leavesOldOrNewFileAndNoTemporaryPileUp() throws Exception {
        Path target = dir.resolve("w.safetensors");
        float[][] versions = {AtomicWriteLoop.version(0).data(), AtomicWriteLoop.version(1).data()};
        Random random = new Random(20261204);
        int completedWrites = 0;
        int kills = 0;
        int temporaries = 0;
        int cutShort = 0;
        for (int run = 0; run < KILLS; run++) {
            Process child = start(target);
            AtomicInteger writes = new AtomicInteger();
            Thread reader = readLines(child, writes);
            Thread.sleep(random.nextInt(400));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            kills++;
            completedWrites += writes.get();

            if (!Files.exists(target)) {
                assertThat(completedWrites).as("the file vanished after a completed write").isZero();
            } else {
                SafeTensorsContents read = SafeTensors.read(target);
                int v = Integer.parseInt(read.metadata().get("version"));
                assertThat(read.tensor("w").data()).as("run %d: version %d complete", run, v).isEqualTo(versions[v]);
            }
            int now = temporaries();
            if (writes.get() > 0) {
                // the last completed write deleted the older ones; only a write cut short since then may remain
                assertThat(now).as("run %d: temporaries after a completed write", run).isLessThanOrEqualTo(1);
            } else {
                assertThat(now).as("run %d: temporaries", run).isLessThanOrEqualTo(temporaries + 1);
            }
            temporaries = now;
            cutShort += now > 0 ? 1 : 0;
        }
        assertThat(kills).isEqualTo(KILLS);
        assertThat(completedWrites).as("some kills must land after writes").isPositive();
        assertThat(cutShort).as("some kills must land inside a write").isPositive();

        SafeTensors.write(target, Map.of("w", Tensor.zeros(1)));
        assertThat(temporaries()).as("temporaries after a final write").isZero();
    }

    private Process start(Path target) throws IOException {
        String classPath = ChildJava.classPath(ChildJava.location(AtomicWriteLoop.class), ChildJava.location(SafeTensors.class));
        List<String> command = new ArrayList<>(List.of(ChildJava.javaLauncher(), "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classPath,
                AtomicWriteLoop.class.getName(), target.toString()));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }


    /** Counts {@code wrote} lines of the child, until its output closes. */
    private static Thread readLines(Process child, AtomicInteger writes) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("wrote ")) {
                        writes.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // the child died: what it printed so far is counted
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private int temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> TEMPORARY.matcher(p.getFileName().toString()).matches()).count();
        }
    }
}
