package vecgrad.kernel;

/**
 * The unfolding that turns a 2-D convolution into one matrix product (Caffe's {@code im2col}), and
 * its adjoint {@code col2im}, for NHWC images and kernels stored as Keras stores them,
 * {@code (kh, kw, in, out)}.
 *
 * <p>With {@code x (n,h,w,c)} and a kernel read as a matrix {@code (kh·kw·c, f)}, the convolution is
 * {@code y (n·oh·ow, f) = cols (n·oh·ow, kh·kw·c) · kernel}, where row {@code (b,i,j)} of
 * {@code cols} holds the patch under output pixel {@code (i,j)} of image {@code b}, in the kernel's
 * order {@code (p, q, ch)}:
 * <pre>
 * cols[(b,i,j), (p,q,ch)] = x[b, i·sh − padTop + p·dh, j·sw − padLeft + q·dw, ch]   (0 outside the image)
 * </pre>
 * These are copies and additions only, the same code behind the scalar and the SIMD kernels (there
 * is nothing to vectorise differently), so they are their own scalar twin. They split the batch over
 * {@link Parallel}'s threads by whole images, each element written by one thread in the order one
 * thread would use, so their results do not depend on the thread count either.
 */
public final class Im2col {

    /*
     * col2im is the transpose of im2col: each element of dcols is added to the input cell it was
     * copied from. The additions into one cell of dx happen in the order of the rows (b,i,j) and then
     * of the kernel positions (p,q): a fixed order, so the sums are the same bits on every run.
     *
     * Speed (bench ConvBenchmark): with dilation 1 across, the kw cells of one kernel row are
     * kw·c contiguous floats in x and in a row of cols, so a kernel row inside the image is one run
     * (one copy, one loop of additions). Runs shorter than SHORT_RUN floats are copied by a loop:
     * the first convolution of a network (c = 1, a 3x3 kernel) has runs of 3 floats, where
     * System.arraycopy's call costs more than the copy. Images are independent (patches never cross
     * from one image into another), so both functions split the batch into ranges of images over
     * Parallel's threads (ImageSplit): every element is written by one thread, with the additions
     * into a cell of dx in the same order as on one thread, hence the same bits for every thread count.
     */

    /** Runs shorter than this are copied by a loop rather than System.arraycopy. */
    private static final int SHORT_RUN = 16;

    private Im2col() {
    }

    /**
     * {@code x (n,h,w,c) -> cols (n·oh·ow, kh·kw·c)}: the patch under each output pixel, zeros where
     * it reaches into the padding.
     *
     * @param x the images {@code (n,h,w,c)}, row-major
     * @param cols the output {@code (n·oh·ow, kh·kw·c)}; every element is written
     * @param g the convolution's geometry
     * @throws IllegalArgumentException if an array is shorter than its shape needs
     */
    public static void im2col(float[] x, float[] cols, Geometry g) {
        KernelChecks.array("im2col", "x", x, g.inputSize());
        KernelChecks.array("im2col", "cols", cols, g.colsSize());
        KernelChecks.distinct("im2col", "cols", cols, "x", x);
        ImageSplit.run(Im2col::im2colImages, x, cols, null, g, g.colsSize());
    }

    /**
     * {@code dcols (n·oh·ow, kh·kw·c) -> dx (n,h,w,c)}, the adjoint of {@link #im2col}: every element
     * of {@code dcols} added into the input cell it came from; cells no patch covers get 0.
     *
     * @param dcols the gradient of the unfolded patches {@code (n·oh·ow, kh·kw·c)}
     * @param dx the output {@code (n,h,w,c)}; every element is written
     * @param g the convolution's geometry
     * @throws IllegalArgumentException if an array is shorter than its shape needs, or they are the same array
     */
    public static void col2im(float[] dcols, float[] dx, Geometry g) {
        KernelChecks.array("col2im", "dcols", dcols, g.colsSize());
        KernelChecks.array("col2im", "dx", dx, g.inputSize());
        KernelChecks.distinct("col2im", "dx", dx, "dcols", dcols);
        ImageSplit.run(Im2col::col2imImages, dcols, dx, null, g, g.colsSize());
    }

