package vecgrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD twin of {@link Pooling}'s max pooling forward, for {@link SimdKernels}: the same bits.
 * Apart from {@link Pooling} so that the scalar kernels never load a Vector API class (a JVM without
 * {@code jdk.incubator.vector} runs them).
 */
final class SimdPooling {

    private SimdPooling() {
    }

    /** The per-image op of the forward at {@code width}, for {@link Pooling#maxPoolSimd}: make it once. */
    static ImageSplit.Op maxPoolOp(SimdWidth width) {
        return (x, y, argmax, g, b0, b1) -> maxPoolImages(width, x, y, argmax, g, b0, b1);
    }

    /**
     * {@link Pooling#maxPool}'s loop a vector of channels at a time, the running maximum in a register: a cell
     * replaces it in the lanes where it is strictly greater (compare and blend, so a tie or a NaN keeps
     * the earlier cell, as the twin's {@code v > y}), and the winning cell's number within the window
     * rides along in a second register; the numbers become indices into x afterwards, lane by lane,
     * from the window's cell offsets. (Int vectors of indices would do it in one step, but on JDK 17
     * C2 boxed them here: 55 MB allocated per pool1 call.) The channels past the last whole vector run
     * the twin's own window loop ({@link Pooling#maxPoolWindow}).
     */
    private static void maxPoolImages(SimdWidth width, float[] x, float[] y, float[] argmax, Im2col.Geometry g,
                                      int b0, int b1) {
        VectorSpecies<Float> fs = width.species();
        int lanes = fs.length();
        int c = g.c();
        int h = g.h();
        int w = g.w();
        int whole = c - c % lanes;
        int[] cellAt = new int[g.kh() * g.kw()]; // per call, not per window: x's offset of each window cell
        int out = b0 * g.oh() * g.ow() * c;
        for (int b = b0; b < b1; b++) {
            for (int i = 0; i < g.oh(); i++) {
                int top = i * g.sh() - g.padTop();
                int hi0 = Math.max(top, 0);
                int hi1 = Math.min(top + g.kh(), h);
                for (int j = 0; j < g.ow(); j++, out += c) {
                    int left = j * g.sw() - g.padLeft();
                    int wi0 = Math.max(left, 0);
                    int wi1 = Math.min(left + g.kw(), w);
                    int first = ((b * h + hi0) * w + wi0) * c;
                    int cells = 0;
                    for (int hi = hi0; hi < hi1; hi++) {
                        for (int wi = wi0; wi < wi1; wi++) {
                            cellAt[cells++] = ((b * h + hi) * w + wi) * c;
                        }
                    }
                    for (int ch = 0; ch < whole; ch += lanes) {
                        FloatVector max = FloatVector.fromArray(fs, x, first + ch);
                        FloatVector cell = FloatVector.zero(fs);
                        for (int k = 1; k < cells; k++) {
                            FloatVector v = FloatVector.fromArray(fs, x, cellAt[k] + ch);
                            VectorMask<Float> greater = v.compare(VectorOperators.GT, max);
                            max = max.blend(v, greater);
                            cell = cell.blend((float) k, greater);
                        }
                        max.intoArray(y, out + ch);
                        cell.intoArray(argmax, out + ch);
                        for (int l = out + ch, e = l + lanes, at = ch; l < e; l++, at++) {
                            argmax[l] = Float.intBitsToFloat(cellAt[(int) argmax[l]] + at);
                        }
                    }
                    if (whole < c) {
                        Pooling.maxPoolWindow(x, y, argmax, g, b, hi0, hi1, wi0, wi1, out, whole, c);
                    }
                }
            }
        }
    }

}
