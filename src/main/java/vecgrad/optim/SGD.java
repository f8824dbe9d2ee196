package vecgrad.optim;

import java.util.List;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Stochastic gradient descent with optional momentum and Nesterov momentum, with Keras' defaults
 * (learning rate 0.01, momentum 0, no Nesterov) and Keras' update:
 * <pre>
 * momentum = 0:  w -= lr · g
 * otherwise:     u = momentum · u - lr · g
 *                w += u                         (plain)
 *                w += momentum · u - lr · g     (Nesterov)
 * </pre>
 * The Nesterov step is applied as two additions to w, {@code w += momentum·u; w -= lr·g}, which
 * rounds differently from Keras' single addition in the last bit.
 */
public final class SGD implements Optimizer {

    private float learningRate;
    private final float momentum;
    private final boolean nesterov;
    private final OptimizerSupport<float[]> velocities = new OptimizerSupport<>(v -> new float[v.size()]);
    private final Kernels kernels = KernelProvider.get();
    private long iterations;

    /** SGD with Keras' defaults: learning rate 0.01, no momentum. */
    public SGD() {
        this(0.01f);
    }

    /**
     * Plain SGD with the given learning rate.
     *
     * @param learningRate the step size, positive and finite
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite
     */
    public SGD(float learningRate) {
        this(learningRate, 0f, false);
    }

    /**
     * SGD with momentum.
     *
     * @param learningRate the step size, positive and finite (Keras' default 0.01)
     * @param momentum     the fraction of the previous velocity kept at each step, in [0, 1); 0 for plain SGD
     * @param nesterov     whether to apply Nesterov's momentum, which looks ahead along the velocity
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite, {@code momentum} in [0, 1),
     *     and {@code nesterov} only with a momentum
     */
    public SGD(float learningRate, float momentum, boolean nesterov) {
        this.learningRate = OptimizerSupport.checkRate("learningRate", learningRate);
        this.momentum = OptimizerSupport.checkFraction("momentum", momentum);
        if (nesterov && momentum == 0f) {
            throw new IllegalArgumentException("nesterov needs a momentum > 0, got momentum=0");
        }
        this.nesterov = nesterov;
    }

    @Override
    public void applyGradients(List<? extends Tensor> gradients, List<Variable> variables) {
        OptimizerSupport.check("SGD", gradients, variables);
        velocities.begin("SGD");
        try {
            long t = iterations + 1;
            OptimizerSupport.requireFiniteGradients("SGD", t, gradients, variables, kernels);
            for (int i = 0; i < variables.size(); i++) {
                Tensor g = gradients.get(i);
                if (g == null) {
                    continue;
                }
                Variable w = variables.get(i);
                int n = w.size();
                if (momentum == 0f) {
                    kernels.axpy(-learningRate, g.data(), w.data(), n);
                    continue;
                }
                float[] u = velocities.slot(w);
                kernels.scale(momentum, u, u, n);
                kernels.axpy(-learningRate, g.data(), u, n);
                if (nesterov) {
                    kernels.axpy(momentum, u, w.data(), n);
                    kernels.axpy(-learningRate, g.data(), w.data(), n);
                } else {
                    kernels.axpy(1f, u, w.data(), n);
                }
            }
            iterations = t;
            OptimizerSupport.requireFiniteWeights("SGD", t, learningRate, gradients, variables, kernels);
        } finally {
            velocities.end();
        }
    }

    @Override
    public long iterations() {
        return iterations;
    }

    @Override
    public float learningRate() {
        return learningRate;
    }

    @Override
    public void setLearningRate(float learningRate) {
        this.learningRate = OptimizerSupport.checkRate("SGD: learningRate", learningRate);
    }

    /**
     * The momentum (0 for plain SGD).
     *
     * @return the momentum, in [0, 1)
     */
    public float momentum() {
        return momentum;
    }

    /**
     * Whether the momentum is Nesterov's.
     *
     * @return {@code true} if the momentum is Nesterov's, {@code false} for plain momentum or none
     */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    public String toString() {
        return "SGD(learningRate=" + learningRate + ", momentum=" + momentum + ", nesterov=" + nesterov + ")";
    }
}
