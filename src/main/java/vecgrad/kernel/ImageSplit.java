package vecgrad.kernel;

/**
 * Runs a per-image kernel (im2col, col2im, pooling) over the batch, split into ranges of whole
 * images over {@link Parallel}'s threads when the work is large enough to pay for the hand-off.
 *
 * <p>The kernels it runs write each output element from one image range only, in the order a single
 * thread would, so their results are the same bits for every thread count and every split.
 */
final class ImageSplit {

    /** A kernel over images {@code [b0, b1)} of the batch; {@code a}, {@code b}, {@code c} are its arrays. */
    @FunctionalInterface
    interface Op {
        void run(float[] a, float[] b, float[] c, Im2col.Geometry g, int b0, int b1);
    }

    /** The least work (floats touched) worth splitting over threads: below it the hand-off costs more. */
    static final long PARALLEL_FLOATS = 1L << 16;
    /** Image ranges per thread: a descheduled worker then holds back a smaller share (Parallel claims parts). */
    private static final int PARTS_PER_THREAD = 4;
    private static final ThreadLocal<Task> TASK = ThreadLocal.withInitial(Task::new);

    private ImageSplit() {
    }

    /**
     * Runs {@code op} over all {@code g.n()} images. {@code op} should be a method reference to a
     * static method (one object for the program's life), so that a call allocates nothing.
     */
    static void run(Op op, float[] a, float[] b, float[] c, Im2col.Geometry g, long work) {
        int threads = Parallel.threads();
        int parts = threads > 1 && work >= PARALLEL_FLOATS ? Math.min(g.n(), threads * PARTS_PER_THREAD) : 1;
        if (parts <= 1) {
            op.run(a, b, c, g, 0, g.n());
            return;
        }
        Task task = TASK.get();
        task.set(op, a, b, c, g);
        try {
            Parallel.run(task, parts);
        } finally {
            task.clear();
        }
    }

    /** One call split by images; one per calling thread, reused, so a call allocates nothing. */
    private static final class Task implements Parallel.Task {
        private Op op;
        private float[] a;
        private float[] b;
        private float[] c;
        private Im2col.Geometry g;

        void set(Op op, float[] a, float[] b, float[] c, Im2col.Geometry g) {
            this.op = op;
            this.a = a;
            this.b = b;
            this.c = c;
            this.g = g;
        }

        void clear() {
            op = null;
            a = null;
            b = null;
            c = null;
            g = null;
        }

        @Override
        public void run(int part, int parts) {
            int n = g.n();
            op.run(a, b, c, g, (int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts));
        }
    }
}
