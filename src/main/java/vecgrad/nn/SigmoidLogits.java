package vecgrad.nn;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import vecgrad.tensor.Tensor;

/**
 * Remembers the logits behind each sigmoid output a layer produced, so that binary cross-entropy on
 * probabilities can use the fused, stable sigmoid cross-entropy on the logits instead, as TensorFlow
 * Keras does with the {@code _keras_logits} it attaches to a sigmoid output. Then the loss of a
 * saturated sigmoid is not capped by the clipping of probabilities, and its gradient with respect to
 * the logits is exactly {@code (σ(z) − y)} scaled, whichever way the loss is called.
 *
 * <p>Tensors compare by identity, so the weak map is an identity map; an entry lives as long as the
 * sigmoid output it belongs to.
 */
final class SigmoidLogits {

    private static final Map<Tensor, Tensor> LOGITS = Collections.synchronizedMap(new WeakHashMap<>());

    private SigmoidLogits() {
    }

    static Tensor remember(Tensor probabilities, Tensor logits) {
        LOGITS.put(probabilities, logits);
        return probabilities;
    }

    /** The logits of a sigmoid output made by a layer, or null. */
    static Tensor of(Tensor probabilities) {
        return LOGITS.get(probabilities);
    }
}
