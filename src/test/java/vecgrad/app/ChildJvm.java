package vecgrad.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import vecgrad.testing.ChildJava;

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
        List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(List.of("--add-modules", "jdk.incubator.vector"));
        // The program as packaged: the library's classes and the program module's, not the test build's copy.
        String classPath = ChildJava.classPath(Path.of("target", "classes").toString(), Path.of("target", "app-classes").toString());
        ChildJava.Result r = ChildJava.run(classPath, options, Main.class.getName(), Duration.ofSeconds(timeoutSeconds),
                List.of(args));
        return new Result(r.status(), r.out(), r.err());
    }
}
