package vecgrad.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The step every optimizer shares, in Keras' order (keras/src/optimizers/base_optimizer.py,
 * {@code apply}): check the arguments, refuse non-finite gradients, clip them, then per variable one
 * fused kernel pass that applies the weight decay and the optimizer's own update; then count the step.
 */
abstract class BaseOptimizer implements Optimizer {

    /*
     * Slots (Adam's moments, ...) are created the first time a variable is seen, in that order, and
     * named as Keras names optimizer variables: "adam/momentum_dense_kernel". Clipping writes into a
     * per-variable scratch array, created with the slots, so the caller's gradient tensors are never
     * modified and a step allocates nothing once every variable has been seen.
     *
     * Why an optimizer refuses concurrent steps instead of locking: two threads stepping one optimizer
     * (or one model) interleave their read-modify-write updates of the weights and slots, so updates are
     * lost and the result matches no sequential order. Serialising them would hide that the caller's
     * design is wrong; one model and optimizer per thread is the supported way.
     */

    /** The iteration count is saved as a float tensor, exact up to 2^24. */
    private static final long MAX_SAVED_ITERATIONS = 1L << 24;

    private final String name;
    private final String key;
    private final LearningRateSchedule schedule;
    private float learningRate;
    private final double weightDecay;
    private final float weightDecayFloat;
    private final double clipnorm;
    private final double clipvalue;
    private final double globalClipnorm;
    final Kernels kernels = KernelProvider.get();
    private final Map<Variable, float[][]> slots = new IdentityHashMap<>();
    private final Map<Variable, float[]> scratch = new IdentityHashMap<>();
    private final List<Variable> seen = new ArrayList<>();
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    private long iterations;

    /**
     * @param name    the class name for messages ("Adam")
     * @param key     Keras' optimizer name, the prefix of the state's names ("adam")
     */
    BaseOptimizer(String name, String key, OptimizerBuilder<?> b) {
        this.name = name;
        this.key = key;
        this.schedule = b.schedule;
        this.learningRate = b.schedule == null ? (float) b.learningRate : Float.NaN;
        this.weightDecay = b.weightDecay;
        this.weightDecayFloat = (float) b.weightDecay;
        this.clipnorm = b.clipnorm;
        this.clipvalue = b.clipvalue;
        this.globalClipnorm = b.globalClipnorm;
    }

    /** Keras' names of the slots of every variable, in Keras' order ("momentum", "velocity"). */
    abstract List<String> slotNames();

    /** The value a slot starts at (Adagrad's accumulator: initial_accumulator_value). */
    float slotInitialValue(int slot) {
        return 0f;
    }

    /** Computes the step's constants (bias corrections, ...) for step {@code t} (1 for the first step). */
    abstract void prepareStep(long t, float lr);

    /** The fused update of one variable: {@code w (n)} from {@code g (n)} and its slots, with weight decay. */
    abstract void update(float[] w, float[] g, float[][] slots, int n, float lr, float weightDecay);

    /** Adds the optimizer's own hyper-parameters to its config, by Keras' names. */
    abstract void addConfig(Map<String, Object> config);

    @Override
    public final void applyGradients(List<? extends Tensor> gradients, List<Variable> variables) {
        OptimizerSupport.check(name, gradients, variables);
        begin();
        try {
            long t = iterations + 1;
            OptimizerSupport.requireFiniteGradients(name, t, gradients, variables, kernels);
            float lr = learningRate();
            float globalScale = globalClipnorm > 0 ? globalScale(gradients) : 1f;
            prepareStep(t, lr);
            for (int i = 0; i < variables.size(); i++) {
                Tensor g = gradients.get(i);
                if (g == null) {
                    continue;
                }
                Variable w = variables.get(i);
                float[][] s = slots(w);
                update(w.data(), clipped(w, g, globalScale), s, w.size(), lr, weightDecayFloat);
            }
            iterations = t;
            OptimizerSupport.requireFiniteWeights(name, t, lr, gradients, variables, kernels);
        } finally {
            owner.set(null);
        }
    }

