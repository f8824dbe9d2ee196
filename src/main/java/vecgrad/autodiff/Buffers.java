package vecgrad.autodiff;

import java.util.Arrays;
import vecgrad.tensor.Tensor;

/**
 * The one place where ops and the tape allocate their outputs and gradients: from the thread's open
 * {@link BufferPool} scope if there is one, otherwise new.
 *
 * <p>The contents of a tensor from {@link #tensor} or {@link #like} are unspecified: callers write
 * every element (new tensors are zeros; pooled ones hold the previous step's values).
 */
final class Buffers {

    private Buffers() {
    }

    /** A new tensor of the given shape, contents unspecified. */
    static Tensor tensor(int... shape) {
        BufferPool pool = BufferPool.active();
        return pool == null ? Tensor.zeros(shape) : pool.take(shape);
    }

    /** A new tensor of {@code t}'s shape, contents unspecified. */
    static Tensor like(Tensor t) {
        BufferPool pool = BufferPool.active();
        return pool == null ? Tensor.zeros(t.shape()) : pool.takeLike(t);
    }

    /** A new tensor holding a copy of {@code t}'s elements, with its shape. */
    static Tensor copyOf(Tensor t) {
        Tensor c = like(t);
        System.arraycopy(t.data(), 0, c.data(), 0, t.size());
        return c;
    }

    /** A new tensor of the given shape with every element equal to {@code value}. */
    static Tensor filled(float value, int... shape) {
        Tensor t = tensor(shape);
        Arrays.fill(t.data(), value);
        return t;
    }
}
