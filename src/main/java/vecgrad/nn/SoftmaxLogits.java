package vecgrad.nn;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import vecgrad.tensor.Tensor;

/**
 * Remembers the logits behind each softmax output a layer produced, so that a cross-entropy loss on
 * probabilities can use the fused, stable softmax-cross-entropy on the logits instead, exactly as
 * TensorFlow Keras does with the {@code _keras_logits} it attaches to a softmax output. A custom loop
 * ({@code loss.call(y, model.call(x))}) and {@code fit} therefore compute the same loss and the same
 * gradients, whichever way the loss is called.
 *
 * <p>Tensors compare by identity, so the weak map is an identity map; an entry lives as long as the
 * softmax output it belongs to.
 */
final class SoftmaxLogits {

    private static final Map<Tensor, Tensor> LOGITS = Collections.synchronizedMap(new WeakHashMap<>());

    private SoftmaxLogits() {
    }

    static Tensor remember(Tensor probabilities, Tensor logits) {
        LOGITS.put(probabilities, logits);
        return probabilities;
    }

    /** The logits of a softmax output made by a layer, or null. */
    static Tensor of(Tensor probabilities) {
        return LOGITS.get(probabilities);
    }
}
