package vecgrad.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class ParallelTest {

    private int savedThreads;

    @BeforeEach
    void saveThreads() {
        savedThreads = Parallel.threads();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void setThreads_belowOneRejected() {
        for (int n : new int[] {0, -3}) {
            assertThatThrownBy(() -> Parallel.setThreads(n))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(">= 1").hasMessageContaining(String.valueOf(n));
        }
        assertThat(Parallel.threads()).isEqualTo(savedThreads);
    }

    @Test
    void setThreads_changesTheCount() {
        Parallel.setThreads(5);
        assertThat(Parallel.threads()).isEqualTo(5);
        Parallel.setThreads(1);
        assertThat(Parallel.threads()).isEqualTo(1);
    }

    @Test
    void parseThreads_propertyValues() {
        assertThat(Parallel.parseThreads(null, 4)).isEqualTo(4);
        assertThat(Parallel.parseThreads("  ", 4)).isEqualTo(4);
        assertThat(Parallel.parseThreads(" 3 ", 4)).isEqualTo(3);
        assertThat(Parallel.parseThreads(null, 0)).isEqualTo(1);
        for (String bad : new String[] {"0", "-2", "two", "1.5"}) {
            assertThatThrownBy(() -> Parallel.parseThreads(bad, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("vecgrad.threads").hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void run_everyPartOnceConcurrentlyOnDaemonWorkers() {
        Parallel.setThreads(3);
        for (int round = 0; round < 50; round++) {
            AtomicIntegerArray counts = new AtomicIntegerArray(3);
            Set<Thread> ranOn = ConcurrentHashMap.newKeySet();
            // All three parts must be running at once to pass the barrier: three threads took part.
            CyclicBarrier together = new CyclicBarrier(3);
            Parallel.run((part, parts) -> {
                assertThat(parts).isEqualTo(3);
                counts.incrementAndGet(part);
                ranOn.add(Thread.currentThread());
                try {
                    together.await(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("the parts did not run concurrently", e);
                }
            }, 3);
            for (int p = 0; p < 3; p++) {
                assertThat(counts.get(p)).as("part %d in round %d", p, round).isEqualTo(1);
            }
            assertThat(ranOn).hasSize(3).contains(Thread.currentThread());
            assertThat(ranOn).filteredOn(t -> t != Thread.currentThread()).allMatch(Thread::isDaemon);
        }
    }

    @Test
    void run_morePartsThanThreads() {
        Parallel.setThreads(2);
        AtomicIntegerArray counts = new AtomicIntegerArray(7);
        Parallel.run((part, parts) -> counts.incrementAndGet(part), 7);
        for (int p = 0; p < 7; p++) {
            assertThat(counts.get(p)).isEqualTo(1);
        }
    }

    @Test
    void run_fewerPartsThanThreads() {
        Parallel.setThreads(3);
        AtomicInteger total = new AtomicInteger();
        Parallel.run((part, parts) -> total.addAndGet(part + 10), 2);
        assertThat(total.get()).isEqualTo(21);
    }

    @Test
    void run_failureOfAWorkerPartRethrownAfterAllParts() {
        Parallel.setThreads(2);
        AtomicInteger finished = new AtomicInteger();
        assertThatThrownBy(() -> Parallel.run((part, parts) -> {
            if (part == 1) {
                throw new IllegalStateException("part one failed");
            }
            finished.incrementAndGet();
        }, 2)).isInstanceOf(IllegalStateException.class).hasMessage("part one failed");
        assertThat(finished.get()).isEqualTo(1);
        // The workers survive a failed task.
        AtomicInteger after = new AtomicInteger();
        Parallel.run((part, parts) -> after.incrementAndGet(), 2);
        assertThat(after.get()).isEqualTo(2);
    }

    @Test
    void run_nestedCallRunsInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicInteger inner = new AtomicInteger();
        AtomicInteger elsewhere = new AtomicInteger();
        Parallel.run((part, parts) -> {
            Thread outer = Thread.currentThread();
            Parallel.run((p, n) -> {
                inner.incrementAndGet();
                if (Thread.currentThread() != outer) {
                    elsewhere.incrementAndGet();
                }
            }, 2);
        }, 2);
        assertThat(inner.get()).isEqualTo(4);
        assertThat(elsewhere.get()).isZero();
    }

    @Test
    void run_concurrentCallersBothComplete() throws InterruptedException {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Runnable caller = () -> {
            for (int i = 0; i < 2000; i++) {
                Parallel.run((part, parts) -> total.incrementAndGet(), 2);
            }
        };
        Thread other = new Thread(caller);
        other.start();
        caller.run();
        other.join();
        assertThat(total.get()).isEqualTo(2 * 2000 * 2);
    }

    @Test
    void run_afterWorkersParked() throws InterruptedException {
        Parallel.setThreads(2);
        AtomicInteger total = new AtomicInteger();
        Parallel.run((part, parts) -> total.incrementAndGet(), 2);
        Thread.sleep(5); // well past the 200 µs spin: the worker parks
        Parallel.run((part, parts) -> total.incrementAndGet(), 2);
        assertThat(total.get()).isEqualTo(4);
    }
}
