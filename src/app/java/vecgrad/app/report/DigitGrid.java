package vecgrad.app.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Misclassified digits in a grid, each an embedded 28 x 28 PNG (dark ink on white, drawn with
 * pixelated scaling so the real pixels show) with its true and predicted label, probability and
 * test-set index.
 */
final class DigitGrid {

    private static final int COLUMNS = 8;
    private static final double TILE_W = 112;
    private static final double TILE_H = 112;
    private static final double IMAGE = 64;
    private static final double MARGIN = 16;

    private DigitGrid() {
    }

    static String svg(List<Misclassified> digits) {
        if (digits.isEmpty()) {
            Svg svg = new Svg(400, 60, "Misclassified test digits");
            svg.text(200, 35, "no misclassified digits", "text-anchor", "middle", "font-size", "14", "fill", "#6b7280");
            return svg.done();
        }
        int cols = Math.min(COLUMNS, digits.size());
        int rows = (digits.size() + cols - 1) / cols;
        Svg svg = new Svg(2 * MARGIN + cols * TILE_W, 2 * MARGIN + rows * TILE_H, "Misclassified test digits");
        for (int i = 0; i < digits.size(); i++) {
            Misclassified d = digits.get(i);
            double x = MARGIN + (i % cols) * TILE_W;
            double y = MARGIN + (double) (i / cols) * TILE_H;
            double ix = x + (TILE_W - IMAGE) / 2;
            svg.open("g", "class", "digit");
            svg.element("image", "x", Svg.num(ix), "y", Svg.num(y), "width", Svg.num(IMAGE), "height", Svg.num(IMAGE),
                    "preserveAspectRatio", "none", "image-rendering", "optimizeSpeed", "style", "image-rendering:pixelated",
                    "xlink:href", "data:image/png;base64," + png(d));
            svg.rect(ix - 0.5, y - 0.5, IMAGE + 1, IMAGE + 1, "fill", "none", "stroke", "#9ca3af");
            svg.text(x + TILE_W / 2, y + IMAGE + 17, "true " + d.trueLabel() + " / pred " + d.predictedLabel(),
                    "text-anchor", "middle", "font-size", "12", "font-weight", "bold");
            String detail = Double.isNaN(d.probability()) ? "#" + d.index()
                    : String.format(Locale.ROOT, "p %.2f · #%d", d.probability(), d.index());
            svg.text(x + TILE_W / 2, y + IMAGE + 32, detail, "text-anchor", "middle", "font-size", "10.5", "fill", "#4b5563");
            svg.close("g");
        }
        return svg.done();
    }

    /** The digit as a greyscale PNG, ink dark on white, base64-encoded. */
    static String png(Misclassified d) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        var raster = img.getRaster();
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                raster.setSample(c, r, 0, Math.round(255 * (1 - d.pixel(r, c))));
            }
        }
        var bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory stream: not expected
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
