package vecgrad.optim;

import java.util.List;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Adam (Kingma and Ba, 2015) with Keras' defaults: learning rate 1e-3, beta1 0.9, beta2 0.999,
 * epsilon 1e-7.
 *
 * <p>The update is Keras' ({@code keras.optimizers.Adam.update_step}, without amsgrad): at step t,
 * <pre>
 * alpha = lr · sqrt(1 - beta2^t) / (1 - beta1^t)
 * m += (g - m) · (1 - beta1)
 * v += (g² - v) · (1 - beta2)
 * w -= alpha · m / (sqrt(v) + epsilon)
 * </pre>
 * Note that Keras puts epsilon outside the bias correction of v (the paper's "epsilon hat"), so its
 * epsilon is not the paper's.
 */
public final class Adam implements Optimizer {

    private float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    private final OptimizerSupport<float[][]> moments =
            new OptimizerSupport<>(v -> new float[][] {new float[v.size()], new float[v.size()]});
    private final Kernels kernels = KernelProvider.get();
    private long iterations;

    /** Adam with Keras' defaults. */
    public Adam() {
        this(1e-3f);
    }

    /**
     * Adam with the given learning rate and Keras' other defaults.
     *
     * @param learningRate the step size, positive and finite
     * @throws IllegalArgumentException unless {@code learningRate > 0} and finite
     */
    public Adam(float learningRate) {
        this(learningRate, 0.9f, 0.999f, 1e-7f);
    }

    /**
     * Adam with every hyper-parameter given.
     *
     * @param learningRate the step size, positive and finite (Keras' default 1e-3)
     * @param beta1        the decay rate of the first moment, the running mean of the gradients (default 0.9)
     * @param beta2        the decay rate of the second moment, the running mean of the squared gradients
     *                     (default 0.999)
     * @param epsilon      the constant added to {@code sqrt(v)} in the denominator, for stability (default 1e-7)
     * @throws IllegalArgumentException unless {@code learningRate > 0}, betas in [0, 1), {@code epsilon > 0}, all finite
     */
    public Adam(float learningRate, float beta1, float beta2, float epsilon) {
        this.learningRate = OptimizerSupport.checkRate("learningRate", learningRate);
        this.beta1 = OptimizerSupport.checkFraction("beta1", beta1);
        this.beta2 = OptimizerSupport.checkFraction("beta2", beta2);
        this.epsilon = OptimizerSupport.checkRate("epsilon", epsilon);
    }

    @Override
    public void applyGradients(List<? extends Tensor> gradients, List<Variable> variables) {
        OptimizerSupport.check("Adam", gradients, variables);
        moments.begin("Adam");
        try {
            long t = iterations + 1;
            OptimizerSupport.requireFiniteGradients("Adam", t, gradients, variables, kernels);
            // The bias corrections in double, rounded once: alpha is one float for the whole step.
            float alpha = (float) (learningRate * Math.sqrt(1 - Math.pow(beta2, t)) / (1 - Math.pow(beta1, t)));
            for (int i = 0; i < variables.size(); i++) {
                Tensor g = gradients.get(i);
                if (g == null) {
                    continue;
                }
                Variable w = variables.get(i);
                float[][] mv = moments.slot(w);
                kernels.adamUpdate(w.data(), g.data(), mv[0], mv[1], w.size(), alpha, beta1, beta2, epsilon);
            }
            iterations = t;
            OptimizerSupport.requireFiniteWeights("Adam", t, learningRate, gradients, variables, kernels);
        } finally {
            moments.end();
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
        this.learningRate = OptimizerSupport.checkRate("Adam: learningRate", learningRate);
    }

    /**
     * beta1, the decay of the first moment.
     *
     * @return the first moment's decay rate, in [0, 1)
     */
    public float beta1() {
        return beta1;
    }

    /**
     * beta2, the decay of the second moment.
     *
     * @return the second moment's decay rate, in [0, 1)
     */
    public float beta2() {
        return beta2;
    }

    /**
     * epsilon, added to sqrt(v).
     *
     * @return epsilon, positive
     */
    public float epsilon() {
        return epsilon;
    }

    @Override
    public String toString() {
        return "Adam(learningRate=" + learningRate + ", beta1=" + beta1 + ", beta2=" + beta2 + ", epsilon=" + epsilon + ")";
    }
}
