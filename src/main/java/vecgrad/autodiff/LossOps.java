package vecgrad.autodiff;

import java.util.Arrays;
import vecgrad.tensor.Tensor;

/**
 * The differentiable loss ops: each returns the scalar loss of predictions {@code yPred (m,k)} against
 * constant targets {@code yTrue (m,k)} (no gradient flows to the targets), reduced as Keras'
 * {@code sum_over_batch_size}: {@code L = (1/m) Σ_i w_i · ℓ_i}, with {@code ℓ_i} the per-sample loss
 * of row {@code i} and {@code w (m)} or {@code (m,1)} the sample weights ({@code null}, or a
 * two-argument cross-entropy: every weight 1, so {@code L} is the mean of the per-sample losses).
 * Most per-sample losses are the mean over the row of an elementwise loss {@code f(y, p)}, as Keras'
 * {@code mean(..., axis=-1)}; {@link #klDivergence} sums the row.
 *
 * <p>Each op's Javadoc gives {@code f} and its derivative {@code f'} with respect to the prediction;
 * the gradient of the whole loss is {@code dyPred[i][j] = g · w_i · f'(y, p) / (m·k)} ({@code /m}
 * for a row sum), and the code holds {@code f} and {@code f'} side by side.
 *
 * <p>The cross-entropies on softmax outputs come in two forms side by side:
 * {@link #softmaxCrossEntropyWithLogits(Tensor, Tensor)} (the fused, stable path the report's network
 * trains through) and {@link #categoricalCrossentropy(Tensor, Tensor)}, and their versions with sample
 * weights. The core ops are in {@link Ops}, the activations in {@link ActivationOps}.
 *
 * <p>Sample weights must be finite and non-negative; a bad shape or value throws
 * {@link IllegalArgumentException} naming what was expected and what came, before any work.
 */
public final class LossOps {

    /*
     * The elementwise losses share one fused op (pointwise below): it evaluates f in double at the
     * float inputs, accumulates w_i · f over each row and over the batch in double and rounds the
     * scalar once; its backward evaluates f' in double and rounds each element once. A composition
     * from Ops would need clip, abs, where and softplus primitives that exist for nothing else, and
     * would round at every step.
     *
     * The formulas are Keras 3's: keras/src/losses/losses.py (the loss functions and their
     * mean(..., axis=-1)), keras/src/backend/numpy/nn.py (binary_crossentropy: clip to
     * [eps, 1 − eps], then −(y log p + (1 − y) log(1 − p))), tf.nn.sigmoid_cross_entropy_with_logits
     * (max(z, 0) − z·y + log1p(e^−|z|)), keras/src/losses/loss.py (reduce_weighted_values:
     * sum_over_batch_size divides the weighted sum by the number of samples, not by Σ w).
     *
     * The clipped losses take the gradient of tf.clip_by_value: 1 inside [lo, hi] (ends included),
     * 0 outside, so a prediction beyond the clip range gets no gradient.
     *
     * Each cross-entropy's unweighted and weighted forms share one body (softmaxCrossEntropy,
     * categoricalCrossentropy with a float[] w): the unweighted form passes w = null and evaluates no
     * weight factor, so its arithmetic is the fused op's own, operation for operation; the weighted
     * form multiplies by w_i where the loss and the gradient need it. With every weight 1 that factor
     * is exact (1 · x = x in IEEE arithmetic), so both forms return the same bits. Each form records
     * its own signature and inputs, so the graph export tells them apart.
     */

    /** Keras' {@code backend.epsilon()}. */
    private static final float EPSILON = 1e-7f;

    private LossOps() {
    }

    /** An elementwise loss {@code f(y, p)} and its derivative {@code ∂f/∂p}, in double. */
    private interface Pointwise {
        double value(double y, double p);

        double derivative(double y, double p);
    }

    // ---------------------------------------------------------------- binary cross-entropy

