package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.List;
import vecgrad.tensor.Tensor;

/**
 * Recycles the tensors that ops and tapes create, from one training step to the next, so that a
 * training loop stops allocating its activations and gradients after the first step.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool();
 * for (Batches.Batch b : batches) {
 *     try (BufferPool.Scope step = pool.enter(); GradientTape tape = new GradientTape()) {
 *         Tensor loss = lossFn.call(b.y(), model.call(b.x()));
 *         optimizer.applyGradients(tape.gradient(loss, vars), vars);
 *     }   // every tensor made inside the scope may be overwritten by the next step
 * }
 * }</pre>
 *
 * <p>Contract: while a scope is open on a thread, every tensor an op or a tape creates on that thread
 * comes from the pool, and stays valid until the pool's next scope opens; copy anything that must live
 * longer ({@code loss.item()}, {@code tensor.copy()}). Results are bit-for-bit those of a loop without
 * a pool: ops write every element of the tensors they create, so stale contents never leak.
 *
 * <p>A pool is meant for steps that repeat the same ops on the same shapes; it still works when they
 * differ, by replacing the tensors that do not fit (use one pool per batch size to avoid that at the
 * end of an epoch). One pool serves one thread at a time. Scopes of different pools nest: the
 * innermost open scope supplies the tensors, and closing it hands back to the one around it.
 */
public final class BufferPool {

    /*
     * The i-th tensor created in a scope is the i-th tensor of the previous scope when the shapes agree:
     * a training step runs the same ops in the same order every time, so the allocation sequence is the
     * same, and matching by position needs no hashing and no free lists.
     */

    /** An open scope of a pool; closing it ends the step. */
    public interface Scope extends AutoCloseable {
        /** Ends the scope; closing it again does nothing. */
        @Override
        void close();
    }

    private static final ThreadLocal<BufferPool> ACTIVE = new ThreadLocal<>();

    private final List<Tensor> tensors = new ArrayList<>();
    private int next;
    private int created;
    private boolean open;

    /** An empty pool. */
    public BufferPool() {
    }

    /**
     * Opens a scope on this thread: tensors created until it closes come from this pool, reusing those
     * of this pool's previous scope.
     *
     * @return the scope; closing it makes the previously active pool (or none) active again
     * @throws IllegalStateException if a scope of this pool is already open
     */
    public Scope enter() {
        if (open) {
            throw new IllegalStateException("this BufferPool already has an open scope; close it before entering again");
        }
        BufferPool outer = ACTIVE.get();
        ACTIVE.set(this);
        open = true;
        next = 0;
        return new Scope() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    open = false;
                    if (outer == null) {
                        ACTIVE.remove();
                    } else {
                        ACTIVE.set(outer);
                    }
                }
            }
        };
    }

    /**
     * How many tensors the pool has created so far (it stops growing once steps repeat).
     *
     * @return the number of tensors allocated since the pool was made, counting replacements of a changed shape
     */
    public int tensorsCreated() {
        return created;
    }

    /**
     * A tensor of {@code shape} for a step's own use, such as a layer's dropout mask: from this thread's
     * open scope, as ops take their outputs (valid until that pool's next scope), or new outside one.
     * Its contents are unspecified: write every element.
     *
     * @param shape the shape
     * @return the tensor
     */
    public static Tensor tensor(int... shape) {
        return Buffers.tensor(shape);
    }

    /** The pool open on this thread, or null. */
    static BufferPool active() {
        return ACTIVE.get();
    }

    /** Whether a scope of this pool is open. */
    boolean isOpen() {
        return open;
    }

    /**
     * Gives up the pool's tensors that hold {@code data}, so that no later scope reuses that array: for
     * a tensor that leaves the step, such as a gradient the tape returns. Their slots get new tensors.
     */
    void release(float[] data) {
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = tensors.get(i);
            if (t != null && t.data() == data) {
                tensors.set(i, null);
            }
        }
    }

    /** The next tensor of this shape; contents unspecified. */
    Tensor take(int[] shape) {
        Tensor t;
        if (next < tensors.size() && tensors.get(next) != null && tensors.get(next).hasShape(shape)) {
            t = tensors.get(next);
        } else {
            t = replace(shape);
        }
        next++;
        return t;
    }

    /** The next tensor of {@code like}'s shape, without copying that shape when the slot fits. */
    Tensor takeLike(Tensor like) {
        Tensor t;
        if (next < tensors.size() && tensors.get(next) != null && tensors.get(next).sameShape(like)) {
            t = tensors.get(next);
        } else {
            t = replace(like.shape());
        }
        next++;
        return t;
    }

    /** A new tensor for the next slot, which is empty or holds another shape. */
    private Tensor replace(int[] shape) {
        Tensor t = Tensor.zeros(shape);
        created++;
        if (next < tensors.size()) {
            tensors.set(next, t);
        } else {
            tensors.add(t);
        }
        return t;
    }
}
