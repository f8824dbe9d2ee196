package vecgrad.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test support: runs a main class in a JVM of its own and returns what it printed, for tests that need
 * a fresh JVM (a small heap, other kernel settings, one vector width, a process to kill).
 *
 * <p>Standard output and error go to files, not pipes, so a child that prints much cannot block, and
 * the timeout holds: a child still running then is killed and the test fails with its command.
 */
public final class ChildJava {

    /** What a child printed and returned; {@code err} without the JVM's incubator-module warning. */
    public record Result(int status, String out, String err) {

        /** Standard output, then standard error. */
        public String output() {
            return out + err;
        }
    }

    private ChildJava() {
    }

    /** The {@code java} launcher of this JVM, so the child runs on the same JDK. */
    public static String javaLauncher() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** This JVM's class path: the test classes, the main classes and the test libraries. */
    public static String testClassPath() {
        return System.getProperty("java.class.path");
    }

    /** The class path entry (folder or jar) {@code c} was loaded from. */
    public static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The entries joined with the platform's path separator. */
    public static String classPath(String... entries) {
        return String.join(File.pathSeparator, entries);
    }

    /**
     * Runs {@code mainClass} with {@code args} in a new JVM: {@code java JVM-OPTIONS -cp CLASS-PATH
     * MAIN-CLASS ARGS}, waiting at most {@code timeout}.
     *
     * @throws AssertionError if the child is still running after {@code timeout} (it is then killed)
     */
    public static Result run(String classPath, List<String> jvmOptions, String mainClass, Duration timeout, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(javaLauncher());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        Path out = Files.createTempFile("child-out", ".txt");
        Path err = Files.createTempFile("child-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("the child JVM did not finish in " + timeout + ": " + command
                        + "\noutput so far:\n" + Files.readString(out, StandardCharsets.UTF_8)
                        + Files.readString(err, StandardCharsets.UTF_8));
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
