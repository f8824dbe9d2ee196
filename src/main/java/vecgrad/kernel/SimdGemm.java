package vecgrad.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The three matrix products of {@link Kernels} on the Vector API, split over {@link Parallel} threads.
 * Arguments are checked by the caller ({@link SimdKernels}).
 */
final class SimdGemm {

    /*
     * How (measured in bench/RESULTS.md):
     *
     * - Register tile: MR = 6 rows x nv = 4 vectors of C live in 24 vector registers while k runs
     *   (nv = 2 on CPUs with 16 vector registers: see tileVectors).
     *   Per k: load 4 vectors of packed B, broadcast 6 values of A, 24 fmas. Written as
     *   a.fma(b, acc): the other operand order made C2 spill the accumulators.
     * - Each C element is one fma chain over k in increasing order, starting from 0 or the old C
     *   (the Kernels contract): a K block continues from the value the previous block stored. So the
     *   result equals ScalarKernels bit for bit, whatever the blocking or the thread split.
     * - K blocks of KC = 512. For each, the thread's columns of B are copied ("packed") into strips
     *   of nv vectors, then single-vector strips for the leftover columns: kb rows of the strip width,
     *   contiguous, zero-padded past column n. A is read in place: for a (m,k) the row's values are
     *   at stride 1 in k, for Aᵀ (a is (k,m)) the 6 values of a k are contiguous and k steps by m
     *   (on JDK 17 a 6x2 tile of its own addresses them from one index: see sideBySide).
     *   A·Bᵀ transposes B while packing, by gathering a vector from `lanes` rows of b per k (the
     *   whole 128x256·256x784 product 15% faster than with a blocked scalar transpose on JDK 17,
     *   the same on JDK 25), so no product needs a transposed copy of an input.
     * - The packed panel is then swept over A in blocks of MC rows, each block over every strip, so a
     *   tall A (a convolution's unfolded images) is read from memory once per K block, not once per strip.
     * - Ragged edges without masks (masked loads are slow on JDK 17): a tile with fewer than 6 rows
     *   repeats its last row (each copy computes and stores the same bits); a single-vector strip
     *   that ends past column n runs on a scratch tile and copies the valid columns back.
     * - Threads: split by output only. Columns in whole nv strips when there is a strip per thread
     *   and the product is not tall (m < 8n), else rows in whole tiles; products under parallelWork multiply-adds stay on the calling
     *   thread, where the hand-off would cost more than it saves.
     * - Packing buffers live in a per-thread Scratch and only grow: no allocation per call.
     */

    static final int AB = 0;
    static final int ATB = 1;
    static final int ABT = 2;

    private static final int MR = 6;
    private static final int KC = 512;
    /**
     * Rows of A per block: the packed B panel is swept over MC rows at a time, so that those rows
     * (MC x KC floats, at most 528 KB; 300 KB for conv2's k = 288) stay in L2 across the column strips
     * instead of coming from memory again for each strip. It matters for tall products (a convolution's
     * m = batch x output pixels, 15,488 for conv2); the MLP's m = 128 is one block.
     */
    private static final int MC = 264;
    private static final int PARTS_PER_THREAD = 4;
    /** Products with m at least TALL times n split by rows (see multiply). */
    private static final int TALL = 8;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final SimdWidth width;
    private final long parallelWork;
    /** Vectors per register-tile row: 4 with 32 vector registers (AVX-512), 2 with 16 (AVX2). */
    private final int nv;
    /** Rows of A per block (see MC); Integer.MAX_VALUE for one block. */
    private final int mc;
    /** Whether Aᵀ·B's whole 6x2 tiles take {@link #tile6x2SideBySide} (see {@link #sideBySide}). */
    private final boolean sideBySide;

