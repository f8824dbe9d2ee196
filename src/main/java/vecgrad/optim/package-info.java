/**
 * Optimizers that update {@link vecgrad.tensor.Variable}s in place from their gradients, with Keras 3's
 * defaults and update formulas, and learning-rate schedules. The entry point is
 * {@link vecgrad.optim.Optimizer#applyGradients}; the optimizers are {@link vecgrad.optim.SGD},
 * {@link vecgrad.optim.Adam}, {@link vecgrad.optim.AdamW}, {@link vecgrad.optim.RMSprop},
 * {@link vecgrad.optim.Adagrad}, {@link vecgrad.optim.Nadam} and {@link vecgrad.optim.Adamax}, each
 * configured through its {@code builder()} (learning rate or {@link vecgrad.optim.LearningRateSchedule},
 * clipping, weight decay and its own hyper-parameters). {@link vecgrad.optim.Optimizers#fromConfig} and
 * {@link vecgrad.optim.LearningRateSchedule#fromConfig} rebuild one from its config, as a whole-model
 * file does.
 */
package vecgrad.optim;
