package vecgrad.optim;

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
