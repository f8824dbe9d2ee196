package vecgrad.optim;

import java.util.concurrent.atomic.AtomicReference;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.NonFiniteException;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Argument checks and per-variable slot storage shared by the optimizers. */
final class OptimizerSupport<S> {

    private final Map<Variable, S> slots = new IdentityHashMap<>();
    /** The thread inside applyGradients, or null. */
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private final Function<Variable, S> newSlot;

    OptimizerSupport(Function<Variable, S> newSlot) {
        this.newSlot = newSlot;
    }

    /** The slot of {@code v}, created on first sight. */
    S slot(Variable v) {
        S s = slots.get(v);
        if (s == null) {
            s = newSlot.apply(v);
            slots.put(v, s);
        }
        return s;
    }

    /*
     * Why an optimizer refuses concurrent steps instead of locking: two threads stepping one optimizer
     * (or one model) interleave their read-modify-write updates of the weights and slots, so updates are
     * lost and the result matches no sequential order. Serialising them would hide that the caller's
     * design is wrong; one model and optimizer per thread is the supported way.
     */

    /**
     * Claims the optimizer for one step on the calling thread.
     *
     * @throws IllegalStateException if a step of this optimizer is running (on any thread)
     */
    void begin(String optimizer) {
        Thread other = owner.compareAndExchange(null, Thread.currentThread());
        if (other != null) {
            throw new IllegalStateException(optimizer + ".applyGradients: a step of this optimizer is already running on"
                    + " thread '" + other.getName() + "'; an optimizer (and a model) is not thread-safe: train one"
                    + " model with its own optimizer per thread");
        }
    }

    /** Releases the claim of {@link #begin}. */
    void end() {
        owner.set(null);
    }

    /**
     * Refuses a step whose gradients hold a NaN or an infinity, before any variable is updated, so the
     * weights stay those of the last good step.
     */
    static void requireFiniteGradients(String optimizer, long step, List<? extends Tensor> gradients,
                                       List<Variable> variables, Kernels kernels) {
        for (int i = 0; i < gradients.size(); i++) {
            Tensor g = gradients.get(i);
            if (g == null) {
                continue;
            }
            int bad = kernels.firstNonFinite(g.data(), g.size());
            if (bad >= 0) {
                throw NonFiniteException.of(optimizer + " step " + step + ": ", "the gradient of "
                        + variables.get(i).name(), g.data(), g.size(), bad, "no variable was updated");
            }
        }
    }

    /**
     * Refuses weights that the step made non-finite although the gradients were finite: an overflow,
     * from a learning rate far too large.
     */
    static void requireFiniteWeights(String optimizer, long step, float learningRate, List<? extends Tensor> gradients,
                                     List<Variable> variables, Kernels kernels) {
        for (int i = 0; i < variables.size(); i++) {
            if (gradients.get(i) == null) {
                continue;
            }
            Variable w = variables.get(i);
            int bad = kernels.firstNonFinite(w.data(), w.size());
            if (bad >= 0) {
                throw NonFiniteException.of(optimizer + " step " + step + ": ", w.name() + " after the update",
                        w.data(), w.size(), bad, "the gradients were finite: the update overflowed (learning rate "
                                + learningRate + ")");
            }
        }
    }

    /** Validates one applyGradients call before any variable is touched. */
    static void check(String optimizer, List<? extends Tensor> gradients, List<Variable> variables) {
        Objects.requireNonNull(gradients, "gradients");
        Objects.requireNonNull(variables, "variables");
        if (gradients.size() != variables.size()) {
            throw new IllegalArgumentException(optimizer + ".applyGradients: expected one gradient per variable, got "
                    + gradients.size() + " gradients for " + variables.size() + " variables");
        }
        boolean any = false;
        for (int i = 0; i < variables.size(); i++) {
            Variable v = variables.get(i);
            Tensor g = gradients.get(i);
            if (v == null) {
                throw new NullPointerException(optimizer + ".applyGradients: variable " + i + " is null");
            }
            if (!v.trainable()) {
                throw new IllegalArgumentException(optimizer + ".applyGradients: variable '" + v.name() + "' is not trainable");
            }
            for (int j = 0; j < i; j++) {   // quadratic, but a model has few variables and this allocates nothing
                if (variables.get(j) == v) {
                    throw new IllegalArgumentException(optimizer + ".applyGradients: variable '" + v.name()
                            + "' appears twice");
                }
            }
            if (g == null) {
                continue;
            }
            any = true;
            if (!g.sameShape(v)) {
                throw new IllegalArgumentException(optimizer + ".applyGradients: gradient " + i + " has shape "
                        + g.shapeString() + " but variable '" + v.name() + "' has shape " + v.shapeString());
            }
        }
        if (!any && !variables.isEmpty()) {
            throw new IllegalArgumentException(optimizer + ".applyGradients: every gradient is null: the loss does not"
                    + " depend on any of the " + variables.size() + " variables");
        }
    }

    static float checkRate(String name, float value) {
        if (!(value > 0) || !Float.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    static float checkFraction(String name, float value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }
}
