package vecgrad.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads the matrix kernels split their work over.
 *
 * <p>The count defaults to the system property {@code vecgrad.threads}, or else to
 * {@link Runtime#availableProcessors()}. Results do not depend on it: work is split by output rows
 * or columns only, so each output element is computed by one thread in the same order.
 */
public final class Parallel {

    /*
     * How: threads() - 1 daemon workers, created on first use. The caller publishes a task to each
     * worker through a volatile sequence number, runs part 0 itself, then waits for the workers.
     * An idle worker spins for SPIN_NANOS before it parks, so back-to-back kernels (a training step)
     * hand work over in well under a microsecond; a ForkJoinPool hand-off costs 20-25 µs here, more
     * than a whole 128x128·128x64 product (bench/RESULTS.md).
     * One caller at a time owns the workers; a second concurrent caller, or a task that calls a
     * kernel from inside a worker, runs all its parts itself.
     */

    /** A piece of work split into {@code parts}; each part runs once, on some thread. */
    interface Task {
        void run(int part, int parts);
    }

    private static final long SPIN_NANOS = 200_000;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static volatile int threads = parseThreads(System.getProperty("vecgrad.threads"),
            Runtime.getRuntime().availableProcessors());
    /** Guarded by BUSY. */
    private static Worker[] workers = new Worker[0];

    private Parallel() {
    }

    /** The number of threads kernels use, including the calling thread. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads kernels use (1 = the calling thread only). Workers beyond the new
     * count stay parked, ready for a later increase.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        }
        threads = n;
    }

    static int parseThreads(String value, int processors) {
        if (value == null || value.isBlank()) {
            return Math.max(1, processors);
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("vecgrad.threads must be an integer >= 1, got '" + value + "'");
    }

    /**
     * Runs {@code task} for parts {@code 0..parts-1} and returns when all are done: part 0 on the calling
     * thread, the others on workers. {@code parts} must not exceed {@link #threads()}. An exception
     * thrown by a part is rethrown here after every part has finished.
     */
    static void run(Task task, int parts) {
        if (parts <= 1 || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                task.run(p, parts);
            }
            return;
        }
        try {
            Worker[] ws = workersFor(parts - 1);
            for (int i = 0; i < parts - 1; i++) {
                ws[i].assign(task, i + 1, parts);
            }
            Throwable failure = null;
            try {
                task.run(0, parts);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            for (int i = 0; i < parts - 1; i++) {
                Throwable t = ws[i].await();
                if (failure == null) {
                    failure = t;
                }
            }
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
        } finally {
            BUSY.set(false);
        }
    }

    /** The first {@code count} workers, started as needed. Called with BUSY held. */
    private static Worker[] workersFor(int count) {
        if (workers.length < count) {
            Worker[] grown = new Worker[count];
            System.arraycopy(workers, 0, grown, 0, workers.length);
            for (int i = workers.length; i < count; i++) {
                grown[i] = new Worker(i + 1);
                grown[i].start();
            }
            workers = grown;
        }
        return workers;
    }

    private static final class Worker extends Thread {
        /** Written by the owner before {@link #issued}; read by the worker after it sees the new value. */
        private Task task;
        private int part;
        private int parts;
        private Throwable failure;

        private volatile long issued;
        private volatile long done;
        private volatile boolean parked;

        Worker(int index) {
            super("vecgrad-kernel-" + index);
            setDaemon(true);
        }

        void assign(Task t, int p, int n) {
            task = t;
            part = p;
            parts = n;
            failure = null;
            issued = issued + 1;
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        /** Waits for the current task; returns what it threw, or null. */
        Throwable await() {
            long target = issued;
            while (done != target) {
                Thread.onSpinWait();
            }
            task = null;
            return failure;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long idleSince = System.nanoTime();
                while (issued == seen) {
                    if (System.nanoTime() - idleSince < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        // The owner writes `issued` then reads `parked`; we write `parked` then read
                        // `issued`: one of us sees the other, so a wake-up is never lost.
                        parked = true;
                        if (issued == seen) {
                            LockSupport.park(this);
                        }
                        parked = false;
                    }
                }
                seen = issued;
                try {
                    task.run(part, parts);
                } catch (Throwable t) {
                    failure = t;
                }
                done = seen;
            }
        }
    }
}