    private void begin() {
        Thread other = owner.compareAndExchange(null, Thread.currentThread());
        if (other != null) {
            throw new IllegalStateException(name + ".applyGradients: a step of this optimizer is already running on"
                    + " thread '" + other.getName() + "'; an optimizer (and a model) is not thread-safe: train one"
                    + " model with its own optimizer per thread");
        }
    }

    /** The slots of {@code v}, created on first sight. */
    private float[][] slots(Variable v) {
        float[][] s = slots.get(v);
        if (s == null) {
            List<String> names = slotNames();
            s = new float[names.size()][];
            for (int k = 0; k < s.length; k++) {
                s[k] = new float[v.size()];
                float init = slotInitialValue(k);
                if (init != 0f) {
                    Arrays.fill(s[k], init);
                }
            }
            slots.put(v, s);
            seen.add(v);
            if (clipping()) {
                scratch.put(v, new float[v.size()]);
            }
        }
        return s;
    }

    private boolean clipping() {
        return clipnorm > 0 || clipvalue > 0 || globalClipnorm > 0;
    }

    /*
     * Clipping as Keras' _clip_gradients, in float32 except for the norms: the sums of squares are
     * accumulated in double in element order (deterministic, and exact enough that the float norm is the
     * correctly rounded one in practice), then rounded once to float.
     */

    /** The gradient of {@code w} after clipping: {@code g}'s own array when there is no clipping. */
    private float[] clipped(Variable w, Tensor g, float globalScale) {
        if (!clipping()) {
            return g.data();
        }
        float[] out = scratch.get(w);
        float[] x = g.data();
        int n = g.size();
        if (clipvalue > 0) {
            float v = (float) clipvalue;
            for (int i = 0; i < n; i++) {
                out[i] = Math.min(Math.max(x[i], -v), v);
            }
        } else if (clipnorm > 0) {
            // Keras: g · clipnorm / max(l2norm, clipnorm), l2norm = 0 for an all-zero gradient
            float c = (float) clipnorm;
            float norm = (float) Math.sqrt(sumOfSquares(x, n));
            float d = Math.max(norm, c);
            for (int i = 0; i < n; i++) {
                out[i] = x[i] * c / d;
            }
        } else {
            for (int i = 0; i < n; i++) {
                out[i] = x[i] * globalScale;
            }
        }
        return out;
    }

    /** Keras' clip_by_global_norm factor: {@code clip · min(1 / norm, 1 / clip)} in float32. */
    private float globalScale(List<? extends Tensor> gradients) {
        double sum = 0;
        for (int i = 0; i < gradients.size(); i++) { // by index: an iterator is an allocation the JIT may keep
            Tensor g = gradients.get(i);
            if (g != null) {
                sum += sumOfSquares(g.data(), g.size());
            }
        }
        float norm = (float) Math.sqrt(sum);
        return (float) globalClipnorm * Math.min(1f / norm, (float) (1.0 / globalClipnorm));
    }

