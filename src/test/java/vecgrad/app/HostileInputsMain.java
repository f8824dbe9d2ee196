package vecgrad.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link HostileInputsTest}, run with a small heap: runs {@code mnist} once per
 * line of the case file ({@code NAME<TAB>ARG<TAB>ARG...}) through {@link Main#run}, and prints one line
 * per case, {@code NAME<TAB>STATUS<TAB>STDERR} with newlines, tabs and backslashes escaped. Anything
 * thrown out of {@code Main.run}, an {@code OutOfMemoryError} included, is reported as status -1.
 */
final class HostileInputsMain {

    private HostileInputsMain() {
    }

    /** {@code args[0]}: the case file. */
    public static void main(String[] args) throws Exception {
        List<String> cases = Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8);
        for (String line : cases) {
            String[] fields = line.split("\t");
            String[] commandLine = java.util.Arrays.copyOfRange(fields, 1, fields.length);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status;
            try {
                status = Main.run(commandLine, Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
            } catch (Throwable t) {
                status = -1;
                err.reset();
                err.writeBytes(("thrown out of Main.run: " + t).getBytes(StandardCharsets.UTF_8));
            }
            String text = err.toString(StandardCharsets.UTF_8);
            System.out.println(fields[0] + "\t" + status + "\t"
                    + text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t"));
            System.out.flush();
        }
    }
}
