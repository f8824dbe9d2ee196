package vecgrad.autodiff;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/**
 * conv2d (with a bias), max and average pooling against PyTorch in float64:
 * test-data/conv/conv-reference.txt, written by test-data/conv/conv_reference.py, which applies
 * TensorFlow's "same" padding (odd pad at the bottom and right) with an explicit {@code F.pad}. Each
 * case holds the float32 inputs, PyTorch's output, and its gradients of {@code Σ g·y}.
 */
final class ConvReferenceTest {

    /**
     * float32 against float64: each output is a sum of at most 5·5·3 products of values below 1, and
     * each gradient element of at most a few hundred; float32 rounding of such sums stays below 1e-5
     * of the largest magnitude. A wrong pad or a lost accumulation is off by O(1).
     */
    private static final double TOLERANCE = 1e-5;

    @Test
    void everyCase_matchesPyTorch() throws IOException {
        List<Map<String, String[]>> cases = read(Path.of("test-data", "conv", "conv-reference.txt"));
        assertThat(cases).hasSize(13);
        int asymmetric = 0;
        for (Map<String, String[]> c : cases) {
            String name = String.join(" ", c.get("case"));
            int[] pads = ints(c.get("pads"));
            if (pads[0] != pads[1] || pads[2] != pads[3]) {
                asymmetric++;
            }
            Tensor x = tensor(c, "x");
            Tensor g = Tensor.of(floats(c.get("g")), ints(c.get("y_shape")));
            Padding padding = Padding.of(c.get("padding")[0]);
            int[] strides = ints(c.get("strides"));
            List<Tensor> inputs = new ArrayList<>(List.of(x));
            Tensor y;
            List<Tensor> grads;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x);
                switch (c.get("op")[0]) {
                    case "conv2d" -> {
                        Tensor k = tensor(c, "kernel");
                        Tensor b = Tensor.of(floats(c.get("bias")), k.dim(3));
                        tape.watch(k);
                        tape.watch(b);
                        inputs.add(k);
                        inputs.add(b);
                        y = Ops.add(ConvOps.conv2d(x, k, strides, padding, ints(c.get("dilation"))), b);
                    }
                    case "max_pool2d" -> y = ConvOps.maxPool2d(x, ints(c.get("pool_size")), strides, padding);
                    case "avg_pool2d" -> y = ConvOps.avgPool2d(x, ints(c.get("pool_size")), strides, padding);
                    default -> throw new AssertionError("unknown op in " + name);
                }
                grads = tape.gradient(Ops.sum(Ops.mul(y, g)), inputs);
            }
            assertThat(y.shape()).as(name).containsExactly(ints(c.get("y_shape")));
            assertClose(name + ": y", y, doubles(c.get("y")));
            assertClose(name + ": dx", grads.get(0), doubles(c.get("dx")));
            if (grads.size() > 1) {
                assertClose(name + ": dkernel", grads.get(1), doubles(c.get("dkernel")));
                assertClose(name + ": dbias", grads.get(2), doubles(c.get("dbias")));
            }
        }
        assertThat(asymmetric).as("cases with an odd \"same\" pad").isGreaterThanOrEqualTo(4);
    }

    private static void assertClose(String what, Tensor actual, double[] expected) {
        assertThat(actual.size()).as(what + " size").isEqualTo(expected.length);
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        float[] a = actual.data();
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(a[i] - expected[i]) <= TOLERANCE * Math.max(scale, 1))) {
                throw new AssertionError(what + " at flat index " + i + ": vecgrad " + a[i] + ", PyTorch " + expected[i]);
            }
        }
    }

    // ---------------------------------------------------------------- the file

    /** The cases: each a map from a line's key to its values, starting with {@code case}. */
    private static List<Map<String, String[]>> read(Path file) throws IOException {
        List<Map<String, String[]>> cases = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            String[] values = java.util.Arrays.copyOfRange(parts, 1, parts.length);
            if (parts[0].equals("case")) {
                cases.add(new LinkedHashMap<>());
            }
            cases.get(cases.size() - 1).put(parts[0], values);
        }
        return cases;
    }

    private static Tensor tensor(Map<String, String[]> c, String key) {
        return Tensor.of(floats(c.get(key)), ints(c.get(key + "_shape")));
    }

    private static int[] ints(String[] s) {
        return java.util.Arrays.stream(s).mapToInt(Integer::parseInt).toArray();
    }

    private static double[] doubles(String[] s) {
        return java.util.Arrays.stream(s).mapToDouble(Double::parseDouble).toArray();
    }

    /** The float32 inputs, written with 9 significant digits: each parses back to its float exactly. */
    private static float[] floats(String[] s) {
        float[] f = new float[s.length];
        for (int i = 0; i < s.length; i++) {
            f[i] = Float.parseFloat(s[i]);
        }
        return f;
    }
}
