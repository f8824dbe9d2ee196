package vecgrad.nn;

import vecgrad.tensor.Tensor;

/**
 * {@link Metric#ACCURACY}: Keras' {@code "accuracy"} string, a placeholder that {@link Sequential#compile}
 * replaces by the accuracy that fits the model, named {@code accuracy} (keras/src/trainers/compile_utils.py,
 * get_metric; the binary cross-entropy case follows tf.keras' compile_utils, as the brief of this API asks).
 */
final class AutoAccuracy implements Metric {

    /** The accuracy for a model with {@code outputs} outputs trained with {@code loss}. */
    static BuiltinMetric resolve(int outputs, Loss loss) {
        if (loss.sparse()) {
            return new BuiltinMetric.SparseCategoricalAccuracy("accuracy");
        }
        if (outputs == 1 || "binary_crossentropy".equals(loss.name())) {
            return new BuiltinMetric.BinaryAccuracy("accuracy", 0.5f);
        }
        return new BuiltinMetric.CategoricalAccuracy("accuracy");
    }

    @Override
    public String name() {
        return "accuracy";
    }

    @Override
    public void update(Tensor yTrue, Tensor yPred) {
        throw new IllegalStateException("Metric.ACCURACY is resolved by compile from the loss and the outputs; to use an"
                + " accuracy on its own, take Metric.categoricalAccuracy(), sparseCategoricalAccuracy() or binaryAccuracy()");
    }

    @Override
    public double result() {
        return 0;
    }

    @Override
    public void reset() {
    }

    @Override
    public Metric fresh() {
        return new AutoAccuracy();
    }

    @Override
    public Direction direction() {
        return Direction.UP;
    }

    @Override
    public String toString() {
        return "accuracy";
    }
}