    private static double sumOfSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }

    @Override
    public final long iterations() {
        return iterations;
    }

    @Override
    public final float learningRate() {
        return schedule != null ? schedule.value(iterations) : learningRate;
    }

    @Override
    public final void setLearningRate(float learningRate) {
        if (schedule != null) {
            throw new IllegalStateException(name + ".setLearningRate: this optimizer was built with a learning-rate"
                    + " schedule (" + schedule.getClass().getSimpleName() + "), which cannot be overwritten by a"
                    + " number; build the optimizer with a number to change it during training");
        }
        OptimizerSupport.checkRate(name + ": learningRate", learningRate);
        this.learningRate = learningRate;
    }

    /**
     * The schedule this optimizer was built with.
     *
     * @return the schedule, or {@code null} for a constant (settable) learning rate
     */
    @Override
    public final LearningRateSchedule learningRateSchedule() {
        return schedule;
    }

    @Override
    public final Map<String, Tensor> variables() {
        if (iterations > MAX_SAVED_ITERATIONS) {
            throw new IllegalStateException(name + ".variables: the iteration count " + iterations
                    + " exceeds 2^24, the largest a float32 tensor holds exactly");
        }
        Map<String, Tensor> state = new LinkedHashMap<>();
        state.put(key + "/iteration", Tensor.scalar(iterations));
        List<String> names = slotNames();
        for (Variable v : seen) {
            float[][] s = slots.get(v);
            for (int k = 0; k < s.length; k++) {
                state.put(slotKey(names.get(k), v), Tensor.of(s[k], v.shape()));
            }
        }
        return Collections.unmodifiableMap(state);
    }

    private String slotKey(String slot, Variable v) {
        return key + "/" + slot + "_" + v.name().replace('/', '_');
    }

    @Override
    public final void loadVariables(List<Variable> variables, Map<String, Tensor> state) {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(state, "state");
        String what = name + ".loadVariables: ";
        Set<String> expected = new LinkedHashSet<>();
        String iterationKey = key + "/iteration";
        expected.add(iterationKey);
        List<String> names = slotNames();
        for (int i = 0; i < variables.size(); i++) {
            Variable v = Objects.requireNonNull(variables.get(i), "variable " + i);
            for (String slot : names) {
                String k = slotKey(slot, v);
                if (!expected.add(k)) {
                    throw new IllegalArgumentException(what + "two variables are both named '" + v.name() + "'");
                }
                Tensor t = state.get(k);
                if (t == null) {
                    throw new IllegalArgumentException(what + "no value for '" + k + "' (variable '" + v.name()
                            + "'); the state has " + state.keySet());
                }
                if (!t.sameShape(v)) {
                    throw new IllegalArgumentException(what + "'" + k + "' has shape " + t.shapeString()
                            + " but variable '" + v.name() + "' has shape " + v.shapeString());
                }
            }
        }
        if (!state.keySet().equals(expected)) {
            Set<String> extra = new LinkedHashSet<>(state.keySet());
            extra.removeAll(expected);
            throw new IllegalArgumentException(what + (state.containsKey(iterationKey) ? "" : "no '" + iterationKey
                    + "'; ") + "expected exactly " + expected + (extra.isEmpty() ? "" : ", got also " + extra));
        }
        Tensor it = state.get(iterationKey);
        float count = it.size() == 1 ? it.data()[0] : Float.NaN;
        if (!(count >= 0) || count != Math.rint(count) || count > MAX_SAVED_ITERATIONS) {
            throw new IllegalArgumentException(what + "'" + iterationKey + "' must hold one whole number >= 0, got "
                    + it);
        }
        begin();
        try {
            slots.clear();
            scratch.clear();
            seen.clear();
            for (Variable v : variables) {
                float[][] s = slots(v);
                for (int k = 0; k < s.length; k++) {
                    System.arraycopy(state.get(slotKey(names.get(k), v)).data(), 0, s[k], 0, v.size());
                }
            }
            iterations = (long) count;
        } finally {
            owner.set(null);
        }
    }

    @Override
    public final Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", key);
        if (schedule != null) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("class_name", schedule.getClass().getSimpleName());
            s.put("config", schedule.config());
            c.put("learning_rate", Collections.unmodifiableMap(s));
        } else {
            c.put("learning_rate", (double) learningRate);
        }
        c.put("weight_decay", weightDecay > 0 || hasWeightDecay() ? weightDecay : null);
        c.put("clipnorm", clipnorm > 0 ? clipnorm : null);
        c.put("global_clipnorm", globalClipnorm > 0 ? globalClipnorm : null);
        c.put("clipvalue", clipvalue > 0 ? clipvalue : null);
        addConfig(c);
        return Collections.unmodifiableMap(c);
    }

    /** Whether a weight decay of 0 is still reported (AdamW's weight_decay is never None). */
    boolean hasWeightDecay() {
        return false;
    }

    /** The clipping part of {@link #toString}, empty without clipping or weight decay. */
    final String commonString() {
        return (clipnorm > 0 ? ", clipnorm=" + clipnorm : "")
                + (clipvalue > 0 ? ", clipvalue=" + clipvalue : "")
                + (globalClipnorm > 0 ? ", globalClipnorm=" + globalClipnorm : "")
                + (weightDecay > 0 ? ", weightDecay=" + weightDecay : "");
    }

    /** The learning rate for {@link #toString}: the number, or the schedule's class. */
    final String rateString() {
        return schedule != null ? schedule.getClass().getSimpleName() + schedule.config() : String.valueOf(learningRate);
    }
}
