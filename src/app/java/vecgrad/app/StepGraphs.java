package vecgrad.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import vecgrad.autodiff.ActivationOps;
import vecgrad.autodiff.ComputationGraph;
import vecgrad.autodiff.GradientTape;
import vecgrad.autodiff.Ops;
import vecgrad.nn.Activation;
import vecgrad.nn.Dense;
import vecgrad.nn.Layer;
import vecgrad.nn.Loss;
import vecgrad.nn.Sequential;
import vecgrad.tensor.Tensor;

/**
 * The forward and backward computation graphs of one training step of a network (the report's
 * Figures 2 and 3), as recorded by a real {@link GradientTape}; the report draws them as they are.
 *
 * @param forward  the forward pass, from x and the parameters to the loss
 * @param backward the backward pass, from the loss's seed to the gradient of every parameter
 */
record StepGraphs(ComputationGraph forward, ComputationGraph backward) {

    /*
     * The forward pass is written out layer by layer, z = x·W + b then a = relu(z), rather than
     * through model.call(), so that every intermediate tensor can be named (z1, a1, ..., logits). It
     * runs the same ops on the same variables as Dense does, and the loss is computed from the
     * logits exactly as Loss.categoricalCrossentropy() does for a softmax layer.
     */

    /**
     * Records one step of {@code model} on the batch {@code x}, {@code y (m, 10)} and converts it.
     *
     * @throws IllegalArgumentException if the model does not end in a softmax Dense layer, whose logits the
     *                                  recorded loss needs
     */
    static StepGraphs record(Sequential model, Tensor x, Tensor y) {
        List<Layer> all = model.layers();
        if (all.isEmpty() || !(all.get(all.size() - 1) instanceof Dense last) || last.activation() != Activation.SOFTMAX) {
            throw new IllegalArgumentException("expected a model ending in a Dense layer with softmax, got "
                    + (all.isEmpty() ? "no layers" : "last layer " + all.get(all.size() - 1).name()));
        }
        Map<Tensor, String> names = new LinkedHashMap<>();
        names.put(x, "x");
        names.put(y, "y");
        try (GradientTape tape = new GradientTape()) {
            Tensor a = x;
            List<Layer> layers = model.layers();
            boolean report = layers.stream().allMatch(l -> l instanceof Dense);
            int dense = 0;
            for (int l = 1; l <= layers.size(); l++) {
                Layer layer = layers.get(l - 1);
                if (layer instanceof Dense d) {
                    dense++;
                    // The report's notation, W1 and b1, rather than the variables' names (dense/kernel).
                    names.put(d.kernel(), "W" + dense);
                    names.put(d.bias(), "b" + dense);
                }
                if (!report) {
                    // Dropout and batch normalization: each layer's own ops, its output named after the layer.
                    a = l < layers.size() ? layer.call(a, true) : Ops.add(Ops.matmul(a, ((Dense) layer).kernel()),
                            ((Dense) layer).bias());
                    names.put(a, l < layers.size() ? layer.name() : "logits");
                    continue;
                }
                Dense d = (Dense) layer;
                Tensor z = Ops.add(Ops.matmul(a, d.kernel()), d.bias());
                if (l < layers.size()) {
                    names.put(z, "z" + l);
                    a = ActivationOps.relu(z);
                    names.put(a, "a" + l);
                } else {
                    names.put(z, "logits");
                    a = z;
                }
            }
            Tensor loss = Loss.categoricalCrossentropy(true).call(y, a);
            names.put(loss, "loss");
            return new StepGraphs(tape.forwardGraph(names), tape.backwardGraph(loss, names));
        }
    }
}