    /**
     * @param parallelWork the smallest {@code m·k·n} worth splitting over threads
     */
    SimdGemm(SimdWidth width, long parallelWork) {
        this(width, parallelWork, tileVectors(System.getProperty("vecgrad.gemmTileVectors")),
                rowBlock(System.getProperty("vecgrad.gemmRowBlock")),
                sideBySide(System.getProperty("vecgrad.gemmSideBySide"), Runtime.version().feature()));
    }

    /** As {@link #SimdGemm(SimdWidth, long)} with the tile's vectors per row given (2 or 4): for tests. */
    SimdGemm(SimdWidth width, long parallelWork, int nv) {
        this(width, parallelWork, nv, MC, sideBySide(null, Runtime.version().feature()));
    }

    /**
     * As {@link #SimdGemm(SimdWidth, long, int)} with the rows of A per block given (a multiple of 6,
     * or 0 for one block of all rows) and whether Aᵀ·B takes the side-by-side tile: for tests and
     * benchmarks.
     */
    SimdGemm(SimdWidth width, long parallelWork, int nv, int rowBlock, boolean sideBySide) {
        if (nv != 2 && nv != 4) {
            throw new IllegalArgumentException("SimdGemm: expected 2 or 4 vectors per tile row, got " + nv);
        }
        if (rowBlock < 0 || rowBlock % MR != 0) {
            throw new IllegalArgumentException("SimdGemm: expected a row block of 0 or a positive multiple of " + MR
                    + ", got " + rowBlock);
        }
        this.width = width;
        this.parallelWork = parallelWork;
        this.nv = nv;
        this.mc = rowBlock == 0 ? Integer.MAX_VALUE : rowBlock;
        this.sideBySide = sideBySide;
    }

    /**
     * Whether Aᵀ·B's whole 6x2 tiles take {@link #tile6x2SideBySide}: on JDK 17, where GemmBenchmark
     * measured it 1.13-1.20x faster on the weight gradient 784x128x256 (bench/RESULTS.md, "Session 7");
     * not on JDK 25, where C2 spills an accumulator in it and it ran at 0.6x. Other JDKs were not
     * measured and keep the general tile. The property {@code vecgrad.gemmSideBySide} ({@code true} or
     * {@code false}) overrides it, for benchmarks. It never changes a result: the same fma chain.
     */
    static boolean sideBySide(String override, int jdkFeature) {
        if (override != null) {
            if (!override.equals("true") && !override.equals("false")) {
                throw new IllegalArgumentException("vecgrad.gemmSideBySide: expected true or false, got '" + override + "'");
            }
            return override.equals("true");
        }
        return jdkFeature == 17;
    }

    /**
     * The rows of A per block: {@link #MC}, or the property {@code vecgrad.gemmRowBlock} (0 for none,
     * else a positive multiple of 6), for benchmarks. It never changes a result.
     */
    static int rowBlock(String override) {
        if (override == null) {
            return MC;
        }
        int value;
        try {
            value = Integer.parseInt(override);
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value % MR != 0) {
            throw new IllegalArgumentException("vecgrad.gemmRowBlock: expected 0 or a positive multiple of " + MR
                    + ", got '" + override + "'");
        }
        return value;
    }

    /**
     * The tile's vectors per row: 6x4 needs 24 accumulators + 4 B vectors + 1 broadcast = 29 registers,
     * which a CPU with AVX-512 has (32, at any vector width) and an AVX2 CPU does not (16: C2 spills the
     * accumulators and the products run at about a third of the FMA peak); there 6x2 (15 registers)
     * fits. The property {@code vecgrad.gemmTileVectors} (2 or 4) overrides it, for benchmarks. The
     * tile never changes a result: each C element is one fma chain over k in order either way.
     */
    static int tileVectors(String override) {
        if (override != null) {
            if (!override.equals("2") && !override.equals("4")) {
                throw new IllegalArgumentException("vecgrad.gemmTileVectors: expected 2 or 4, got '" + override + "'");
            }
            return Integer.parseInt(override);
        }
        return FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 4 : 2;
    }