    /**
     * Sigmoid cross-entropy from logits {@code z}, averaged over the last axis, as Keras'
     * {@code binary_crossentropy(from_logits=True)}: {@code f = max(z, 0) − z·y + log1p(e^−|z|)}, which
     * equals {@code −(y log σ(z) + (1 − y) log(1 − σ(z)))} without overflow or cancellation.
     * Derivative: {@code f' = σ(z) − y}.
     *
     * @param labels       {@code (m,k)} targets in [0, 1] (soft labels allowed)
     * @param logits       {@code (m,k)}
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor sigmoidCrossEntropyWithLogits(Tensor labels, Tensor logits, Tensor sampleWeight) {
        return pointwise("sigmoidCrossEntropyWithLogits", "f = max(z,0) − z·y + log1p(e^−|z|); f' = σ(z) − y",
                labels, logits, sampleWeight, true, new Pointwise() {
                    @Override
                    public double value(double y, double z) {
                        return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
                    }

                    @Override
                    public double derivative(double y, double z) {
                        return sigmoid(z) - y;
                    }
                });
    }

    /**
     * Binary cross-entropy on probabilities, averaged over the last axis, as Keras'
     * {@code binary_crossentropy(from_logits=False)}: with {@code c = clip(p, 1e-7, 1 − 1e-7)},
     * {@code f = −(y log c + (1 − y) log(1 − c))}. Derivative: {@code f' = −y/c + (1 − y)/(1 − c)} inside
     * the clip range, 0 outside.
     *
     * @param yTrue        {@code (m,k)} targets in [0, 1]
     * @param yPred        {@code (m,k)} probabilities
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor binaryCrossentropy(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return pointwise("binaryCrossentropy",
                "c = clip(p, 1e-7, 1 − 1e-7); f = −(y log c + (1 − y) log(1 − c)); f' = −y/c + (1 − y)/(1 − c) inside the clip",
                yTrue, yPred, sampleWeight, true, new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        double c = clip(p, EPSILON, 1f - EPSILON);
                        return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
                    }

                    @Override
                    public double derivative(double y, double p) {
                        return inside(p, EPSILON, 1f - EPSILON) ? -y / p + (1 - y) / (1 - p) : 0;
                    }
                });
    }

    // ---------------------------------------------------------------- regression

    /**
     * Mean absolute error, as Keras' {@code mean_absolute_error}: {@code f = |p − y|}.
     * Derivative: {@code f' = sign(p − y)} (0 where {@code p = y}, as {@code tf.abs}).
     *
     * @param yTrue        {@code (m,k)} targets
     * @param yPred        {@code (m,k)} predictions
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor meanAbsoluteError(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return pointwise("meanAbsoluteError", "f = |p − y|; f' = sign(p − y)", yTrue, yPred, sampleWeight, true,
                new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        return Math.abs(p - y);
                    }

                    @Override
                    public double derivative(double y, double p) {
                        return Math.signum(p - y);
                    }
                });
    }

    /**
     * Huber loss, as Keras' {@code huber}: with {@code e = p − y}, {@code f = e²/2} where
     * {@code |e| <= delta}, else {@code delta·|e| − delta²/2}. Derivative: {@code f' = e} where
     * {@code |e| <= delta}, else {@code delta · sign(e)}.
     *
     * @param yTrue        {@code (m,k)} targets
     * @param yPred        {@code (m,k)} predictions
     * @param delta        the point where the loss turns from quadratic to linear: finite and positive
     *                     (Keras' default 1.0)
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if {@code delta} is not finite and positive, the shapes differ or are not
     *         {@code (m,k)} with {@code m, k ≥ 1}, or a sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor huber(Tensor yTrue, Tensor yPred, float delta, Tensor sampleWeight) {
        if (!(Float.isFinite(delta) && delta > 0)) {
            throw new IllegalArgumentException("huber: expected a finite delta > 0, got " + delta);
        }
        double d = delta;
        return pointwise("huber", "e = p − y; f = e²/2 if |e| <= δ else δ|e| − δ²/2; f' = e if |e| <= δ else δ·sign(e)",
                yTrue, yPred, sampleWeight, true, new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        double e = p - y;
                        return Math.abs(e) <= d ? 0.5 * e * e : d * Math.abs(e) - 0.5 * d * d;
                    }

                    @Override
                    public double derivative(double y, double p) {
                        double e = p - y;
                        return Math.abs(e) <= d ? e : d * Math.signum(e);
                    }
                });
    }

    /**
     * Log-cosh, as Keras' {@code log_cosh}: with {@code e = p − y}, {@code f = log cosh(e)}, evaluated
     * stably as {@code e + softplus(−2e) − log 2}. Derivative: {@code f' = tanh(e)}.
     *
     * @param yTrue        {@code (m,k)} targets
     * @param yPred        {@code (m,k)} predictions
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor logCosh(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return pointwise("logCosh", "e = p − y; f = e + softplus(−2e) − log 2; f' = tanh(e)", yTrue, yPred,
                sampleWeight, true, new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        double e = p - y;
                        return e + softplus(-2 * e) - Math.log(2);
                    }

                    @Override
                    public double derivative(double y, double p) {
                        return Math.tanh(p - y);
                    }
                });
    }

    // ---------------------------------------------------------------- distributions and margins

    /**
     * Kullback-Leibler divergence, as Keras' {@code kl_divergence}: both arguments clipped to
     * {@code [1e-7, 1]}, {@code f = y·log(y/p)}, <em>summed</em> over the last axis.
     * Derivative: {@code f' = −y/p} (y clipped) where {@code p} is inside the clip range, else 0.
     *
     * @param yTrue        {@code (m,k)} target distributions, one per row
     * @param yPred        {@code (m,k)} predicted distributions, one per row
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor klDivergence(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        return pointwise("klDivergence", "y, p clipped to [1e-7, 1]; f = y log(y/p), summed over the row; f' = −y/p inside",
                yTrue, yPred, sampleWeight, false, new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        double yc = clip(y, EPSILON, 1);
                        return yc * Math.log(yc / clip(p, EPSILON, 1));
                    }

                    @Override
                    public double derivative(double y, double p) {
                        return inside(p, EPSILON, 1) ? -clip(y, EPSILON, 1) / p : 0;
                    }
                });
    }

    /**
     * Hinge loss, as Keras' {@code hinge}: targets are −1 or 1; if every target is 0 or 1, they are
     * first mapped to {@code 2y − 1} (Keras' {@code convert_binary_labels_to_hinge}).
     * {@code f = max(1 − y·p, 0)}. Derivative: {@code f' = −y} where {@code 1 − y·p > 0}, else 0.
     *
     * @param yTrue        {@code (m,k)} targets, each −1 or 1 (or all 0 or 1)
     * @param yPred        {@code (m,k)} predictions (scores, not probabilities)
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,k)} with {@code m, k ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor hinge(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        checkArguments("hinge", yTrue, yPred, sampleWeight);
        boolean binary = true;
        for (float y : yTrue.data()) {
            binary &= y == 0f || y == 1f;
        }
        boolean convert = binary;
        return pointwise("hinge", "y: 2y − 1 if all in {0, 1}; f = max(1 − y·p, 0); f' = −y where 1 − y·p > 0",
                yTrue, yPred, sampleWeight, true, new Pointwise() {
                    @Override
                    public double value(double y, double p) {
                        double t = convert ? 2 * y - 1 : y;
                        return Math.max(1 - t * p, 0);
                    }

                    @Override
                    public double derivative(double y, double p) {
                        double t = convert ? 2 * y - 1 : y;
                        return 1 - t * p > 0 ? -t : 0;
                    }
                });
    }

    // ---------------------------------------------------------------- the cross-entropies, unweighted and weighted

    /**
     * Softmax cross-entropy from logits, averaged over the batch: a scalar
     * {@code L = (1/m) Σ_i Σ_j −labels[i][j] · log softmax(logits)[i][j]} for {@code labels (m,n)} and
     * {@code logits (m,n)}, computed stably as {@code logsumexp(logits) − logits}. This is Keras'
     * {@code CategoricalCrossentropy(from_logits=True)} with its default reduction (the mean over the
     * batch); note that {@code tf.nn.softmax_cross_entropy_with_logits} returns the per-example losses
     * instead. Labels are constants (no gradient); each row should sum to 1 (one-hot or soft labels).
     *
     * <p>Derivative: {@code dlogits = (softmax(logits) − labels) · g / m}, evaluated in that order, so
     * that with the default seed {@code g = 1} it is exactly the hand-derived {@code δ = (p − y)/m}
     * (fusing the mean in keeps it exact; a separate mean would multiply by a rounded {@code 1/m}).
     *
     * @param labels {@code (m,n)} one-hot or soft labels, each row summing to 1
     * @param logits {@code (m,n)} unnormalised log-probabilities, one row per sample
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,n)} with {@code m, n ≥ 1}
     */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits) {
        requireLossShapes("softmaxCrossEntropyWithLogits", "labels", labels, "logits", logits);
        return softmaxCrossEntropy("softmaxCrossEntropyWithLogits(labels, logits)",
                "dlogits = (softmax(logits) − labels) · g / m; labels: constant", labels, logits, null, labels, logits);
    }

    /**
     * {@link #softmaxCrossEntropyWithLogits(Tensor, Tensor)} with sample weights:
     * {@code L = (1/m) Σ_i w_i Σ_j −labels[i][j] · log softmax(logits)[i][j]}.
     * Derivative: {@code dlogits[i] = (softmax(logits)[i] − labels[i]) · (g · w_i) / m}. With every
     * weight 1 (or {@code sampleWeight == null}) the value and gradient are bit-identical to
     * {@link #softmaxCrossEntropyWithLogits(Tensor, Tensor)}.
     *
     * @param labels       {@code (m,n)} one-hot or soft labels
     * @param logits       {@code (m,n)}
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,n)} with {@code m, n ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor softmaxCrossEntropyWithLogits(Tensor labels, Tensor logits, Tensor sampleWeight) {
        float[] w = checkArguments("softmaxCrossEntropyWithLogits", labels, logits, sampleWeight);
        return softmaxCrossEntropy("softmaxCrossEntropyWithLogits(labels, logits, w)",
                "dlogits[i] = (softmax(logits)[i] − labels[i]) · (g · w_i) / m; labels, w: constant",
                labels, logits, w, labels, logits, weightTensor(sampleWeight, logits.rows()));
    }

    /**
     * Categorical cross-entropy on probabilities, averaged over the batch, as Keras'
     * {@code categorical_crossentropy(from_logits=False)}: each row of {@code yPred (m,n)} is divided
     * by its sum, clipped to {@code [1e-7, 1 − 1e-7]}, and
     * {@code L = (1/m) Σ_i Σ_j −yTrue[i][j] · log(clipped[i][j])}. {@code yTrue} is a constant.
     *
     * <p>Derivative, with {@code s} the row sum, {@code q = yPred/s} and {@code c} the clipped
     * {@code q}: {@code dq = −g · yTrue / (m · c)} where {@code 1e-7 <= q <= 1 − 1e-7} and 0 outside
     * (as {@code tf.clip_by_value}), then {@code dyPred = (dq − Σ_row dq ⊙ q) / s}.
     *
     * @param yTrue {@code (m,n)} one-hot or soft labels
     * @param yPred {@code (m,n)} predicted probabilities (non-negative; each row is normalised by its sum)
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,n)} with {@code m, n ≥ 1}
     */
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred) {
        requireLossShapes("categoricalCrossentropy", "yTrue", yTrue, "yPred", yPred);
        return categoricalCrossentropy("categoricalCrossentropy(yTrue, yPred)",
                "dq = −g · yTrue / (m · clip(q)) inside the clip range, else 0; dyPred = (dq − Σ_row dq ⊙ q) / s",
                yTrue, yPred, null, yTrue, yPred);
    }

    /**
     * {@link #categoricalCrossentropy(Tensor, Tensor)} with sample weights: each row of {@code yPred}
     * divided by its sum {@code s_i} and clipped to {@code [1e-7, 1 − 1e-7]} ({@code c}),
     * {@code L = (1/m) Σ_i w_i Σ_j −yTrue[i][j] · log c[i][j]}.
     * Derivative, with {@code q = yPred/s}: {@code dq = −(g · w_i / m) · yTrue / q} inside the clip
     * range, else 0; {@code dyPred = (dq − Σ_row dq ⊙ q) / s}. With every weight 1 (or
     * {@code sampleWeight == null}) the value and gradient are bit-identical to
     * {@link #categoricalCrossentropy(Tensor, Tensor)}.
     *
     * @param yTrue        {@code (m,n)} one-hot or soft labels
     * @param yPred        {@code (m,n)} predicted probabilities (non-negative; each row is normalised by its sum)
     * @param sampleWeight {@code (m)} or {@code (m,1)}, or null
     * @return the loss {@code L}, a scalar tensor of shape {@code ()}
     * @throws IllegalArgumentException if the shapes differ or are not {@code (m,n)} with {@code m, n ≥ 1}, or a
     *         sample weight has the wrong shape or is negative or not finite
     */
    public static Tensor categoricalCrossentropy(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        float[] w = checkArguments("categoricalCrossentropy", yTrue, yPred, sampleWeight);
        return categoricalCrossentropy("categoricalCrossentropy(yTrue, yPred, w)",
                "dq = −(g · w_i / m) · yTrue / q inside the clip range, else 0; dyPred = (dq − Σ_row dq ⊙ q) / s",
                yTrue, yPred, w, yTrue, yPred, weightTensor(sampleWeight, yPred.rows()));
    }

    /**
     * {@code (1/m) Σ_i Σ_j labels[i][j] · (logsumexp(logits[i]) − logits[i][j])} for {@code (m,n)}
     * arrays, in double, rounded once: the value of {@link #softmaxCrossEntropyWithLogits(Tensor, Tensor)},
     * shared with {@link ManualGradients} so that both report the same loss.
     */
    static float meanCrossEntropyFromLogits(float[] labels, float[] logits, int m, int n) {
        return meanCrossEntropyFromLogits(labels, logits, null, m, n);
    }

    /** As above with a weight per row, {@code (1/m) Σ_i w_i Σ_j ...}; {@code w == null}: no weight factor. */
    private static float meanCrossEntropyFromLogits(float[] labels, float[] logits, float[] w, int m, int n) {
        double total = 0;
        for (int i = 0; i < m; i++) {
            int r = i * n;
            double lse = Ops.logSumExp(logits, r, n);
            for (int j = 0; j < n; j++) {
                double l = labels[r + j] * (lse - logits[r + j]);
                total += w == null ? l : w[i] * l;
            }
        }
        return (float) (total / m);
    }

    /**
     * Both softmax cross-entropies once checked: {@code w} holds the row weights, or is null for the
     * unweighted op, which then evaluates no weight factor at all; {@code inputs} are what the tape
     * records (the weights, when given, last), so each op keeps its signature and graph.
     */
    private static Tensor softmaxCrossEntropy(String signature, String rule, Tensor labels, Tensor logits, float[] w,
                                              Tensor... inputs) {
        int m = logits.rows();
        int n = logits.cols();
        Tensor p = Buffers.like(logits);
        Ops.kernels().softmaxRows(logits.data(), p.data(), m, n);
        Tensor loss = Buffers.tensor();
        loss.data()[0] = meanCrossEntropyFromLogits(labels.data(), logits.data(), w, m, n);
        return GradientTape.record(signature, rule, loss, (g, need) -> {
            Tensor[] grads = new Tensor[inputs.length];
            if (!need[1]) {
                return grads;
            }
            Tensor dLogits = Buffers.like(logits);
            float[] pd = p.data();
            float[] yd = labels.data();
            float[] d = dLogits.data();
            float gs = g.item();
            float fm = m;
            for (int i = 0; i < m; i++) {
                float gw = w == null ? gs : gs * w[i];
                for (int j = i * n; j < (i + 1) * n; j++) {
                    d[j] = (pd[j] - yd[j]) * gw / fm;
                }
            }
            grads[1] = dLogits;
            return grads;
        }, inputs);
    }

    /** Both categorical cross-entropies once checked; {@code w} and {@code inputs} as in {@link #softmaxCrossEntropy}. */
    private static Tensor categoricalCrossentropy(String signature, String rule, Tensor yTrue, Tensor yPred, float[] w,
                                                  Tensor... inputs) {
        int m = yPred.rows();
        int n = yPred.cols();
        float lo = EPSILON;
        float hi = 1f - EPSILON;
        float[] pd = yPred.data();
        float[] yd = yTrue.data();
        Tensor q = Buffers.like(yPred);
        Tensor rowSums = Buffers.tensor(m);
        float[] qd = q.data();
        float[] s = rowSums.data();
        double total = 0;
        for (int i = 0; i < m; i++) {
            int r = i * n;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += pd[r + j];
            }
            s[i] = (float) sum;
            for (int j = 0; j < n; j++) {
                qd[r + j] = pd[r + j] / s[i];
                double l = yd[r + j] * Math.log(Math.min(Math.max(qd[r + j], lo), hi));
                total -= w == null ? l : w[i] * l;
            }
        }
        Tensor loss = Buffers.tensor();
        loss.data()[0] = (float) (total / m);
        return GradientTape.record(signature, rule, loss, (g, need) -> {
            Tensor[] grads = new Tensor[inputs.length];
            if (!need[1]) {
                return grads;
            }
            Tensor dPred = Buffers.like(yPred);
            float[] d = dPred.data();
            for (int i = 0; i < m; i++) {
                float scale = w == null ? g.item() / m : g.item() * w[i] / m;
                int r = i * n;
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    float qij = qd[r + j];
                    float dq = qij >= lo && qij <= hi ? -scale * yd[r + j] / qij : 0f;
                    d[r + j] = dq;
                    dot += (double) dq * qij;
                }
                for (int j = 0; j < n; j++) {
                    d[r + j] = (float) ((d[r + j] - dot) / s[i]);
                }
            }
            grads[1] = dPred;
            return grads;
        }, inputs);
    }

    // ---------------------------------------------------------------- the shared pointwise op

    /**
     * {@code L = (1/m) Σ_i w_i · reduce_j f(yTrue[i][j], yPred[i][j])}, reduce the mean over the row
     * ({@code rowMean}) or its sum. Derivative: {@code dyPred[i][j] = g · w_i · f'(y, p) / (m · k)},
     * {@code k} the row length when {@code rowMean}, else 1.
     */
    private static Tensor pointwise(String op, String rule, Tensor yTrue, Tensor yPred, Tensor sampleWeight,
                                    boolean rowMean, Pointwise f) {
        float[] w = checkArguments(op, yTrue, yPred, sampleWeight);
        int m = yPred.rows();
        int k = yPred.cols();
        float[] yd = yTrue.data();
        float[] pd = yPred.data();
        double divisor = (double) m * (rowMean ? k : 1);
        double total = 0;
        for (int i = 0; i < m; i++) {
            double row = 0;
            for (int j = i * k; j < (i + 1) * k; j++) {
                row += f.value(yd[j], pd[j]);
            }
            total += w[i] * row;
        }
        Tensor loss = Buffers.tensor();
        loss.data()[0] = (float) (total / divisor);
        return GradientTape.record(op + "(yTrue, yPred, w)", rule + "; dyPred = g · w_i · f' / " + (rowMean ? "(m·k)" : "m")
                + "; yTrue, w: constant", loss, (g, need) -> {
                    if (!need[1]) {
                        return new Tensor[] {null, null, null};
                    }
                    Tensor dPred = Buffers.like(yPred);
                    float[] d = dPred.data();
                    double gs = g.item();
                    for (int i = 0; i < m; i++) {
                        double scale = gs * w[i] / divisor;
                        for (int j = i * k; j < (i + 1) * k; j++) {
                            d[j] = (float) (scale * f.derivative(yd[j], pd[j]));
                        }
                    }
                    return new Tensor[] {null, dPred, null};
                }, yTrue, yPred, weightTensor(sampleWeight, m));
    }

    // ---------------------------------------------------------------- checks and numerics

    /**
     * Checks targets and predictions {@code (m,k)} of the same shape with {@code m, k >= 1}, and the
     * weights; returns the weights as {@code m} floats (ones when {@code sampleWeight} is null).
     */
    private static float[] checkArguments(String op, Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        if (yTrue == null || yPred == null) {
            throw new NullPointerException(op + ": expected tensors yTrue and yPred, got "
                    + (yTrue == null ? "null yTrue" : "null yPred"));
        }
        if (yPred.rank() != 2 || yPred.rows() < 1 || yPred.cols() < 1) {
            throw new IllegalArgumentException(op + ": expected yPred of shape (batch, outputs) with at least one"
                    + " of each, got " + yPred.shapeString());
        }
        if (!yTrue.sameShape(yPred)) {
            throw new IllegalArgumentException(op + ": expected yTrue of yPred's shape " + yPred.shapeString()
                    + ", got " + yTrue.shapeString());
        }
        int m = yPred.rows();
        float[] w = new float[m];
        if (sampleWeight == null) {
            Arrays.fill(w, 1f);
            return w;
        }
        if (!(sampleWeight.hasShape(m) || sampleWeight.hasShape(m, 1))) {
            throw new IllegalArgumentException(op + ": expected sample weights of shape (" + m + ") or (" + m
                    + ", 1), one per row of yPred " + yPred.shapeString() + ", got " + sampleWeight.shapeString());
        }
        float[] sw = sampleWeight.data();
        for (int i = 0; i < m; i++) {
            if (!(Float.isFinite(sw[i]) && sw[i] >= 0)) {
                throw new IllegalArgumentException(op + ": expected finite, non-negative sample weights, got "
                        + sw[i] + " at row " + i);
            }
            w[i] = sw[i];
        }
        return w;
    }

    /** Checks the unweighted cross-entropies' arguments, with their own names for labels and predictions. */
    private static void requireLossShapes(String op, String labelName, Tensor labels, String predName, Tensor pred) {
        Ops.requireRank2(op, labelName, labels);
        Ops.requireRank2(op, predName, pred);
        if (!labels.sameShape(pred)) {
            throw new IllegalArgumentException(op + ": expected " + labelName + " and " + predName + " of the same shape,"
                    + " got " + labelName + " " + labels.shapeString() + " and " + predName + " " + pred.shapeString());
        }
        if (pred.rows() < 1 || pred.cols() < 1) {
            throw new IllegalArgumentException(op + ": expected at least one example and one class, got "
                    + predName + " " + pred.shapeString());
        }
    }

    /** The weights as a recorded input (a constant: it never gets a gradient), or a fresh placeholder. */
    private static Tensor weightTensor(Tensor sampleWeight, int m) {
        return sampleWeight != null ? sampleWeight : Tensor.ones(m);
    }

    private static double sigmoid(double z) {
        double e = Math.exp(-Math.abs(z));   // in (0, 1]: never overflows
        return z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /** {@code log(1 + e^t)} without overflow. */
    private static double softplus(double t) {
        return Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    }

    private static double clip(double v, double lo, double hi) {
        return Math.min(Math.max(v, lo), hi);
    }

    private static boolean inside(double v, double lo, double hi) {
        return v >= lo && v <= hi;
    }
}
