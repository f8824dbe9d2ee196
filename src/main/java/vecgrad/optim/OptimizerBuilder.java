package vecgrad.optim;

import java.util.Objects;

/**
 * The settings every optimizer's builder shares, as Keras' base optimizer arguments
 * (keras/src/optimizers/base_optimizer.py): the learning rate (a number or a schedule), the gradient
 * clipping ({@code clipnorm}, {@code clipvalue} or {@code global_clipnorm}, at most one) and the
 * decoupled weight decay. Each setter checks its argument at once.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
abstract class OptimizerBuilder<B extends OptimizerBuilder<B>> {

    final String optimizer;
    double learningRate;
    LearningRateSchedule schedule;
    double clipnorm;
    double clipvalue;
    double globalClipnorm;
    double weightDecay;

    OptimizerBuilder(String optimizer, double defaultLearningRate) {
        this.optimizer = optimizer;
        this.learningRate = defaultLearningRate;
    }

    abstract B self();

    /**
     * Sets a constant learning rate (replacing a schedule set before).
     *
     * @param learningRate the step size, a finite number {@code > 0} that stays {@code > 0} as a float
     * @return this builder
     * @throws IllegalArgumentException unless {@code learningRate} is finite and {@code > 0} (also as a float)
     */
    public B learningRate(double learningRate) {
        OptimizerSupport.checkRate(optimizer + ": learningRate", learningRate);
        this.learningRate = learningRate;
        this.schedule = null;
        return self();
    }

    /**
     * Sets a learning-rate schedule, evaluated at the optimizer's {@code iterations()} before each step
     * (replacing a constant rate set before). {@link Optimizer#setLearningRate} then throws, as in Keras.
     *
     * @param schedule the schedule
     * @return this builder
     * @throws NullPointerException if {@code schedule} is null
     */
    public B learningRate(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, optimizer + ": learning-rate schedule");
        return self();
    }

    /**
     * Clips each gradient to an L2 norm of at most {@code clipnorm}, each variable on its own (Keras'
     * {@code clipnorm}: {@code g · clipnorm / max(‖g‖, clipnorm)}).
     *
     * @param clipnorm the largest norm, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException unless {@code clipnorm} is finite and {@code > 0}, or if
     *     {@code clipvalue} or {@code globalClipnorm} is set already (Keras allows one of the three)
     */
    public B clipnorm(double clipnorm) {
        this.clipnorm = checkClip("clipnorm", clipnorm);
        return self();
    }

    /**
     * Clips every gradient element to {@code [-clipvalue, clipvalue]} (Keras' {@code clipvalue}).
     *
     * @param clipvalue the largest magnitude, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException unless {@code clipvalue} is finite and {@code > 0}, or if
     *     {@code clipnorm} or {@code globalClipnorm} is set already
     */
    public B clipvalue(double clipvalue) {
        this.clipvalue = checkClip("clipvalue", clipvalue);
        return self();
    }

    /**
     * Scales all gradients together so that their joint L2 norm is at most {@code globalClipnorm}
     * (Keras' {@code global_clipnorm}: {@code g · clip · min(1/‖all‖, 1/clip)}).
     *
     * @param globalClipnorm the largest joint norm, finite and {@code > 0}
     * @return this builder
     * @throws IllegalArgumentException unless {@code globalClipnorm} is finite and {@code > 0}, or if
     *     {@code clipnorm} or {@code clipvalue} is set already
     */
    public B globalClipnorm(double globalClipnorm) {
        this.globalClipnorm = checkClip("globalClipnorm", globalClipnorm);
        return self();
    }

    /**
     * Decoupled weight decay as Keras' base optimizer applies it, before the update:
     * {@code w = w - w · weightDecay · lr}, with {@code lr} the step's learning rate.
     *
     * @param weightDecay the decay rate, finite and {@code >= 0} (0 turns it off)
     * @return this builder
     * @throws IllegalArgumentException unless {@code weightDecay} is finite and {@code >= 0}
     */
    public B weightDecay(double weightDecay) {
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException(optimizer + ": weightDecay must be a finite number >= 0, got "
                    + weightDecay);
        }
        this.weightDecay = weightDecay;
        return self();
    }

    private double checkClip(String name, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(optimizer + ": " + name + " must be a finite number > 0, got " + value);
        }
        int others = (clipnorm > 0 && !name.equals("clipnorm") ? 1 : 0)
                + (clipvalue > 0 && !name.equals("clipvalue") ? 1 : 0)
                + (globalClipnorm > 0 && !name.equals("globalClipnorm") ? 1 : 0);
        if (others > 0) {
            throw new IllegalArgumentException(optimizer + ": only one of clipnorm, clipvalue and globalClipnorm can be"
                    + " set (as Keras), got clipnorm=" + orNone(name, "clipnorm", clipnorm, value) + ", clipvalue="
                    + orNone(name, "clipvalue", clipvalue, value) + ", globalClipnorm="
                    + orNone(name, "globalClipnorm", globalClipnorm, value));
        }
        return value;
    }

    private static String orNone(String setting, String name, double current, double value) {
        double v = setting.equals(name) ? value : current;
        return v > 0 ? String.valueOf(v) : "none";
    }
}
