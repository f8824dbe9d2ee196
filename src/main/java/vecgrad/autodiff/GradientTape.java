package vecgrad.autodiff;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import vecgrad.kernel.KernelProvider;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/**
 * Records the differentiable ops run on this thread while it is open, and computes gradients by
 * replaying them backwards: TensorFlow's {@code tf.GradientTape} in Java.
 *
 * <p>A custom training step (the report's section 5: a 784-256-128-64-10 network with ReLU,
 * softmax and categorical cross-entropy):
 * <pre>{@code
 * List<Variable> variables = List.of(w1, b1, w2, b2, w3, b3, w4, b4);
 * for (Tensor[] batch : batches) {                       // x (128,784), y (128,10) one-hot
 *     Tensor x = batch[0];
 *     Tensor y = batch[1];
 *     List<Tensor> grads;
 *     float loss;
 *     try (GradientTape tape = new GradientTape()) {     // trainable variables are watched
 *         Tensor a1 = ActivationOps.relu(Ops.add(Ops.matmul(x, w1), b1));
 *         Tensor a2 = ActivationOps.relu(Ops.add(Ops.matmul(a1, w2), b2));
 *         Tensor a3 = ActivationOps.relu(Ops.add(Ops.matmul(a2, w3), b3));
 *         Tensor logits = Ops.add(Ops.matmul(a3, w4), b4);
 *         Tensor lossValue = LossOps.softmaxCrossEntropyWithLogits(y, logits);
 *         grads = tape.gradient(lossValue, variables);  // dW1, db1, ..., dW4, db4
 *         loss = lossValue.item();
 *     }
 *     for (int i = 0; i < variables.size(); i++) {      // plain SGD; an optimizer goes here
 *         float[] w = variables.get(i).data();
 *         float[] g = grads.get(i).data();
 *         for (int j = 0; j < w.length; j++) {
 *             w[j] -= learningRate * g[j];
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Semantics, as TensorFlow's:
 * <ul>
 *   <li>The constructor opens the tape: it records until {@link #close()}. Open tapes form a
 *       per-thread stack; every open tape records the ops that concern it, and a tape never sees ops
 *       run on another thread. An op is recorded on a tape only when one of its inputs is watched by
 *       that tape: a trainable {@link Variable} (watched automatically), a tensor passed to
 *       {@link #watch}, or an output already recorded on the tape.</li>
 *   <li>{@link #gradient} replays the recorded backward rules in reverse order from the target,
 *       seeded with ones of the target's shape (or a given output gradient), and sums the
 *       contributions to a tensor used more than once. A source the target does not depend on gets
 *       {@code null}, or zeros with {@link UnconnectedGradients#ZERO}.</li>
 *   <li>A tape from {@code new GradientTape()} allows one {@code gradient} call; one from
 *       {@link #persistent()} allows many.</li>
 *   <li>{@link #stopRecording()} pauses this tape for the extent of a try-with-resources block.</li>
 * </ul>
 *
 * <p>Buffers: the gradients {@code gradient} returns belong to the caller and stay valid as long as it
 * keeps them. The tensors it makes for its own use in between are recycled by the thread's next
 * {@code gradient} call: a backward rule (such as a {@link CustomGradient}) may read its
 * {@code upstream} gradient and the tensors it creates during its call, but must copy any it keeps
 * beyond that call, except those it returns. Tensors of the forward pass are not affected; to reuse
 * those too, run the step inside a {@link BufferPool} scope.
 *
 * <p>Differences from TensorFlow: {@link #close()} also releases the recording, so call
 * {@code gradient} and the graph exports ({@link #forwardGraph}, {@link #backwardGraph}) inside the
 * try block; and higher-order gradients are not
 * supported (backward rules run with recording off, so a tape never records another tape's
 * gradient computation).
 *
 * <p>Open a tape in try-with-resources: a tape that is never closed keeps recording the ops of its
 * thread that concern it, and keeps their tensors alive. A tape is used by one thread: the one that
 * opened it. Do not modify a variable between the
 * forward computation and the {@code gradient} call: the backward rules read the inputs' current
 * values.
 */
public final class GradientTape implements AutoCloseable {

