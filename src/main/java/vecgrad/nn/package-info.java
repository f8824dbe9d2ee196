/**
 * Layers, losses, callbacks and the Keras-style model. The entry point is
 * {@link vecgrad.nn.Sequential}: build it from {@link vecgrad.nn.Dense} layers, {@code compile} it with
 * an optimizer from {@code vecgrad.optim} and a {@link vecgrad.nn.Loss}, then {@code fit},
 * {@code evaluate} and {@code predict}. Training runs on {@link vecgrad.autodiff.GradientTape}.
 */
package vecgrad.nn;
