package vecgrad.autodiff;

import java.util.Objects;
import vecgrad.kernel.Im2col;
import vecgrad.kernel.Pooling;
import vecgrad.tensor.Tensor;

/**
 * The image ops, on NHWC tensors {@code (batch, height, width, channels)} (Keras' {@code channels_last}):
 * the 2-D convolution, max and average pooling, and global average pooling. Each returns a new tensor
 * and records its backward rule when a {@link GradientTape} watches an input, as {@link Ops} does.
 * A bias is added with {@link Ops#add} (a vector {@code (channels)} broadcast over the last axis);
 * flattening is {@link Ops#reshape}.
 *
 * <p>Padding and output sizes are TensorFlow's ({@code tf.nn.conv2d}, {@code tf.nn.max_pool2d},
 * {@code tf.nn.avg_pool2d}, which Keras 3's TensorFlow backend calls): with a window of
 * {@code k} cells, dilation {@code d} (effective window {@code e = (k − 1)·d + 1}) and stride {@code s},
 * {@link Padding#VALID} gives {@code floor((in − e) / s) + 1} outputs and needs {@code in >= e};
 * {@link Padding#SAME} gives {@code ceil(in / s)} outputs and pads {@code max((out − 1)·s + e − in, 0)}
 * cells, half (rounded down) before the image and the rest after: an odd pad's extra row goes to the
 * bottom and its extra column to the right (PyTorch's {@code padding="same"} puts it on the same side;
 * its integer padding is symmetric, so a TensorFlow "same" in PyTorch needs an explicit {@code F.pad}).
 */
public final class ConvOps {

    /*
     * conv2d is im2col + one GEMM on the library's matrix kernels (Caffe's formulation):
     *   cols (n·oh·ow, kh·kw·c)      = im2col(x)
     *   y    (n·oh·ow, f)            = cols · kernel (kh·kw·c, f)      the kernel's (kh,kw,in,out) layout
     *                                                                  is already that matrix, row-major
     *   dkernel (kh·kw·c, f)         = colsᵀ · g                       matmulTransA, no transpose made
     *   dcols (n·oh·ow, kh·kw·c)     = g · kernelᵀ                     matmulTransB
     *   dx                           = col2im(dcols)
     * The GEMMs are the SIMD kernels with their scalar twins, the same bits for any width and thread
     * count; im2col and col2im are copies and ordered additions (vecgrad.kernel.Im2col). cols, y and
     * every gradient come from the step's BufferPool, so a repeated step allocates no arrays.
     *
     * Pooling is direct loops: its cost is a few comparisons or additions per input cell, nothing a
     * GEMM could carry; max pooling's loops are vecgrad.kernel.Pooling (split over threads by image).
     * Max pooling: TensorFlow's CPU gradient (MaxPoolGrad, through
     * SpatialMaxPoolWithArgMaxHelper in tensorflow/core/kernels/maxpooling_op.cc) sends each output's
     * gradient to one input cell: the first maximum of its window scanned row by row (the scan keeps a
     * cell only when it is strictly greater). We do the same, so a tie gives the whole gradient to the
     * top-left cell of the tie (PyTorch's CPU kernel chooses the same cell). The window's cells in the
     * padding are never candidates. Average pooling with SAME divides by the number of cells inside the
     * image, as tf.nn.avg_pool2d (PyTorch's count_include_pad=False). Sums are accumulated in double
     * and rounded once, as the library's other reductions.
     */

    private ConvOps() {
    }

    // ---------------------------------------------------------------- convolution