    /** A scope that ends when closed, for try-with-resources; {@link #close()} does not throw. */
    public interface Scope extends AutoCloseable {
        /** Ends the scope; closing it again does nothing. */
        @Override
        void close();
    }

    /*
     * The tape is a list of nodes in execution order, which is already a topological order of the
     * graph: gradient() walks it backwards once (no recursive sort). Backward closures return their
     * inputs' gradients and never write to a gradient they did not allocate; only gradient()
     * accumulates, and it adds in place only into a sum it allocated itself for that tensor (a
     * closure may pass its upstream gradient through unchanged, e.g. add's da = g, so any other
     * buffer may be shared).
     *
     * Buffer reuse: when no BufferPool scope is open, gradient() takes its own temporaries (the
     * seed, the gradients passed between backward rules, the sums) from a pool owned by the thread,
     * in a scope that ends before it returns, and releases from that pool every array it returns. The
     * next gradient call on the thread reuses the rest, so a custom loop written without a BufferPool
     * stops allocating them after its first step. Ops write every element of their outputs, so the
     * values are those of fresh buffers. Inside a BufferPool scope (fit) that scope's pool serves as
     * before.
     *
     * Bookkeeping reuse: a closed tape hands its node list and identity sets, emptied, to the thread's
     * next tape, and a gradient call its maps to the next call, so that a pooled step allocates only
     * its nodes, closures and shape arrays (about 2 KB for the report network; StepAllocationTest).
     */

    private static final ThreadLocal<ThreadState> STATE = ThreadLocal.withInitial(ThreadState::new);

    private final boolean persistent;
    private final Thread owner;
    /** What this tape recorded; handed back to the thread for its next tape on close. */
    private final Recording recording;
    private final List<Node> nodes;
    private final Set<Tensor> watched;
    private final Set<Tensor> produced;
    private int paused;
    private boolean used;
    private boolean closed;

    /** Opens a non-persistent tape on this thread: it allows one {@link #gradient} call. */
    public GradientTape() {
        this(false);
    }

    private GradientTape(boolean persistent) {
        this.persistent = persistent;
        this.owner = Thread.currentThread();
        ThreadState state = STATE.get();
        this.recording = state.spareRecording != null ? state.spareRecording : new Recording();
        state.spareRecording = null;
        this.nodes = recording.nodes;
        this.watched = recording.watched;
        this.produced = recording.produced;
        state.open.add(this);
    }

    /**
     * Opens a persistent tape on this thread: it allows any number of {@link #gradient} calls.
     *
     * @return the new tape, open and recording until closed
     */
    public static GradientTape persistent() {
        return new GradientTape(true);
    }

    /**
     * Whether this tape allows more than one {@link #gradient} call.
     *
     * @return {@code true} for a tape from {@link #persistent()}, {@code false} for one from {@code new GradientTape()}
     */
    public boolean isPersistent() {
        return persistent;
    }

