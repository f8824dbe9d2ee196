/**
 * Layers, activations, losses, metrics, callbacks and the Keras-style model. The entry point is
 * {@link vecgrad.nn.Sequential}: build it from layers ({@link vecgrad.nn.Dense},
 * {@link vecgrad.nn.Dropout}, {@link vecgrad.nn.BatchNormalization}, {@link vecgrad.nn.LayerNormalization},
 * {@link vecgrad.nn.Normalization}, {@link vecgrad.nn.ActivationLayer}, the image layers
 * {@link vecgrad.nn.Conv2D}, {@link vecgrad.nn.MaxPooling2D}, {@link vecgrad.nn.AveragePooling2D},
 * {@link vecgrad.nn.GlobalAveragePooling2D}, {@link vecgrad.nn.Flatten} and {@link vecgrad.nn.Reshape},
 * or a subclass of {@link vecgrad.nn.Layer} of your own),
 * {@code compile} it with an optimizer from {@code vecgrad.optim}, a {@link vecgrad.nn.Loss} and
 * {@link vecgrad.nn.Metric}s, then {@code fit}, {@code evaluate}, {@code predict}, and {@code save} the
 * whole model ({@link vecgrad.nn.LayerRegistry} brings your own layers back on {@code load}). Training
 * runs on {@link vecgrad.autodiff.GradientTape}; a layer's weights may carry a
 * {@link vecgrad.nn.Regularizer}, whose penalties the model collects in {@link vecgrad.nn.Model#losses()}.
 */
package vecgrad.nn;
