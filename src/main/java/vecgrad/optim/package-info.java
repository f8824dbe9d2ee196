/**
 * Optimizers that update {@link vecgrad.tensor.Variable}s in place from their gradients, with Keras'
 * defaults and update formulas. The entry point is {@link vecgrad.optim.Optimizer#applyGradients};
 * the implementations are {@link vecgrad.optim.Adam} and {@link vecgrad.optim.SGD}.
 */
package vecgrad.optim;
