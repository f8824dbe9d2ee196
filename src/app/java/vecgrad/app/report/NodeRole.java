package vecgrad.app.report;

import java.util.Locale;
import vecgrad.autodiff.ComputationGraph;

/**
 * How the report colours a {@link ComputationGraph} node: the reader of Figures 2 and 3 wants to tell
 * data from weights, the forward ops from the loss, and the backward pass from both, which is coarser
 * than the tape's own kinds (a backward rule, a sum and a leaf gradient are all "gradient" here).
 */
enum NodeRole {
    /** Data fed in: images, labels (a constant or watched leaf). */
    INPUT,
    /** A trainable weight or bias. */
    PARAMETER,
    /** A forward operation: matmul, add, conv2d, relu, ... */
    OP,
    /** The op producing the loss, and the backward seed. */
    LOSS,
    /** A backward rule, a sum of contributions or a parameter's gradient. */
    GRADIENT;

    /** The name of the tensor whose op is drawn as the loss (as {@code StepGraphs} names it). */
    static final String LOSS_TENSOR = "loss";

    static NodeRole of(ComputationGraph.Node n) {
        return switch (n.kind()) {
            case PARAMETER -> PARAMETER;
            case WATCHED, CONSTANT -> INPUT;
            case OP -> n.tensor().equals(LOSS_TENSOR) ? LOSS : OP;
            case SEED -> LOSS;
            case RULE, SUM, GRADIENT -> GRADIENT;
        };
    }

    /** The lower-case name used as CSS class and legend entry. */
    String cssName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
