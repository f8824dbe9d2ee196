package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import vecgrad.kernel.KernelProvider;
import vecgrad.kernel.Kernels;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * The gradients of a fully connected network, computed from the hand-derived backpropagation
 * equations (docs/backprop.md) with no tape: the "manual" training method.
 *
 * <p>The network is {@code L} dense layers {@code z_l = a_{l−1}·W_l + b_l}, with
 * {@code a_0 = x (m,n_0)}, {@code W_l (n_{l−1},n_l)}, {@code b_l (n_l,)}; ReLU after every layer but
 * the last, softmax after the last; and the loss is the categorical cross-entropy averaged over the
 * batch. The backward pass is
 * <pre>
 * δ_L     = (softmax(z_L) − y) / m                           (m, n_L)
 * dW_l    = a_{l−1}ᵀ · δ_l                                   (n_{l−1}, n_l)   matmulTransA
 * db_l    = Σ_rows δ_l                                       (n_l,)           column sums
 * δ_{l−1} = (δ_l · W_lᵀ) ⊙ 1[z_{l−1} > 0]                    (m, n_{l−1})     matmulTransB, ReLU mask
 * </pre>
 * It runs the same kernels in the same order as a {@link GradientTape} over
 * {@code relu(add(matmul(a, W), b))} layers and
 * {@link LossOps#softmaxCrossEntropyWithLogits(Tensor, Tensor)}, so the two give bit-identical
 * gradients and loss.
 *
 * <p>Buffers are allocated on the first call for a batch size and reused afterwards (the last few
 * batch sizes are kept): a training step allocates nothing. The gradients returned are therefore
 * overwritten by the next call. Not thread-safe.
 */
public final class ManualGradients {

    private static final int KEPT_BATCH_SIZES = 4;

    private final List<Variable> variables;
    private final Variable[] weights;
    private final Variable[] biases;
    private final int[] widths;
    private final Tensor[] dW;
    private final Tensor[] db;
    private final List<Tensor> gradients;
    private final List<Workspace> workspaces = new ArrayList<>(KEPT_BATCH_SIZES);
    private Workspace last;

    /**
     * A calculator for the network with these parameters, in Keras' {@code trainable_variables}
     * order: {@code W1 (n0,n1), b1 (n1,), W2 (n1,n2), b2 (n2,), ...}. The variables are read (not
     * copied) on every call, so updates to them are seen.
     *
     * @param variables the kernels and biases, alternating: {@code W_l (n_{l−1},n_l)} then {@code b_l (n_l,)}
     * @throws IllegalArgumentException if the count is odd or zero, a kernel is not rank 2, consecutive
     *         kernels' widths do not chain, or a bias does not match its kernel's width
     */
    public ManualGradients(List<Variable> variables) {
        Objects.requireNonNull(variables, "ManualGradients: expected a list of variables, got null");
        if (variables.isEmpty() || variables.size() % 2 != 0) {
            throw new IllegalArgumentException("ManualGradients: expected variables W1, b1, W2, b2, ... (an even,"
                    + " non-zero count), got " + variables.size());
        }
        int layers = variables.size() / 2;
        weights = new Variable[layers];
        biases = new Variable[layers];
        widths = new int[layers + 1];
        dW = new Tensor[layers];
        db = new Tensor[layers];
        List<Tensor> grads = new ArrayList<>(variables.size());
        for (int l = 0; l < layers; l++) {
            Variable w = variables.get(2 * l);
            Variable b = variables.get(2 * l + 1);
            if (w == null || b == null) {
                throw new NullPointerException("ManualGradients: expected variables, got null at index "
                        + (w == null ? 2 * l : 2 * l + 1));
            }
            if (w.rank() != 2) {
                throw new IllegalArgumentException("ManualGradients: expected kernel " + w.name()
                        + " of rank 2 (inputs, units), got shape " + w.shapeString());
            }
            if (l > 0 && w.dim(0) != widths[l]) {
                throw new IllegalArgumentException("ManualGradients: expected kernel " + w.name() + " of shape ("
                        + widths[l] + ", units) after " + weights[l - 1].name() + " " + weights[l - 1].shapeString()
                        + ", got " + w.shapeString());
            }
            if (!b.hasShape(w.dim(1))) {
                throw new IllegalArgumentException("ManualGradients: expected bias " + b.name() + " of shape ("
                        + w.dim(1) + ") for kernel " + w.name() + " " + w.shapeString() + ", got " + b.shapeString());
            }
            weights[l] = w;
            biases[l] = b;
            widths[l] = w.dim(0);
            widths[l + 1] = w.dim(1);
            dW[l] = Tensor.zeros(w.shape());
            db[l] = Tensor.zeros(b.shape());
            grads.add(dW[l]);
            grads.add(db[l]);
        }
        this.variables = List.copyOf(variables);
        this.gradients = Collections.unmodifiableList(grads);
    }

    /**
     * The parameters, in the order of {@link #gradients()}.
     *
     * @return an unmodifiable copy of the list given to the constructor
     */
    public List<Variable> variables() {
        return variables;
    }

    /**
     * Runs the network forward on a batch and backward from the loss; returns the loss, the mean
     * categorical cross-entropy over the batch. The gradients are then in {@link #gradients()} and the
     * softmax output in {@link #probabilities()}.
     *
     * @param x      the inputs {@code (m, n0)}, {@code m >= 1}
     * @param labels the targets {@code (m, nL)}, one-hot (or rows of probabilities summing to 1)
     * @return the loss, the mean categorical cross-entropy over the {@code m} rows
     * @throws IllegalArgumentException if {@code x} is not {@code (m, n0)} with {@code m >= 1}, or {@code labels}
     *         is not {@code (m, nL)}
     */
    public float compute(Tensor x, Tensor labels) {
        Objects.requireNonNull(x, "compute: expected an input batch x, got null");
        Objects.requireNonNull(labels, "compute: expected labels, got null");
        int layers = weights.length;
        if (x.rank() != 2 || x.dim(1) != widths[0] || x.dim(0) < 1) {
            throw new IllegalArgumentException("compute: expected x of shape (m, " + widths[0] + ") with m >= 1, got "
                    + x.shapeString());
        }
        int m = x.rows();
        int classes = widths[layers];
        if (labels.rank() != 2 || labels.dim(0) != m || labels.dim(1) != classes) {   // hasShape(m, n) would allocate
            throw new IllegalArgumentException("compute: expected labels of shape " + Tensor.shapeString(m, classes)
                    + " for x " + x.shapeString() + ", got " + labels.shapeString());
        }
        Kernels k = KernelProvider.get();
        Workspace ws = workspace(m);

        // Forward: z_l = a_{l-1}·W_l + b_l; a_l = relu(z_l), or softmax(z_l) for the last layer.
        float[] in = x.data();
        for (int l = 0; l < layers; l++) {
            int nIn = widths[l];
            int nOut = widths[l + 1];
            k.matmul(in, weights[l].data(), ws.z[l], m, nIn, nOut, false);
            k.addRowVector(ws.z[l], biases[l].data(), ws.z[l], m, nOut);
            if (l < layers - 1) {
                k.relu(ws.z[l], ws.a[l], m * nOut);
            } else {
                k.softmaxRows(ws.z[l], ws.a[l], m, nOut);
            }
            in = ws.a[l];
        }
        float loss = LossOps.meanCrossEntropyFromLogits(labels.data(), ws.z[layers - 1], m, classes);

        // Backward: δ_L = (p − y)/m, then per layer dW, db and δ for the layer below.
        float[] p = ws.a[layers - 1];
        float[] y = labels.data();
        float[] delta = ws.deltaA;
        float fm = m;
        for (int i = 0; i < m * classes; i++) {
            delta[i] = (p[i] - y[i]) / fm;
        }
        for (int l = layers - 1; l >= 0; l--) {
            int nIn = widths[l];
            int nOut = widths[l + 1];
            float[] aPrev = l == 0 ? x.data() : ws.a[l - 1];
            k.matmulTransA(aPrev, delta, dW[l].data(), nIn, m, nOut, false);    // a_{l-1}ᵀ (nIn,m) · δ (m,nOut)
            k.columnSums(delta, db[l].data(), m, nOut, false);
            if (l > 0) {
                float[] below = delta == ws.deltaA ? ws.deltaB : ws.deltaA;
                k.matmulTransB(delta, weights[l].data(), below, m, nOut, nIn, false); // δ (m,nOut) · W_lᵀ
                k.reluBackward(ws.z[l - 1], below, below, m * nIn);
                delta = below;
            }
        }
        return loss;
    }

    /**
     * The gradients of the last {@link #compute} call, {@code dW1, db1, dW2, db2, ...} with the shapes
     * of {@link #variables()}. The tensors are reused: the next call overwrites them.
     *
     * @return an unmodifiable list of the gradients, one per variable, all zeros before the first call
     */
    public List<Tensor> gradients() {
        return gradients;
    }

    /**
     * The softmax output {@code (m, nL)} of the last {@link #compute} call; overwritten by a later call
     * with the same batch size.
     *
     * @return the softmax output {@code (m, nL)}, one row of class probabilities per sample
     * @throws IllegalStateException before the first call
     */
    public Tensor probabilities() {
        if (last == null) {
            throw new IllegalStateException("probabilities: expected a previous compute(x, labels) call, got none");
        }
        return last.probabilities;
    }

    private Workspace workspace(int m) {
        if (last != null && last.m == m) {
            return last;
        }
        for (int i = 0; i < workspaces.size(); i++) {     // indexed: an iterator would allocate per step
            Workspace ws = workspaces.get(i);
            if (ws.m == m) {
                last = ws;
                return ws;
            }
        }
        if (workspaces.size() == KEPT_BATCH_SIZES) {
            workspaces.remove(0);
        }
        last = new Workspace(m, widths);
        workspaces.add(last);
        return last;
    }

    /** The activations and deltas for one batch size. */
    private static final class Workspace {
        final int m;
        final float[][] z;
        final float[][] a;
        final float[] deltaA;
        final float[] deltaB;
        final Tensor probabilities;

        Workspace(int m, int[] widths) {
            this.m = m;
            int layers = widths.length - 1;
            z = new float[layers][];
            a = new float[layers][];
            int widest = 0;
            for (int l = 0; l < layers; l++) {
                z[l] = new float[m * widths[l + 1]];
                a[l] = new float[m * widths[l + 1]];
                widest = Math.max(widest, widths[l + 1]);
            }
            deltaA = new float[m * widest];
            deltaB = new float[m * widest];
            probabilities = Tensor.wrap(a[layers - 1], m, widths[layers]);
        }
    }
}
