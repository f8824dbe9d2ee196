package vecgrad.optim;

import vecgrad.kernel.Kernels;
import vecgrad.tensor.NonFiniteException;

import java.util.List;
import java.util.Objects;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** Argument checks shared by the optimizers. */
final class OptimizerSupport {

    private OptimizerSupport() {
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

    /** A learning rate (or epsilon): finite and {@code > 0}, also once rounded to float. */
    static double checkRate(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value) || !((float) value > 0) || !Float.isFinite((float) value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** A decay rate such as beta or rho: in {@code [0, 1)}. */
    static double checkFraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
        }
        return value;
    }

    /**
     * The double a float hyper-parameter stands for: the decimal it prints as ({@code 0.999f} is 0.999),
     * so that {@code 1 - beta2} computed from it in double is Keras' {@code 1 - 0.999}, not
     * {@code 1 - 0.99900001287} (0.00099998713 as a float instead of 0.001).
     */
    static double decimal(float value) {
        return Float.isFinite(value) ? Double.parseDouble(Float.toString(value)) : value;
    }
}
