package vecgrad.kernel;

/** Prints what the benchmark JVM runs with, for the header of bench/RESULTS.md. */
public final class BenchInfo {

    private BenchInfo() {
    }

    public static void main(String[] args) {
        System.out.println("kernels=" + KernelProvider.simd(0).name());
        System.out.println("processors=" + Runtime.getRuntime().availableProcessors());
    }
}
