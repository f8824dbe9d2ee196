package vecgrad.nn;

import java.util.function.UnaryOperator;
import vecgrad.tensor.Tensor;

/**
 * An activation that is a name and a function of {@code z}: what {@link Activation#of(String, UnaryOperator)}
 * returns, and the base of {@link BuiltinActivation.Parameterized}. Equal only to itself.
 */
class FunctionActivation implements Activation {

    private final String kerasName;
    private final UnaryOperator<Tensor> function;

    FunctionActivation(String kerasName, UnaryOperator<Tensor> function) {
        this.kerasName = kerasName;
        this.function = function;
    }

    @Override
    public final String kerasName() {
        return kerasName;
    }

    @Override
    public final Tensor apply(Tensor z) {
        return function.apply(z);
    }

    @Override
    public String toString() {
        return kerasName;
    }
}