    /** im2col of images {@code [b0, b1)}. */
    private static void im2colImages(float[] x, float[] cols, float[] unused, Geometry g, int b0, int b1) {
        int c = g.c;
        int rowLength = g.kh * g.kw * c;
        int run = g.kw * c;
        boolean contiguous = g.dw == 1;
        int r = b0 * g.oh * g.ow;
        for (int b = b0; b < b1; b++) {
            int xb = b * g.h * g.w * c;
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++, r++) {
                    int at = r * rowLength;
                    int left = j * g.sw - g.padLeft;
                    boolean across = contiguous && left >= 0 && left + g.kw <= g.w;
                    for (int p = 0; p < g.kh; p++) {
                        int hi = i * g.sh - g.padTop + p * g.dh;
                        if (hi < 0 || hi >= g.h) {
                            java.util.Arrays.fill(cols, at, at + run, 0f);
                            at += run;
                        } else if (across) {
                            copy(x, xb + (hi * g.w + left) * c, cols, at, run);
                            at += run;
                        } else {
                            for (int q = 0; q < g.kw; q++, at += c) {
                                int wi = left + q * g.dw;
                                if (wi < 0 || wi >= g.w) {
                                    java.util.Arrays.fill(cols, at, at + c, 0f);
                                } else {
                                    copy(x, xb + (hi * g.w + wi) * c, cols, at, c);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** col2im of images {@code [b0, b1)}: zeroes their cells of dx, then adds their rows of dcols. */
    private static void col2imImages(float[] dcols, float[] dx, float[] unused, Geometry g, int b0, int b1) {
        int c = g.c;
        int rowLength = g.kh * g.kw * c;
        int run = g.kw * c;
        boolean contiguous = g.dw == 1;
        int image = g.h * g.w * c;
        java.util.Arrays.fill(dx, b0 * image, b1 * image, 0f);
        int r = b0 * g.oh * g.ow;
        for (int b = b0; b < b1; b++) {
            int xb = b * image;
            for (int i = 0; i < g.oh; i++) {
                for (int j = 0; j < g.ow; j++, r++) {
                    int at = r * rowLength;
                    int left = j * g.sw - g.padLeft;
                    boolean across = contiguous && left >= 0 && left + g.kw <= g.w;
                    for (int p = 0; p < g.kh; p++, at += run) {
                        int hi = i * g.sh - g.padTop + p * g.dh;
                        if (hi < 0 || hi >= g.h) {
                            continue;
                        }
                        if (across) {
                            // The run's cells are distinct, so adding it at once keeps each cell's order.
                            add(dcols, at, dx, xb + (hi * g.w + left) * c, run);
                            continue;
                        }
                        for (int q = 0; q < g.kw; q++) {
                            int wi = left + q * g.dw;
                            if (wi >= 0 && wi < g.w) {
                                add(dcols, at + q * c, dx, xb + (hi * g.w + wi) * c, c);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void copy(float[] from, int fromAt, float[] to, int toAt, int length) {
        if (length < SHORT_RUN) {
            for (int t = 0; t < length; t++) {
                to[toAt + t] = from[fromAt + t];
            }
        } else {
            System.arraycopy(from, fromAt, to, toAt, length);
        }
    }

    /** {@code to[toAt + t] += from[fromAt + t]} for {@code t < length}. */
    private static void add(float[] from, int fromAt, float[] to, int toAt, int length) {
        for (int t = 0; t < length; t++) {
            to[toAt + t] += from[fromAt + t];
        }
    }

    /**
     * The shapes of one 2-D convolution or pooling window: input {@code (n,h,w,c)}, window
     * {@code (kh,kw)}, strides, dilation, the padding before the first row and column, and the output
     * size {@code (oh,ow)}. The caller works the padding and output size out (the autodiff ops do, as
     * TensorFlow); this record only checks that they are consistent.
     *
     * @param n images
     * @param h input rows
     * @param w input columns
     * @param c channels
     * @param kh window rows
     * @param kw window columns
     * @param sh stride down
     * @param sw stride across
     * @param dh dilation down
     * @param dw dilation across
     * @param padTop zero rows above the image
     * @param padLeft zero columns left of the image
     * @param oh output rows
     * @param ow output columns
     */
    public record Geometry(int n, int h, int w, int c, int kh, int kw, int sh, int sw, int dh, int dw,
                           int padTop, int padLeft, int oh, int ow) {

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if a size is negative, a window, stride or dilation below 1,
         *     or an array would exceed a Java array
         */
        public Geometry {
            if (n < 0 || h < 0 || w < 0 || c < 0 || oh < 0 || ow < 0 || padTop < 0 || padLeft < 0) {
                throw new IllegalArgumentException("conv geometry: sizes must be >= 0, got " + this);
            }
            if (kh < 1 || kw < 1 || sh < 1 || sw < 1 || dh < 1 || dw < 1) {
                throw new IllegalArgumentException("conv geometry: window, strides and dilation must be >= 1, got " + this);
            }
            if ((long) n * h * w * c > Integer.MAX_VALUE - 8 || (long) n * oh * ow * kh * kw * c > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("conv geometry: the unfolded patches would exceed a Java array: " + this);
            }
        }

        /** {@return the elements of the input, {@code n·h·w·c}} */
        public long inputSize() {
            return (long) n * h * w * c;
        }

        /** {@return the rows of the unfolded patches, {@code n·oh·ow}} */
        public int colsRows() {
            return n * oh * ow;
        }

        /** {@return the length of one patch, {@code kh·kw·c}} */
        public int colsCols() {
            return kh * kw * c;
        }

        /** {@return the elements of the unfolded patches} */
        public long colsSize() {
            return (long) colsRows() * colsCols();
        }
    }
}