    /**
     * Makes this tape record ops on these tensors (trainable variables are watched without this).
     * Watch a tensor before running the ops on it.
     *
     * @param tensors the tensors to watch, none null; watching a tensor twice has no further effect
     * @throws IllegalStateException if the tape is closed
     */
    public void watch(Tensor... tensors) {
        requireOpen("watch");
        Objects.requireNonNull(tensors, "watch: expected tensors, got a null array");
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) {
                throw new NullPointerException("watch: expected tensors, got null at index " + i);
            }
        }
        Collections.addAll(watched, tensors);
    }

    /**
     * Pauses recording on this tape until the returned scope is closed; scopes nest. Ops run meanwhile
     * are not recorded here (other open tapes still record them), and their outputs are constants to
     * this tape.
     *
     * @return the scope that resumes recording when closed (use it in try-with-resources)
     * @throws IllegalStateException if the tape is closed
     */
    public Scope stopRecording() {
        requireOpen("stopRecording");
        paused++;
        return new Scope() {
            private boolean done;

            @Override
            public void close() {
                if (!done) {
                    done = true;
                    paused--;
                }
            }
        };
    }

    /**
     * The gradient of {@code target} with respect to {@code source}, or {@code null} if the target does
     * not depend on it.
     *
     * @param target a tensor recorded on this tape or watched by it, of any shape; seeded with ones
     * @param source the tensor to differentiate with respect to
     * @return the gradient, of {@code source}'s shape, or {@code null} if {@code target} does not depend on it
     * @throws IllegalStateException    if the tape is closed, or is non-persistent and was used
     * @throws IllegalArgumentException if the target was not recorded on this tape
     * @see #gradient(Tensor, List, Tensor, UnconnectedGradients)
     */
    public Tensor gradient(Tensor target, Tensor source) {
        if (source == null) {
            throw new NullPointerException("gradient: expected a source tensor, got null");
        }
        return gradient(target, Collections.singletonList(source), null, UnconnectedGradients.NONE).get(0);
    }

    /**
     * The gradients of {@code target} with respect to each source, in order ({@code null} where the
     * target does not depend on the source).
     *
     * @param target  a tensor recorded on this tape or watched by it, of any shape; seeded with ones
     * @param sources the tensors to differentiate with respect to; may repeat
     * @return an unmodifiable list with one gradient per source, each of its source's shape or {@code null}
     * @throws IllegalStateException    if the tape is closed, or is non-persistent and was used
     * @throws IllegalArgumentException if the target was not recorded on this tape
     * @see #gradient(Tensor, List, Tensor, UnconnectedGradients)
     */
    public List<Tensor> gradient(Tensor target, List<? extends Tensor> sources) {
        return gradient(target, sources, null, UnconnectedGradients.NONE);
    }

    /**
     * The gradients of {@code target} with respect to each source, in order: for each source
     * {@code s}, {@code Σ_i seed_i · ∂target_i/∂s}, a plain tensor of {@code s}'s shape.
     *
     * <p>The returned tensors are new or belong to the caller alone: none shares its data with
     * another result, a variable, or the given output gradient.
     *
     * @param target         a tensor recorded on this tape or watched by it, of any shape
     * @param sources        the tensors to differentiate with respect to; may repeat
     * @param outputGradient the seed, of the target's shape with finite values; {@code null} for ones
     *                       (TensorFlow's {@code output_gradients})
     * @param unconnected    what to return for a source the target does not depend on (including a
     *                       source this tape does not watch)
     * @return an unmodifiable list with one gradient per source, in the order of {@code sources}
     * @throws IllegalStateException    if the tape is closed, or is non-persistent and was used
     * @throws IllegalArgumentException if the target was not recorded on this tape, or the output
     *                                  gradient has the wrong shape or a non-finite value
     */
    public List<Tensor> gradient(Tensor target, List<? extends Tensor> sources, Tensor outputGradient,
                                 UnconnectedGradients unconnected) {
        requireOpen("gradient");
        if (used && !persistent) {
            throw new IllegalStateException("gradient: this non-persistent GradientTape was already used once;"
                    + " open it with GradientTape.persistent() to call gradient() several times");
        }
        if (target == null) {
            throw new NullPointerException("gradient: expected a target tensor, got null");
        }
        if (sources == null) {
            throw new NullPointerException("gradient: expected a list of sources, got null");
        }
        if (unconnected == null) {
            throw new NullPointerException("gradient: expected an UnconnectedGradients value, got null");
        }
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i) == null) {
                throw new NullPointerException("gradient: expected source tensors, got null at index " + i);
            }
        }
        requireRecorded("gradient", target);
        if (outputGradient != null) {
            checkSeed(target, outputGradient);
        }
        used = true;

        ThreadState state = STATE.get();
        // The walk's maps come from the thread's spare (a nested gradient call, from inside a backward
        // rule, finds none taken and makes its own); cleared, they keep their capacity.
        Walk walk = state.spareWalk != null ? state.spareWalk : new Walk();
        state.spareWalk = null;
        try {
            return walk(walk, state, target, sources, outputGradient, unconnected);
        } finally {
            walk.clear();
            state.spareWalk = walk;
        }
    }

    private List<Tensor> walk(Walk walk, ThreadState state, Tensor target, List<? extends Tensor> sources,
                              Tensor outputGradient, UnconnectedGradients unconnected) {
        Set<Tensor> live = dependsOnSources(sources, walk.live);
        Map<Tensor, Tensor> grads = walk.grads;
        Set<Tensor> owned = walk.owned;
        BufferPool scratch = BufferPool.active() == null && !state.scratch.isOpen() ? state.scratch : null;
        BufferPool.Scope scratchScope = scratch == null ? null : scratch.enter();
        state.suspended++;
        try {
            grads.put(target, outputGradient != null ? outputGradient : Buffers.filled(1f, target.shape()));
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node node = nodes.get(i);
                Tensor g = grads.get(node.output());
                if (g == null || !live.contains(node.output())) {
                    continue;
                }
                Tensor[] inputs = node.inputs();
                boolean[] need = walk.need(inputs.length);
                for (int j = 0; j < inputs.length; j++) {
                    need[j] = live.contains(inputs[j]);
                }
                Tensor[] inputGrads = node.backward().apply(g, need);
                checkBackwardResult(node, inputGrads);
                for (int j = 0; j < inputs.length; j++) {
                    if (need[j] && inputGrads[j] != null) {
                        accumulate(grads, owned, inputs[j], inputGrads[j]);
                    }
                }
            }
        } finally {
            state.suspended--;
            if (scratchScope != null) {
                scratchScope.close();
            }
        }

        List<Tensor> result = new ArrayList<>(sources.size());
        Set<float[]> seen = walk.seen;
        if (outputGradient != null) {
            seen.add(outputGradient.data());
        }
        for (Tensor source : sources) {
            Tensor g = grads.get(source);
            if (g == null) {
                result.add(unconnected == UnconnectedGradients.ZERO ? Buffers.filled(0f, source.shape()) : null);
            } else {
                Tensor r = !seen.add(g.data()) || g instanceof Variable ? Buffers.copyOf(g) : g;
                if (scratch != null) {
                    scratch.release(r.data());
                }
                result.add(r);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /**
     * The recorded forward computation: one {@link ComputationGraph.Kind#OP} node per op (its name and
     * output shape) in record order, one node per input no recorded op produced (a
     * {@link ComputationGraph.Kind#PARAMETER}, {@link ComputationGraph.Kind#WATCHED} or
     * {@link ComputationGraph.Kind#CONSTANT} leaf, labelled with a variable's name or "watched" or
     * "constant"), and edges labelled with the arguments' names when an op has several. It depends only
     * on the recorded ops and their order.
     *
     * @param names names for tensors that are not variables (e.g. {@code x}, {@code y}, or intermediate
     *              results such as {@code z1}, {@code a1}); {@code Map.of()} for none
     * @return the forward graph, a snapshot of the ops recorded so far
     * @throws IllegalStateException    if the tape is closed
     * @throws IllegalArgumentException if a name is blank
     */
    public ComputationGraph forwardGraph(Map<? extends Tensor, String> names) {
        requireOpen("forwardGraph");
        checkNames("forwardGraph", names);
        return ComputationGraph.forward(nodes, this::tracks, names);
    }

    /**
     * The backward computation of {@code target}'s gradient: from the
     * {@link ComputationGraph.Kind#SEED}, one {@link ComputationGraph.Kind#RULE} node per backward rule
     * applied (the op's name and its rule, e.g. {@code da = g·bᵀ}), a {@link ComputationGraph.Kind#SUM}
     * where a tensor's gradient has several contributions, and one
     * {@link ComputationGraph.Kind#GRADIENT} node per watched input (e.g. {@code ∂L/∂W1}); edges carry
     * the gradient's name and shape. It covers every watched input the target depends on, and depends
     * only on the recorded ops and their order.
     *
     * @param target the tensor whose gradient computation is drawn, recorded on this tape
     * @param names  names for tensors that are not variables; {@code Map.of()} for none
     * @return the backward graph of {@code target}
     * @throws IllegalStateException    if the tape is closed
     * @throws IllegalArgumentException if the target was not recorded on this tape, or a name is blank
     */
    public ComputationGraph backwardGraph(Tensor target, Map<? extends Tensor, String> names) {
        requireOpen("backwardGraph");
        if (target == null) {
            throw new NullPointerException("backwardGraph: expected a target tensor, got null");
        }
        checkNames("backwardGraph", names);
        requireRecorded("backwardGraph", target);
        return ComputationGraph.backward(nodes, target, this::tracks, names);
    }

    /**
     * {@link #forwardGraph} without names, as Graphviz DOT: {@code forwardGraph(Map.of()).toDot()}.
     *
     * @return the forward graph in Graphviz DOT
     * @throws IllegalStateException if the tape is closed
     */
    public String forwardGraphDot() {
        return forwardGraphDot(Map.of());
    }

    /**
     * {@link #forwardGraph(Map)} as Graphviz DOT.
     *
     * @param names names for tensors that are not variables; {@code Map.of()} for none
     * @return the forward graph in Graphviz DOT
     * @throws IllegalStateException    if the tape is closed
     * @throws IllegalArgumentException if a name is blank
     */
    public String forwardGraphDot(Map<? extends Tensor, String> names) {
        return forwardGraph(names).toDot();
    }

    /**
     * {@link #backwardGraph} without names, as Graphviz DOT.
     *
     * @param target the tensor whose gradient computation is drawn, recorded on this tape
     * @return the backward graph in Graphviz DOT
     * @throws IllegalStateException    if the tape is closed
     * @throws IllegalArgumentException if the target was not recorded on this tape
     */
    public String backwardGraphDot(Tensor target) {
        return backwardGraphDot(target, Map.of());
    }

    /**
     * {@link #backwardGraph(Tensor, Map)} as Graphviz DOT.
     *
     * @param target the tensor whose gradient computation is drawn, recorded on this tape
     * @param names  names for tensors that are not variables; {@code Map.of()} for none
     * @return the backward graph in Graphviz DOT
     * @throws IllegalStateException    if the tape is closed
     * @throws IllegalArgumentException if the target was not recorded on this tape, or a name is blank
     */
    public String backwardGraphDot(Tensor target, Map<? extends Tensor, String> names) {
        return backwardGraph(target, names).toDot();
    }

    /**
     * Stops recording and releases the recording; closing again does nothing. Must be called on the
     * thread that opened the tape.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a GradientTape must be closed on the thread that opened it ("
                    + owner.getName() + "), not on " + Thread.currentThread().getName());
        }
        closed = true;
        ThreadState state = STATE.get();
        state.open.remove(this);
        nodes.clear();
        watched.clear();
        produced.clear();
        // Every use of the collections checks that the tape is open, so the thread's next tape may
        // take them over (with their grown capacity): a training step then allocates none.
        if (state.spareRecording == null) {
            state.spareRecording = recording;
        }
    }

    // ---------------------------------------------------------------- recording (used by Ops)

    /**
     * Records an op on every open, unpaused tape of this thread that watches one of its inputs, and
     * returns {@code output}. Called by every op after its forward computation.
     */
    static Tensor record(String signature, String rule, Tensor output, Backward backward, Tensor... inputs) {
        ThreadState state = STATE.get();
        if (state.suspended > 0) {
            return output;
        }
        Node node = null;
        List<GradientTape> open = state.open;
        for (int i = 0; i < open.size(); i++) {   // indexed: no iterator per op
            GradientTape tape = open.get(i);
            if (tape.paused == 0 && tape.tracksAny(inputs)) {
                if (node == null) {
                    node = new Node(signature, rule, inputs, output, backward);
                }
                tape.nodes.add(node);
                tape.produced.add(output);
            }
        }
        return output;
    }

    /**
     * Runs {@code action} with recording paused on every tape open on this thread, and returns its
     * result: for computations that must not become part of a gradient, such as a custom op's forward
     * or a layer's trial run to learn its output shape.
     *
     * @param action what to run
     * @param <T>    its result type
     * @return what {@code action} returned
     */
    public static <T> T unrecorded(java.util.function.Supplier<T> action) {
        ThreadState state = STATE.get();
        state.suspended++;
        try {
            return action.get();
        } finally {
            state.suspended--;
        }
    }

    // ---------------------------------------------------------------- internals

    private boolean tracks(Tensor t) {
        return (t instanceof Variable v && v.trainable()) || watched.contains(t) || produced.contains(t);
    }

    private boolean tracksAny(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (tracks(t)) {
                return true;
            }
        }
        return false;
    }

    /** The watched sources and every recorded output computed from one of them (a forward pass). */
    private Set<Tensor> dependsOnSources(List<? extends Tensor> sources, Set<Tensor> live) {
        for (Tensor s : sources) {
            if (tracks(s)) {
                live.add(s);
            }
        }
        for (Node node : nodes) {
            for (Tensor in : node.inputs()) {
                if (live.contains(in)) {
                    live.add(node.output());
                    break;
                }
            }
        }
        return live;
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Set<Tensor> owned, Tensor key, Tensor g) {
        Tensor previous = grads.get(key);
        if (previous == null) {
            grads.put(key, g);
        } else if (owned.contains(key)) {
            KernelProvider.get().add(previous.data(), g.data(), previous.data(), previous.size());
        } else {
            Tensor sum = Buffers.like(previous);
            KernelProvider.get().add(previous.data(), g.data(), sum.data(), sum.size());
            grads.put(key, sum);
            owned.add(key);
        }
    }

    private static void checkBackwardResult(Node node, Tensor[] grads) {
        Tensor[] inputs = node.inputs();
        if (grads == null || grads.length != inputs.length) {
            throw new IllegalStateException("the backward rule of '" + node.op() + "' must return " + inputs.length
                    + " gradients (one per input), returned " + (grads == null ? "null" : grads.length));
        }
        for (int j = 0; j < inputs.length; j++) {
            if (grads[j] != null && !grads[j].sameShape(inputs[j])) {
                throw new IllegalStateException("the backward rule of '" + node.op() + "' returned a gradient of shape "
                        + grads[j].shapeString() + " for its input '" + node.argName(j) + "' of shape "
                        + inputs[j].shapeString());
            }
        }
    }

    private static void checkSeed(Tensor target, Tensor seed) {
        if (!seed.sameShape(target)) {
            throw new IllegalArgumentException("gradient: expected an output gradient of the target's shape "
                    + target.shapeString() + ", got " + seed.shapeString());
        }
        float[] d = seed.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                throw new IllegalArgumentException("gradient: expected finite output gradient values, got " + d[i]
                        + " at flat index " + i);
            }
        }
    }

    private static void checkNames(String method, Map<? extends Tensor, String> names) {
        if (names == null) {
            throw new NullPointerException(method + ": expected a map of names (Map.of() for none), got null");
        }
        names.forEach((t, name) -> {
            if (t == null || name == null || name.isBlank()) {
                throw new IllegalArgumentException(method + ": expected a tensor and a non-blank name in every entry,"
                        + " got " + (t == null ? "null" : t.shapeString()) + " -> " + name);
            }
        });
    }

    private void requireRecorded(String method, Tensor target) {
        if (!tracks(target)) {
            throw new IllegalArgumentException(method + ": expected a target recorded on this tape (computed by ops"
                    + " inside the tape's block from watched tensors or trainable variables), got a tensor of shape "
                    + target.shapeString() + " that this tape did not record");
        }
    }

    private void requireOpen(String method) {
        if (closed) {
            throw new IllegalStateException(method + ": this GradientTape is closed; call " + method
                    + " inside its try-with-resources block");
        }
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** The open tapes of one thread, innermost last, and whether recording is suspended. */
    private static final class ThreadState {
        final List<GradientTape> open = new ArrayList<>();
        /** The backward temporaries of this thread's last gradient call, reused by the next. */
        final BufferPool scratch = new BufferPool();
        int suspended;
        /** A closed tape's collections, empty, for the thread's next tape; null while one has them. */
        Recording spareRecording;
        /** The maps of a finished gradient walk, empty, for the next; null while a walk has them. */
        Walk spareWalk;
    }

    /** A tape's recorded nodes, watched tensors and recorded outputs. */
    private static final class Recording {
        final List<Node> nodes = new ArrayList<>();
        final Set<Tensor> watched = identitySet();
        final Set<Tensor> produced = identitySet();
    }

    /** The working state of one gradient call; none of it outlives the call. */
    private static final class Walk {
        final Set<Tensor> live = identitySet();
        final Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        final Set<Tensor> owned = identitySet();
        final Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        /** Need flags by number of inputs: a rule reads them during its call only. */
        private boolean[][] needs = new boolean[4][];

        /** The need flags for an op of {@code inputs} inputs, exactly that long. */
        boolean[] need(int inputs) {
            if (inputs >= needs.length) {
                needs = Arrays.copyOf(needs, inputs + 1);
            }
            if (needs[inputs] == null) {
                needs[inputs] = new boolean[inputs];
            }
            return needs[inputs];
        }

        void clear() {
            live.clear();
            grads.clear();
            owned.clear();
            seen.clear();
        }
    }
}
