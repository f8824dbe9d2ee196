package vecgrad.kernel;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
     * How: threads() - 1 daemon workers, created on first use. A job is published in one atomic
     * long, CLAIM = generation (32 bits) | parts (16) | next unclaimed part (16). The caller and
     * every worker that sees the new generation claim parts by CAS until none is left, and the
     * caller waits until all parts are completed. Claiming, rather than assigning part p to worker
     * p, matters on a shared machine: when a worker is descheduled, the caller runs its part instead
     * of spinning until the worker is back. A late worker's CAS fails on the changed CLAIM, so it
     * never runs a part of a later job.
     *
     * An idle worker spins, then spins with Thread.yield (so that on a busy machine it does not
     * starve a caller sharing its core), and parks after SPIN_NANOS. Back-to-back kernels (a
     * training step) so hand work over in under a microsecond; a ForkJoinPool hand-off measured
     * 20-25 µs on these machines, more than a whole 128x128·128x64 product (about 10 µs, see
     * bench/RESULTS.md). Each park costs the caller one unpark at most. One caller at a time owns
     * the workers; a second concurrent caller, or a task that calls a kernel from inside a part,
     * runs all its parts itself.
     */

    /** A piece of work split into {@code parts}; each part runs once, on some thread. */
    interface Task {
        void run(int part, int parts);
    }

    private static final long SPIN_NANOS = 200_000;
    private static final int MAX_PARTS = 0xFFFF;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicLong CLAIM = new AtomicLong();
    private static final AtomicInteger COMPLETED = new AtomicInteger();
    private static final AtomicReference<Throwable> FAILURE = new AtomicReference<>();
    /** The current job's task; written before CLAIM publishes the job. */
    private static volatile Task job;
    /** 0 until first asked for: a bad {@code vecgrad.threads} then fails each call with its message. */
    private static volatile int threads;
    /** Guarded by BUSY. */
    private static Worker[] workers = new Worker[0];
    /** Guarded by BUSY. */
    private static int generation;

    private Parallel() {
    }

    /** The number of threads kernels use, including the calling thread. */
    public static int threads() {
        int n = threads;
        if (n == 0) {
            n = parseThreads(System.getProperty("vecgrad.threads"), Runtime.getRuntime().availableProcessors());
            threads = n;
        }
        return n;
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
     * Runs {@code task} for parts {@code 0..parts-1} and returns when all are done, each part on the
     * calling thread or a worker. An exception thrown by a part is rethrown here after every part has
     * finished.
     */
    static void run(Task task, int parts) {
        if (parts > MAX_PARTS) {
            throw new IllegalArgumentException("at most " + MAX_PARTS + " parts, got " + parts);
        }
        if (parts <= 1 || threads == 1 || !BUSY.compareAndSet(false, true)) {
            for (int p = 0; p < parts; p++) {
                task.run(p, parts);
            }
            return;
        }
        try {
            int helpers = Math.min(parts, threads) - 1;
            Worker[] ws = workersFor(helpers);
            job = task;
            COMPLETED.set(0);
            FAILURE.set(null);
            generation++;
            CLAIM.set((long) generation << 32 | (long) parts << 16);
            for (int i = 0; i < helpers; i++) {
                ws[i].wake();
            }
            claimAndRun(generation);
            while (COMPLETED.get() < parts) {
                Thread.onSpinWait();
            }
            Throwable failure = FAILURE.get();
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException("a kernel part failed", failure);
            }
        } finally {
            job = null;
            FAILURE.set(null);
            BUSY.set(false);
        }
    }

    /** Runs unclaimed parts of job {@code gen} until none is left. */
    private static void claimAndRun(int gen) {
        while (true) {
            long c = CLAIM.get();
            int parts = (int) (c >>> 16) & MAX_PARTS;
            int next = (int) c & MAX_PARTS;
            if ((int) (c >>> 32) != gen || next >= parts) {
                return;
            }
            if (CLAIM.compareAndSet(c, c + 1)) {
                // The job cannot complete while this part is unfinished, so `job` is still its task.
                try {
                    job.run(next, parts);
                } catch (Throwable t) {
                    FAILURE.compareAndSet(null, t);
                }
                COMPLETED.incrementAndGet();
            }
        }
    }

    /** The first {@code count} workers, started as needed. Called with BUSY held. */
    private static Worker[] workersFor(int count) {
        if (workers.length < count) {
            Worker[] grown = new Worker[count];
            System.arraycopy(workers, 0, grown, 0, workers.length);
            for (int i = workers.length; i < count; i++) {
                grown[i] = new Worker(i + 1, generation);
                grown[i].start();
            }
            workers = grown;
        }
        return workers;
    }

    private static final class Worker extends Thread {
        /** True from just before the worker parks until a caller claims the wake-up, so each park costs one unpark. */
        private final AtomicBoolean parked = new AtomicBoolean();
        /** The last generation this worker has seen; set at creation, before the job it is created for is published. */
        private int seen;

        Worker(int index, int seen) {
            super("vecgrad-kernel-" + index);
            setDaemon(true);
            this.seen = seen;
        }

        /** Called by the caller after publishing a job. */
        void wake() {
            if (parked.get() && parked.compareAndSet(true, false)) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            while (true) {
                long idleSince = System.nanoTime();
                int gen;
                while ((gen = (int) (CLAIM.get() >>> 32)) == seen) {
                    long idle = System.nanoTime() - idleSince;
                    if (idle < SPIN_NANOS / 4) {
                        Thread.onSpinWait();
                    } else if (idle < SPIN_NANOS) {
                        // Lets the caller run if the scheduler has put both on one core (a busy machine).
                        Thread.yield();
                    } else {
                        // The caller writes CLAIM then reads `parked`; we write `parked` then read
                        // CLAIM: one of us sees the other, so a wake-up is never lost.
                        parked.set(true);
                        if ((int) (CLAIM.get() >>> 32) == seen) {
                            LockSupport.park(this);
                        }
                        parked.set(false);
                    }
                }
                seen = gen;
                claimAndRun(gen);
            }
        }
    }
}
