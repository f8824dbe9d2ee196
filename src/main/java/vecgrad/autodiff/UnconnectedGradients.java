package vecgrad.autodiff;

/**
 * What {@link GradientTape#gradient} returns for a source the target does not depend on, as
 * TensorFlow's {@code tf.UnconnectedGradients}.
 */
public enum UnconnectedGradients {
    /** {@code null} (TensorFlow's {@code None}); the default. */
    NONE,
    /** A tensor of zeros of the source's shape. */
    ZERO
}
