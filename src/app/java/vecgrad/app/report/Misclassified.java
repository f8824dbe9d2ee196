package vecgrad.app.report;

import java.util.Objects;

/**
 * One misclassified test image.
 *
 * @param index          its index in the test set
 * @param pixels         28 x 28 ink values in [0, 1], row-major (MNIST's 0..255 divided by 255)
 * @param trueLabel      the correct digit, 0..9
 * @param predictedLabel the predicted digit, 0..9, different from {@code trueLabel}
 * @param probability    the predicted class's softmax probability in [0, 1], or NaN if unknown
 *
 * <p>As for any record with an array component, {@code equals} compares the pixel arrays by identity.
 */
public record Misclassified(int index, float[] pixels, int trueLabel, int predictedLabel, double probability) {

    /** Pixels of one image. */
    public static final int PIXELS = 28 * 28;

    /** Checks every field; the pixels are copied. */
    public Misclassified {
        if (index < 0) {
            throw new IllegalArgumentException("expected a test-set index >= 0, got " + index);
        }
        Objects.requireNonNull(pixels, "pixels");
        if (pixels.length != PIXELS) {
            throw new IllegalArgumentException("expected 784 pixels (28 x 28), got " + pixels.length);
        }
        for (int i = 0; i < PIXELS; i++) {
            if (!(pixels[i] >= 0 && pixels[i] <= 1)) {
                throw new IllegalArgumentException("expected pixels in [0, 1], got " + pixels[i] + " at " + i);
            }
        }
        pixels = pixels.clone();
        Checks.label("trueLabel", trueLabel);
        Checks.label("predictedLabel", predictedLabel);
        if (trueLabel == predictedLabel) {
            throw new IllegalArgumentException("expected a misclassified digit, got true = predicted = " + trueLabel);
        }
        Checks.fractionOrNaN("probability", probability);
    }

    /** A copy of the pixels. */
    @Override
    public float[] pixels() {
        return pixels.clone();
    }

    /** The ink of pixel (row, column), without copying. */
    float pixel(int row, int column) {
        return pixels[row * 28 + column];
    }
}
