package vecgrad.app;

import vecgrad.kernel.KernelProvider;

/** The {@code mnist.jar} entry point. */
public final class Main {

    private Main() {
    }

    /** Runs the command line. */
    public static void main(String[] args) {
        System.out.println("vecgrad: kernels " + KernelProvider.get().name());
    }
}