    /** {@code c (m,n) (+)= op(a) · op(b)} for the {@code variant} (AB, ATB or ABT); arguments already checked. */
    void multiply(int variant, float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        int threads = Parallel.threads();
        if (threads > 1 && (long) m * k * n >= parallelWork) {
            int stripWidth = nv * width.species().length();
            int strips = ceilDiv(n, stripWidth);
            // A tall product (a convolution's: m = batch x pixels, n = filters) splits by rows: a column
            // part streams all of A, from memory when A is that large, once per part.
            boolean tall = m >= TALL * n;
            boolean byColumns = strips >= threads && !tall;
            // Column parts cost nothing extra (each packs only its own strips), so there are up to
            // PARTS_PER_THREAD per thread: a descheduled worker then holds back less of the product.
            // Row parts each pack all of B, so there is one per thread, unless the product is tall and
            // B small beside each part's rows of A.
            int units = byColumns ? strips : ceilDiv(m, MR);
            int parts = Math.min(units, byColumns || tall ? threads * PARTS_PER_THREAD : threads);
            if (parts > 1) {
                Task task = SCRATCH.get().task;
                task.set(this, variant, a, b, c, m, k, n, accumulate, byColumns, units, byColumns ? stripWidth : MR);
                try {
                    Parallel.run(task, parts);
                } finally {
                    task.clear();
                }
                return;
            }
        }
        block(variant, a, b, c, m, k, n, accumulate, 0, m, 0, n);
    }

    /** Computes rows {@code [i0,i1)} and columns {@code [j0,j1)} of C on the calling thread. */
    private void block(int variant, float[] a, float[] b, float[] c, int m, int k, int n, boolean accumulate,
                       int i0, int i1, int j0, int j1) {
        int lanes = width.species().length();
        int stripWidth = nv * lanes;
        int strips = (j1 - j0) / stripWidth;
        int tailStart = j0 + strips * stripWidth;
        int tails = ceilDiv(j1 - tailStart, lanes);
        int panelWidth = strips * stripWidth + tails * lanes;
        Scratch scratch = SCRATCH.get();
        float[] packed = scratch.packed(Math.min(KC, k) * panelWidth);
        float[] tile = scratch.tile(MR * lanes);
        boolean transA = variant == ATB;
        int aRow = transA ? 1 : k;
        int aStep = transA ? m : 1;

        for (int p0 = 0; p0 < k; p0 += KC) {
            int kb = Math.min(KC, k - p0);
            boolean load = accumulate || p0 > 0;
            for (int s = 0; s < strips; s++) {
                pack(variant, b, k, n, p0, kb, j0 + s * stripWidth, stripWidth, stripWidth, packed, s * stripWidth * kb,
                        scratch);
            }
            for (int t = 0; t < tails; t++) {
                int js = tailStart + t * lanes;
                pack(variant, b, k, n, p0, kb, js, lanes, Math.min(lanes, j1 - js), packed,
                        (strips * stripWidth + t * lanes) * kb, scratch);
            }
            for (int ib = i0; ib < i1; ib += Math.min(mc, i1 - ib)) {
                int ie = ib + Math.min(mc, i1 - ib);
                for (int s = 0; s < strips; s++) {
                    int js = j0 + s * stripWidth;
                    for (int i = ib; i < ie; i += MR) {
                        int aOff = transA ? p0 * m + i : i * k + p0;
                        if (nv == 4) {
                            tile6x4(a, aOff, aRow, aStep, Math.min(MR, ie - i), packed, s * stripWidth * kb, kb,
                                    c, i * n + js, n, load);
                        } else if (transA && sideBySide && ie - i >= MR) {
                            tile6x2SideBySide(a, aOff, aStep, packed, s * stripWidth * kb, kb, c, i * n + js, n, load);
                        } else {
                            tile6x2(a, aOff, aRow, aStep, Math.min(MR, ie - i), packed, s * stripWidth * kb, kb,
                                    c, i * n + js, n, load);
                        }
                    }
                }
                for (int t = 0; t < tails; t++) {
                    int js = tailStart + t * lanes;
                    int valid = Math.min(lanes, j1 - js);
                    int bOff = (strips * stripWidth + t * lanes) * kb;
                    for (int i = ib; i < ie; i += MR) {
                        int aOff = transA ? p0 * m + i : i * k + p0;
                        int rows = Math.min(MR, ie - i);
                        if (valid == lanes) {
                            tile6x1(a, aOff, aRow, aStep, rows, packed, bOff, kb, c, i * n + js, n, load);
                        } else {
                            copyRows(c, i * n + js, n, tile, 0, lanes, rows, valid);
                            tile6x1(a, aOff, aRow, aStep, rows, packed, bOff, kb, tile, 0, lanes, load);
                            copyRows(tile, 0, lanes, c, i * n + js, n, rows, valid);
                        }
                    }
                }
            }
        }
    }

