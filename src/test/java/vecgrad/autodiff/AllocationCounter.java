package vecgrad.autodiff;

import java.lang.reflect.Method;
import java.util.function.LongSupplier;

/**
 * HotSpot's bytes-allocated counter for the current thread. Looked up reflectively: the test classes
 * are compiled inside the vecgrad module, which does not read java.management.
 */
public final class AllocationCounter {

    private AllocationCounter() {
    }

    /** The counter, or null when this JVM has none. */
    public static LongSupplier currentThread() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            if (!hotspot.isInstance(bean) || !(Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            Method counter = hotspot.getMethod("getCurrentThreadAllocatedBytes");
            return () -> {
                try {
                    return (Long) counter.invoke(bean);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }
}
