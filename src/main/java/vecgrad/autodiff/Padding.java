package vecgrad.autodiff;

import java.util.Locale;
import java.util.Objects;

/**
 * How a convolution or pooling window treats the image border, as Keras' {@code padding} argument.
 */
public enum Padding {
    /** No padding: only windows that lie wholly inside the image, {@code out = floor((in − window) / stride) + 1}. */
    VALID,
    /**
     * Zero padding (ignored cells for pooling) so that {@code out = ceil(in / stride)}; an odd total pad
     * puts the extra row at the bottom and the extra column at the right, as TensorFlow does.
     */
    SAME;

    /** {@return Keras' name: {@code "valid"} or {@code "same"}} */
    public String kerasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The padding of a Keras name, in any case.
     *
     * @param name {@code "valid"} or {@code "same"}
     * @return the padding
     * @throws IllegalArgumentException if the name is neither
     */
    public static Padding of(String name) {
        Objects.requireNonNull(name, "padding");
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "valid" -> VALID;
            case "same" -> SAME;
            default -> throw new IllegalArgumentException("expected padding \"valid\" or \"same\", got \"" + name + "\"");
        };
    }
}