    /**
     * Copies {@code B[p0..p0+kb) × [js..js+valid)} into {@code dst} from {@code off}: kb rows of
     * {@code width} floats, zero past {@code valid}.
     */
    private void pack(int variant, float[] b, int k, int n, int p0, int kb, int js, int width, int valid,
                      float[] dst, int off, Scratch scratch) {
        if (variant == ABT) {
            // b is (n,k): B[p][j] = b[j·k + p]. Whole vectors of j are gathered from `lanes` rows of b
            // (index map 0, k, 2k, ...); the rest is copied one float at a time.
            VectorSpecies<Float> s = this.width.species();
            int lanes = s.length();
            int[] rows = scratch.rowOffsets(lanes, k);
            int gathered = valid - valid % lanes;
            for (int jj = 0; jj < gathered; jj += lanes) {
                int src = (js + jj) * k + p0;
                for (int p = 0; p < kb; p++) {
                    FloatVector.fromArray(s, b, src + p, rows, 0).intoArray(dst, off + p * width + jj);
                }
            }
            for (int jj = gathered; jj < valid; jj++) {
                int src = (js + jj) * k + p0;
                for (int p = 0; p < kb; p++) {
                    dst[off + p * width + jj] = b[src + p];
                }
            }
        } else {
            for (int p = 0; p < kb; p++) {
                System.arraycopy(b, (p0 + p) * n + js, dst, off + p * width, valid);
            }
        }
        if (valid < width) {
            for (int p = 0; p < kb; p++) {
                Arrays.fill(dst, off + p * width + valid, off + (p + 1) * width, 0f);
            }
        }
    }

