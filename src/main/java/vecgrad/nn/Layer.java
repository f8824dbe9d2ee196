package vecgrad.nn;

import java.util.List;
import vecgrad.tensor.Tensor;
import vecgrad.tensor.Variable;

/** A layer of a {@link Sequential} model. {@link Dense} is the one kind there is. */
public sealed interface Layer permits Dense {

    /** The layer's name in its model, e.g. {@code dense_1} (null before the model builds it). */
    String name();

    /** The number of outputs per sample. */
    int units();

    /** The forward pass {@code x (batch, inputs) -> (batch, units)}, through recorded ops. */
    Tensor call(Tensor x);

    /** The layer's weights (empty before the model builds it). */
    List<Variable> variables();
}
