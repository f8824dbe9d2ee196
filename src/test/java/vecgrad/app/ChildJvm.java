package vecgrad.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code mnist.jar}'s main class in a JVM of its own, with JVM options such as a small heap. */
final class ChildJvm {

    /** What a run printed and returned. */
    record Result(int status, String out, String err) {
    }

    private ChildJvm() {
    }

    /** Runs {@link Main} with {@code jvmOptions} (e.g. {@code -Xmx256m}) and {@code args}; at most {@code timeoutSeconds}. */
    static Result runMain(List<String> jvmOptions, long timeoutSeconds, String... args) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-cp");
        // The program as packaged: the library's classes and the program module's, not the test build's copy.
        command.add(Path.of("target", "classes") + java.io.File.pathSeparator + Path.of("target", "app-classes"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + command);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    withoutIncubatorWarning(Files.readString(err, StandardCharsets.UTF_8)));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The JVM's own "WARNING: Using incubator modules" line is not the program's output. */
    private static String withoutIncubatorWarning(String err) {
        return err.replaceAll("(?m)^WARNING: Using incubator modules: jdk.incubator.vector\\R", "");
    }
}