    private static void copyRows(float[] src, int srcOff, int srcStride, float[] dst, int dstOff, int dstStride,
                                 int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, srcOff + r * srcStride, dst, dstOff + r * dstStride, cols);
        }
    }

    /**
     * The register tile: C rows {@code r = 0..5} (clamped to {@code rows - 1}) at {@code cOff + r·ldc},
     * 4 vectors each, (+)= Σ_p A[r][p] · packed[p], with A[r][p] at {@code aOff + r·aRow + p·aStep}.
     */
    private void tile6x4(float[] a, int aOff, int aRow, int aStep, int rows, float[] bp, int bOff, int kb,
                         float[] c, int cOff, int ldc, boolean load) {
        VectorSpecies<Float> s = width.species();
        int l = s.length();
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int r5 = Math.min(5, rows - 1);
        int a0 = aOff;
        int a1 = aOff + r1 * aRow;
        int a2 = aOff + r2 * aRow;
        int a3 = aOff + r3 * aRow;
        int a4 = aOff + r4 * aRow;
        int a5 = aOff + r5 * aRow;
        int c0 = cOff;
        int c1 = cOff + r1 * ldc;
        int c2 = cOff + r2 * ldc;
        int c3 = cOff + r3 * ldc;
        int c4 = cOff + r4 * ldc;
        int c5 = cOff + r5 * ldc;
        FloatVector c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33, c40, c41, c42, c43, c50, c51, c52, c53;
        if (load) {
            c00 = FloatVector.fromArray(s, c, c0); c01 = FloatVector.fromArray(s, c, c0 + l);
            c02 = FloatVector.fromArray(s, c, c0 + 2 * l); c03 = FloatVector.fromArray(s, c, c0 + 3 * l);
            c10 = FloatVector.fromArray(s, c, c1); c11 = FloatVector.fromArray(s, c, c1 + l);
            c12 = FloatVector.fromArray(s, c, c1 + 2 * l); c13 = FloatVector.fromArray(s, c, c1 + 3 * l);
            c20 = FloatVector.fromArray(s, c, c2); c21 = FloatVector.fromArray(s, c, c2 + l);
            c22 = FloatVector.fromArray(s, c, c2 + 2 * l); c23 = FloatVector.fromArray(s, c, c2 + 3 * l);
            c30 = FloatVector.fromArray(s, c, c3); c31 = FloatVector.fromArray(s, c, c3 + l);
            c32 = FloatVector.fromArray(s, c, c3 + 2 * l); c33 = FloatVector.fromArray(s, c, c3 + 3 * l);
            c40 = FloatVector.fromArray(s, c, c4); c41 = FloatVector.fromArray(s, c, c4 + l);
            c42 = FloatVector.fromArray(s, c, c4 + 2 * l); c43 = FloatVector.fromArray(s, c, c4 + 3 * l);
            c50 = FloatVector.fromArray(s, c, c5); c51 = FloatVector.fromArray(s, c, c5 + l);
            c52 = FloatVector.fromArray(s, c, c5 + 2 * l); c53 = FloatVector.fromArray(s, c, c5 + 3 * l);
        } else {
            FloatVector z = FloatVector.zero(s);
            c00 = z; c01 = z; c02 = z; c03 = z; c10 = z; c11 = z; c12 = z; c13 = z;
            c20 = z; c21 = z; c22 = z; c23 = z; c30 = z; c31 = z; c32 = z; c33 = z;
            c40 = z; c41 = z; c42 = z; c43 = z; c50 = z; c51 = z; c52 = z; c53 = z;
        }
        for (int p = 0; p < kb; p++) {
            int q = p * aStep;
            int bo = bOff + p * 4 * l;
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + l);
            FloatVector b2 = FloatVector.fromArray(s, bp, bo + 2 * l);
            FloatVector b3 = FloatVector.fromArray(s, bp, bo + 3 * l);
            FloatVector av = FloatVector.broadcast(s, a[a0 + q]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(s, a[a1 + q]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(s, a[a2 + q]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(s, a[a3 + q]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(s, a[a4 + q]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(s, a[a5 + q]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + l); c02.intoArray(c, c0 + 2 * l); c03.intoArray(c, c0 + 3 * l);
        c10.intoArray(c, c1); c11.intoArray(c, c1 + l); c12.intoArray(c, c1 + 2 * l); c13.intoArray(c, c1 + 3 * l);
        c20.intoArray(c, c2); c21.intoArray(c, c2 + l); c22.intoArray(c, c2 + 2 * l); c23.intoArray(c, c2 + 3 * l);
        c30.intoArray(c, c3); c31.intoArray(c, c3 + l); c32.intoArray(c, c3 + 2 * l); c33.intoArray(c, c3 + 3 * l);
        c40.intoArray(c, c4); c41.intoArray(c, c4 + l); c42.intoArray(c, c4 + 2 * l); c43.intoArray(c, c4 + 3 * l);
        c50.intoArray(c, c5); c51.intoArray(c, c5 + l); c52.intoArray(c, c5 + 2 * l); c53.intoArray(c, c5 + 3 * l);
    }

    /** {@link #tile6x4} for strips two vectors wide: the tile of CPUs with 16 vector registers. */
    private void tile6x2(float[] a, int aOff, int aRow, int aStep, int rows, float[] bp, int bOff, int kb,
                         float[] c, int cOff, int ldc, boolean load) {
        VectorSpecies<Float> s = width.species();
        int l = s.length();
        int r1 = Math.min(1, rows - 1);
        int r2 = Math.min(2, rows - 1);
        int r3 = Math.min(3, rows - 1);
        int r4 = Math.min(4, rows - 1);
        int r5 = Math.min(5, rows - 1);
        int a0 = aOff;
        int a1 = aOff + r1 * aRow;
        int a2 = aOff + r2 * aRow;
        int a3 = aOff + r3 * aRow;
        int a4 = aOff + r4 * aRow;
        int a5 = aOff + r5 * aRow;
        int c0 = cOff;
        int c1 = cOff + r1 * ldc;
        int c2 = cOff + r2 * ldc;
        int c3 = cOff + r3 * ldc;
        int c4 = cOff + r4 * ldc;
        int c5 = cOff + r5 * ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(s, c, c0); c01 = FloatVector.fromArray(s, c, c0 + l);
            c10 = FloatVector.fromArray(s, c, c1); c11 = FloatVector.fromArray(s, c, c1 + l);
            c20 = FloatVector.fromArray(s, c, c2); c21 = FloatVector.fromArray(s, c, c2 + l);
            c30 = FloatVector.fromArray(s, c, c3); c31 = FloatVector.fromArray(s, c, c3 + l);
            c40 = FloatVector.fromArray(s, c, c4); c41 = FloatVector.fromArray(s, c, c4 + l);
            c50 = FloatVector.fromArray(s, c, c5); c51 = FloatVector.fromArray(s, c, c5 + l);
        } else {
            FloatVector z = FloatVector.zero(s);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z;
            c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
        }
        // When A's rows are contiguous (A·B, A·Bᵀ), a loop of their own indexes A by p itself, a stride
        // C2 knows, rather than by p·aStep: 4-7% faster A·B on JDK 17 (bench/RESULTS.md, "Session 6").
        // The two loops do the same arithmetic.
        if (aStep == 1) {
            for (int p = 0; p < kb; p++) {
                int bo = bOff + p * 2 * l;
                FloatVector b0 = FloatVector.fromArray(s, bp, bo);
                FloatVector b1 = FloatVector.fromArray(s, bp, bo + l);
                FloatVector av = FloatVector.broadcast(s, a[a0 + p]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(s, a[a1 + p]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(s, a[a2 + p]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(s, a[a3 + p]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(s, a[a4 + p]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(s, a[a5 + p]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            }
        } else {
            for (int p = 0; p < kb; p++) {
                int q = p * aStep;
                int bo = bOff + p * 2 * l;
                FloatVector b0 = FloatVector.fromArray(s, bp, bo);
                FloatVector b1 = FloatVector.fromArray(s, bp, bo + l);
                FloatVector av = FloatVector.broadcast(s, a[a0 + q]);
                c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
                av = FloatVector.broadcast(s, a[a1 + q]);
                c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
                av = FloatVector.broadcast(s, a[a2 + q]);
                c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
                av = FloatVector.broadcast(s, a[a3 + q]);
                c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
                av = FloatVector.broadcast(s, a[a4 + q]);
                c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
                av = FloatVector.broadcast(s, a[a5 + q]);
                c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
            }
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + l);
        c10.intoArray(c, c1); c11.intoArray(c, c1 + l);
        c20.intoArray(c, c2); c21.intoArray(c, c2 + l);
        c30.intoArray(c, c3); c31.intoArray(c, c3 + l);
        c40.intoArray(c, c4); c41.intoArray(c, c4 + l);
        c50.intoArray(c, c5); c51.intoArray(c, c5 + l);
    }

    /**
     * {@link #tile6x2} for Aᵀ·B with six whole rows: there the tile's six values of A at each p sit side
     * by side, {@code a[q], ..., a[q + 5]} with {@code q = aOff + p·aStep}, so one index and five constant
     * offsets address them. The same arithmetic as tile6x2.
     */
    private void tile6x2SideBySide(float[] a, int aOff, int aStep, float[] bp, int bOff, int kb,
                                   float[] c, int cOff, int ldc, boolean load) {
        VectorSpecies<Float> s = width.species();
        int l = s.length();
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        int c4 = cOff + 4 * ldc;
        int c5 = cOff + 5 * ldc;
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = FloatVector.fromArray(s, c, c0); c01 = FloatVector.fromArray(s, c, c0 + l);
            c10 = FloatVector.fromArray(s, c, c1); c11 = FloatVector.fromArray(s, c, c1 + l);
            c20 = FloatVector.fromArray(s, c, c2); c21 = FloatVector.fromArray(s, c, c2 + l);
            c30 = FloatVector.fromArray(s, c, c3); c31 = FloatVector.fromArray(s, c, c3 + l);
            c40 = FloatVector.fromArray(s, c, c4); c41 = FloatVector.fromArray(s, c, c4 + l);
            c50 = FloatVector.fromArray(s, c, c5); c51 = FloatVector.fromArray(s, c, c5 + l);
        } else {
            FloatVector z = FloatVector.zero(s);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z;
            c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
        }
        for (int p = 0; p < kb; p++) {
            int q = aOff + p * aStep;
            int bo = bOff + p * 2 * l;
            FloatVector b0 = FloatVector.fromArray(s, bp, bo);
            FloatVector b1 = FloatVector.fromArray(s, bp, bo + l);
            FloatVector av = FloatVector.broadcast(s, a[q]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(s, a[q + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(s, a[q + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(s, a[q + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(s, a[q + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(s, a[q + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.intoArray(c, c0); c01.intoArray(c, c0 + l);
        c10.intoArray(c, c1); c11.intoArray(c, c1 + l);
        c20.intoArray(c, c2); c21.intoArray(c, c2 + l);
        c30.intoArray(c, c3); c31.intoArray(c, c3 + l);
        c40.intoArray(c, c4); c41.intoArray(c, c4 + l);
        c50.intoArray(c, c5); c51.intoArray(c, c5 + l);
    }

    /** {@link #tile6x4} for a strip one vector wide (the columns left after the 4-vector strips). */
    private void tile6x1(float[] a, int aOff, int aRow, int aStep, int rows, float[] bp, int bOff, int kb,
                         float[] c, int cOff, int ldc, boolean load) {
        VectorSpecies<Float> s = width.species();
        int l = s.length();
        int a1 = aOff + Math.min(1, rows - 1) * aRow;
        int a2 = aOff + Math.min(2, rows - 1) * aRow;
        int a3 = aOff + Math.min(3, rows - 1) * aRow;
        int a4 = aOff + Math.min(4, rows - 1) * aRow;
        int a5 = aOff + Math.min(5, rows - 1) * aRow;
        int c1 = cOff + Math.min(1, rows - 1) * ldc;
        int c2 = cOff + Math.min(2, rows - 1) * ldc;
        int c3 = cOff + Math.min(3, rows - 1) * ldc;
        int c4 = cOff + Math.min(4, rows - 1) * ldc;
        int c5 = cOff + Math.min(5, rows - 1) * ldc;
        FloatVector c0v, c1v, c2v, c3v, c4v, c5v;
        if (load) {
            c0v = FloatVector.fromArray(s, c, cOff);
            c1v = FloatVector.fromArray(s, c, c1);
            c2v = FloatVector.fromArray(s, c, c2);
            c3v = FloatVector.fromArray(s, c, c3);
            c4v = FloatVector.fromArray(s, c, c4);
            c5v = FloatVector.fromArray(s, c, c5);
        } else {
            FloatVector z = FloatVector.zero(s);
            c0v = z; c1v = z; c2v = z; c3v = z; c4v = z; c5v = z;
        }
        for (int p = 0; p < kb; p++) {
            int q = p * aStep;
            FloatVector bv = FloatVector.fromArray(s, bp, bOff + p * l);
            c0v = FloatVector.broadcast(s, a[aOff + q]).fma(bv, c0v);
            c1v = FloatVector.broadcast(s, a[a1 + q]).fma(bv, c1v);
            c2v = FloatVector.broadcast(s, a[a2 + q]).fma(bv, c2v);
            c3v = FloatVector.broadcast(s, a[a3 + q]).fma(bv, c3v);
            c4v = FloatVector.broadcast(s, a[a4 + q]).fma(bv, c4v);
            c5v = FloatVector.broadcast(s, a[a5 + q]).fma(bv, c5v);
        }
        c0v.intoArray(c, cOff);
        c1v.intoArray(c, c1);
        c2v.intoArray(c, c2);
        c3v.intoArray(c, c3);
        c4v.intoArray(c, c4);
        c5v.intoArray(c, c5);
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Per-thread buffers; they only grow. */
    private static final class Scratch {
        private float[] packed = new float[0];
        private float[] tile = new float[0];
        private int[] rowOffsets = new int[0];
        private int rowOffsetsK = -1;
        private final Task task = new Task();

        float[] packed(int size) {
            if (packed.length < size) {
                packed = new float[size];
            }
            return packed;
        }

        /** {@code 0, k, 2k, ...}: the offsets of {@code lanes} consecutive rows of a matrix with k columns. */
        int[] rowOffsets(int lanes, int k) {
            if (rowOffsets.length != lanes || rowOffsetsK != k) {
                if (rowOffsets.length != lanes) {
                    rowOffsets = new int[lanes];
                }
                for (int i = 0; i < lanes; i++) {
                    rowOffsets[i] = i * k;
                }
                rowOffsetsK = k;
            }
            return rowOffsets;
        }

        float[] tile(int size) {
            if (tile.length < size) {
                tile = new float[size];
            }
            return tile;
        }
    }

    /**
     * One product handed to {@link Parallel}: part {@code p} of {@code parts} computes a range of whole
     * column strips ({@code byColumns}) or of whole 6-row tiles. Reused per calling thread.
     */
    private static final class Task implements Parallel.Task {
        private SimdGemm gemm;
        private int variant;
        private float[] a;
        private float[] b;
        private float[] c;
        private int m;
        private int k;
        private int n;
        private boolean accumulate;
        private boolean byColumns;
        private int units;
        /** Columns per unit (a strip) when splitting by columns, rows per unit (a tile) otherwise. */
        private int unitSize;

        void set(SimdGemm gemm, int variant, float[] a, float[] b, float[] c, int m, int k, int n,
                 boolean accumulate, boolean byColumns, int units, int unitSize) {
            this.gemm = gemm;
            this.variant = variant;
            this.a = a;
            this.b = b;
            this.c = c;
            this.m = m;
            this.k = k;
            this.n = n;
            this.accumulate = accumulate;
            this.byColumns = byColumns;
            this.units = units;
            this.unitSize = unitSize;
        }

        void clear() {
            gemm = null;
            a = null;
            b = null;
            c = null;
        }

        @Override
        public void run(int part, int parts) {
            int u0 = (int) ((long) units * part / parts);
            int u1 = (int) ((long) units * (part + 1) / parts);
            int from = u0 * unitSize;
            if (byColumns) {
                gemm.block(variant, a, b, c, m, k, n, accumulate, 0, m, from, Math.min(n, u1 * unitSize));
            } else {
                gemm.block(variant, a, b, c, m, k, n, accumulate, from, Math.min(m, u1 * unitSize), 0, n);
            }
        }
    }
}
