package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import vecgrad.kernel.WarmUp;
import vecgrad.testing.ChildJava;

/**
 * {@link Mnist#load} starts the kernels' automatic warm-up, so that it overlaps the reading, unless
 * {@code vecgrad.warmUp=off}; a bad value of that property does not stop the data from loading (the
 * model's constructor refuses it). Each case runs in a JVM of its own, since a warm-up starts at most
 * once per JVM.
 */
final class MnistWarmUpTest {

    @Test
    void load_startsTheAutomaticWarmUp() throws Exception {
        assertThat(child("auto", true)).contains("loaded 60000").contains("startedBefore=true");
        // The control: without the load, nothing had started it.
        assertThat(child("auto", false)).contains("startedBefore=false");
    }

    @Test
    void load_startsNoWarmUpWhenOff_andIgnoresABadSetting() throws Exception {
        assertThat(child("off", true)).contains("loaded 60000").contains("warmUpThread=false");
        assertThat(child("sometimes", true)).contains("loaded 60000").contains("warmUpThread=false");
    }

    private static String child(String setting, boolean load) throws Exception {
        ChildJava.Result r = ChildJava.run(ChildJava.testClassPath(),
                List.of("--add-modules", "jdk.incubator.vector", "-D" + WarmUp.PROPERTY + "=" + setting),
                Probe.class.getName(), Duration.ofSeconds(60), List.of(String.valueOf(load)));
        assertThat(r.status()).as(r.output()).isZero();
        return r.out();
    }

    /** The child: loads MNIST (or not) and reports whether the warm-up had started. */
    static final class Probe {
        public static void main(String[] args) throws Exception {
            if (Boolean.parseBoolean(args[0])) {
                System.out.println("loaded " + Mnist.load(Path.of("test-data", "mnist")).train().size());
            }
            boolean thread = Thread.getAllStackTraces().keySet().stream()
                    .anyMatch(t -> t.getName().equals(WarmUp.THREAD_NAME));
            System.out.println("warmUpThread=" + thread);
            if (System.getProperty(WarmUp.PROPERTY).equals("auto")) {
                // startAutomatic starts one only if none was started before in this JVM.
                System.out.println("startedBefore=" + !WarmUp.startAutomatic());
            }
        }
    }
}