    /**
     * The 2-D convolution (cross-correlation, as every deep-learning library computes it) of images
     * {@code x (n,h,w,c)} with a kernel {@code (kh,kw,c,f)} stored as Keras stores it:
     * {@code y[b,i,j,o] = Σ_{p,q,ch} x[b, i·sh − padTop + p·dh, j·sw − padLeft + q·dw, ch] · kernel[p,q,ch,o]},
     * with cells outside the image read as 0; the output is {@code (n,oh,ow,f)}.
     * Derivative: {@code dkernel = colsᵀ·g} and {@code dx = col2im(g·kernelᵀ)} (see the class comment).
     *
     * @param x the images {@code (n,h,w,c)}
     * @param kernel the filters {@code (kh,kw,c,f)}
     * @param strides the strides {@code {down, across}}, each {@code >= 1}
     * @param padding {@link Padding#VALID} or {@link Padding#SAME} (TensorFlow's placement)
     * @param dilationRate the dilation {@code {down, across}}, each {@code >= 1}
     * @return the feature maps {@code (n,oh,ow,f)}
     * @throws IllegalArgumentException if {@code x} or {@code kernel} is not rank 4, their channel counts
     *     differ, a stride or dilation is below 1, or with {@code VALID} the dilated kernel is larger
     *     than the image
     */
    public static Tensor conv2d(Tensor x, Tensor kernel, int[] strides, Padding padding, int[] dilationRate) {
        requireImages("conv2d", "x", x);
        Ops.require("conv2d", "kernel", kernel);
        if (kernel.rank() != 4) {
            throw new IllegalArgumentException("conv2d: expected a kernel of rank 4 (kh, kw, in, out), got shape "
                    + kernel.shapeString());
        }
        int[] ks = kernel.shape();
        if (ks[2] != x.dim(3)) {
            throw new IllegalArgumentException("conv2d: expected a kernel (kh, kw, " + x.dim(3) + ", out) for x "
                    + x.shapeString() + " with " + x.dim(3) + " channels, got kernel " + kernel.shapeString());
        }
        if (ks[0] < 1 || ks[1] < 1) {
            throw new IllegalArgumentException("conv2d: expected a kernel of at least 1x1, got " + kernel.shapeString());
        }
        Im2col.Geometry geo = geometry("conv2d", x, ks[0], ks[1], strides, padding, dilationRate);
        int f = ks[3];
        int rows = geo.colsRows();
        int patch = geo.colsCols();
        Tensor cols = Buffers.tensor(rows, patch);
        Im2col.im2col(x.data(), cols.data(), geo);
        Tensor y = Buffers.tensor(geo.n(), geo.oh(), geo.ow(), f);
        // cols (rows, patch) · kernel (patch, f) -> y (rows, f)
        Ops.kernels().matmul(cols.data(), kernel.data(), y.data(), rows, patch, f, false);
        String signature = "conv2d(x, kernel, strides=" + strides[0] + "x" + strides[1] + ", " + padding.kerasName()
                + (dilationRate[0] * dilationRate[1] > 1 ? ", dilation=" + dilationRate[0] + "x" + dilationRate[1] : "") + ")";
        return GradientTape.record(signature, "dkernel = colsᵀ·g; dx = col2im(g·kernelᵀ)", y, (g, need) -> {
            Tensor dx = null;
            Tensor dk = null;
            if (need[0]) {
                Tensor dcols = Buffers.tensor(rows, patch);   // g (rows, f) · kernelᵀ, kernel (patch, f) -> (rows, patch)
                Ops.kernels().matmulTransB(g.data(), kernel.data(), dcols.data(), rows, f, patch, false);
                dx = Buffers.like(x);
                Im2col.col2im(dcols.data(), dx.data(), geo);
            }
            if (need[1]) {
                dk = Buffers.like(kernel);                    // colsᵀ · g, cols (rows, patch), g (rows, f) -> (patch, f)
                Ops.kernels().matmulTransA(cols.data(), g.data(), dk.data(), patch, rows, f, false);
            }
            return new Tensor[] {dx, dk};
        }, x, kernel);
    }

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling of {@code x (n,h,w,c)} over windows {@code (ph,pw)}, each channel apart: the largest
     * cell of each window inside the image. Derivative: each output's {@code g} goes to the first
     * largest cell of its window in row-major order (TensorFlow's choice, see the class comment).
     *
     * @param x the images {@code (n,h,w,c)}
     * @param poolSize the window {@code {rows, columns}}, each {@code >= 1}
     * @param strides the strides {@code {down, across}}, each {@code >= 1} (Keras' default is the pool size)
     * @param padding {@link Padding#VALID} or {@link Padding#SAME}; padded cells are never the maximum
     * @return the pooled images {@code (n,oh,ow,c)}
     * @throws IllegalArgumentException if {@code x} is not rank 4, a size or stride is below 1, or with
     *     {@code VALID} the window is larger than the image
     */
    public static Tensor maxPool2d(Tensor x, int[] poolSize, int[] strides, Padding padding) {
        requireImages("maxPool2d", "x", x);
        requirePair("maxPool2d", "poolSize", poolSize);
        Im2col.Geometry geo = geometry("maxPool2d", x, poolSize[0], poolSize[1], strides, padding, new int[] {1, 1});
        Tensor y = Buffers.tensor(geo.n(), geo.oh(), geo.ow(), geo.c());
        // The index in x of each output's maximum, for the backward: int bits in a float buffer of the
        // pool (an index below 2^31 is never a NaN pattern, so the bits survive as they are).
        Tensor argmax = Buffers.tensor(geo.n(), geo.oh(), geo.ow(), geo.c());
        Ops.kernels().maxPool(x.data(), y.data(), argmax.data(), geo);
        return GradientTape.record("maxPool2d(x, " + poolSize[0] + "x" + poolSize[1] + ", strides=" + strides[0] + "x"
                + strides[1] + ", " + padding.kerasName() + ")", "dx[first argmax of window] += g", y, (g, need) -> {
                    Tensor dx = Buffers.like(x);
                    Pooling.maxPoolBackward(g.data(), argmax.data(), dx.data(), geo);
                    return new Tensor[] {dx};
                }, x);
    }

    /**
     * Average pooling of {@code x (n,h,w,c)} over windows {@code (ph,pw)}, each channel apart: the
     * mean of the window's cells inside the image (with {@code SAME}, padded cells are not counted, as
     * TensorFlow). Derivative: each output's {@code g / count} added to each of its window's cells.
     *
     * @param x the images {@code (n,h,w,c)}
     * @param poolSize the window {@code {rows, columns}}, each {@code >= 1}
     * @param strides the strides {@code {down, across}}, each {@code >= 1} (Keras' default is the pool size)
     * @param padding {@link Padding#VALID} or {@link Padding#SAME}
     * @return the pooled images {@code (n,oh,ow,c)}
     * @throws IllegalArgumentException if {@code x} is not rank 4, a size or stride is below 1, or with
     *     {@code VALID} the window is larger than the image
     */
    public static Tensor avgPool2d(Tensor x, int[] poolSize, int[] strides, Padding padding) {
        requireImages("avgPool2d", "x", x);
        requirePair("avgPool2d", "poolSize", poolSize);
        Im2col.Geometry geo = geometry("avgPool2d", x, poolSize[0], poolSize[1], strides, padding, new int[] {1, 1});
        Tensor y = Buffers.tensor(geo.n(), geo.oh(), geo.ow(), geo.c());
        float[] xd = x.data();
        float[] yd = y.data();
        int c = geo.c();
        forEachWindow(geo, (out, b, hi0, hi1, wi0, wi1) -> {
            int count = (hi1 - hi0) * (wi1 - wi0);
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int hi = hi0; hi < hi1; hi++) {
                    for (int wi = wi0; wi < wi1; wi++) {
                        s += xd[((b * geo.h() + hi) * geo.w() + wi) * c + ch];
                    }
                }
                yd[out + ch] = (float) (s / count);
            }
        });
        return GradientTape.record("avgPool2d(x, " + poolSize[0] + "x" + poolSize[1] + ", strides=" + strides[0] + "x"
                + strides[1] + ", " + padding.kerasName() + ")", "dx[window] += g / count", y, (g, need) -> {
                    Tensor dx = Buffers.like(x);
                    float[] d = dx.data();
                    float[] gd = g.data();
                    java.util.Arrays.fill(d, 0f);
                    forEachWindow(geo, (out, b, hi0, hi1, wi0, wi1) -> {
                        float count = (hi1 - hi0) * (wi1 - wi0);
                        for (int hi = hi0; hi < hi1; hi++) {
                            for (int wi = wi0; wi < wi1; wi++) {
                                int at = ((b * geo.h() + hi) * geo.w() + wi) * c;
                                for (int ch = 0; ch < c; ch++) {
                                    d[at + ch] += gd[out + ch] / count;
                                }
                            }
                        }
                    });
                    return new Tensor[] {dx};
                }, x);
    }

    /**
     * The mean of each channel over the image, {@code x (n,h,w,c) -> (n,c)}, as Keras'
     * {@code GlobalAveragePooling2D} (keepdims false). Derivative: {@code dx[b,i,j,ch] = g[b,ch] / (h·w)}.
     *
     * @param x the images {@code (n,h,w,c)}, with {@code h·w >= 1}
     * @return the channel means {@code (n,c)}
     * @throws IllegalArgumentException if {@code x} is not rank 4 or has no pixels
     */
    public static Tensor globalAveragePool2d(Tensor x) {
        requireImages("globalAveragePool2d", "x", x);
        int n = x.dim(0);
        int pixels = x.dim(1) * x.dim(2);
        int c = x.dim(3);
        if (pixels == 0) {
            throw new IllegalArgumentException("globalAveragePool2d: expected images of at least one pixel, got x "
                    + x.shapeString());
        }
        Tensor y = Buffers.tensor(n, c);
        float[] xd = x.data();
        float[] yd = y.data();
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int p = 0; p < pixels; p++) {
                    s += xd[(b * pixels + p) * c + ch];
                }
                yd[b * c + ch] = (float) (s / pixels);
            }
        }
        return GradientTape.record("globalAveragePool2d(x)", "dx[b,i,j,ch] = g[b,ch] / (h·w)", y, (g, need) -> {
            Tensor dx = Buffers.like(x);
            float[] d = dx.data();
            float[] gd = g.data();
            float count = pixels;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < pixels; p++) {
                    int at = (b * pixels + p) * c;
                    for (int ch = 0; ch < c; ch++) {
                        d[at + ch] = gd[b * c + ch] / count;
                    }
                }
            }
            return new Tensor[] {dx};
        }, x);
    }

    // ---------------------------------------------------------------- sizes

    /**
     * The output length of a window sliding over {@code in} cells, as TensorFlow computes it.
     *
     * @param in the input length, {@code >= 1}
     * @param window the window length, {@code >= 1}
     * @param stride the stride, {@code >= 1}
     * @param padding {@code VALID}: {@code floor((in − e) / stride) + 1}; {@code SAME}: {@code ceil(in / stride)}
     * @param dilation the dilation, {@code >= 1}; the effective window is {@code e = (window − 1)·dilation + 1}
     * @return the output length, {@code >= 1}
     * @throws IllegalArgumentException if an argument is below 1, or with {@code VALID} the effective
     *     window is longer than the input
     */
    public static int outputLength(int in, int window, int stride, Padding padding, int dilation) {
        Objects.requireNonNull(padding, "padding");
        if (in < 1 || window < 1 || stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("expected input, window, stride and dilation >= 1, got input " + in
                    + ", window " + window + ", stride " + stride + ", dilation " + dilation);
        }
        long effective = (long) (window - 1) * dilation + 1;
        if (padding == Padding.SAME) {
            return (int) (((long) in + stride - 1) / stride);
        }
        if (effective > in) {
            throw new IllegalArgumentException("a window of " + effective + " cells" + (dilation > 1 ? " (dilated)" : "")
                    + " does not fit in " + in + " cells with \"valid\" padding");
        }
        return (int) ((in - effective) / stride + 1);
    }

    // ---------------------------------------------------------------- helpers

    /** The geometry of a window {@code (kh,kw)} over {@code x}, with TensorFlow's padding; throws naming the op. */
    private static Im2col.Geometry geometry(String op, Tensor x, int kh, int kw, int[] strides, Padding padding,
                                            int[] dilation) {
        requirePair(op, "strides", strides);
        requirePair(op, "dilationRate", dilation);
        Objects.requireNonNull(padding, op + ": expected a padding, got null");
        int[] s = x.shape();
        int oh;
        int ow;
        try {
            oh = outputLength(s[1], kh, strides[0], padding, dilation[0]);
            ow = outputLength(s[2], kw, strides[1], padding, dilation[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": a " + kh + "x" + kw + " window does not fit x " + x.shapeString()
                    + " (" + e.getMessage() + ")", e);
        }
        int padTop = padBefore(s[1], oh, kh, strides[0], dilation[0]);
        int padLeft = padBefore(s[2], ow, kw, strides[1], dilation[1]);
        return new Im2col.Geometry(s[0], s[1], s[2], s[3], kh, kw, strides[0], strides[1], dilation[0], dilation[1],
                padTop, padLeft, oh, ow);
    }

    /** TensorFlow's pad before the image: half the total pad, rounded down (the odd cell goes after). */
    private static int padBefore(int in, int out, int window, int stride, int dilation) {
        long effective = (long) (window - 1) * dilation + 1;
        long total = Math.max((long) (out - 1) * stride + effective - in, 0);
        return (int) (total / 2);
    }

    /** What a pooling op does with one output pixel: its offset in y and the window's cells inside the image. */
    @FunctionalInterface
    private interface Window {
        void at(int out, int b, int hi0, int hi1, int wi0, int wi1);
    }

    /** Calls {@code body} for each output pixel in row-major order, with its window clipped to the image. */
    private static void forEachWindow(Im2col.Geometry g, Window body) {
        int out = 0;
        for (int b = 0; b < g.n(); b++) {
            for (int i = 0; i < g.oh(); i++) {
                int top = i * g.sh() - g.padTop();
                int hi0 = Math.max(top, 0);
                int hi1 = Math.min(top + g.kh(), g.h());
                for (int j = 0; j < g.ow(); j++, out += g.c()) {
                    int left = j * g.sw() - g.padLeft();
                    body.at(out, b, hi0, hi1, Math.max(left, 0), Math.min(left + g.kw(), g.w()));
                }
            }
        }
    }

    private static void requireImages(String op, String name, Tensor x) {
        Ops.require(op, name, x);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected " + name + " of rank 4 (batch, height, width, channels),"
                    + " got shape " + x.shapeString());
        }
    }

    private static void requirePair(String op, String name, int[] pair) {
        Objects.requireNonNull(pair, () -> op + ": expected " + name + " {rows, columns}, got null");
        if (pair.length != 2 || pair[0] < 1 || pair[1] < 1) {
            throw new IllegalArgumentException(op + ": expected " + name + " of two values >= 1 {rows, columns}, got "
                    + java.util.Arrays.toString(pair));
        }
    }
}
