package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/** Data as images: Dataset.images(sampleShape) views and Batches over x of rank 4. */
final class ImageBatchesTest {

    @Test
    void images_sampleShape_isAViewOfTheFlatRows() {
        byte[] pixels = new byte[3 * 12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 7);
        }
        Dataset d = Dataset.ofPixels(pixels, 12, new int[] {0, 1, 2});
        Tensor images = d.images(2, 3, 2);
        assertThat(images.shape()).containsExactly(3, 2, 3, 2);
        assertThat(images.data()).isSameAs(d.images().data());
        // sample 1, row 1, column 2, channel 1 is flat feature (1·3 + 2)·2 + 1 = 11 of row 1
        assertThat(images.get(1, 1, 2, 1)).isEqualTo(((12 + 11) * 7 & 0xFF) / 255f);
    }

    @Test
    void images_sampleShapeOfAnotherSize_namesBoth() {
        Dataset d = Dataset.of(Tensor.zeros(2, 784), new int[] {0, 1});
        assertThat(d.images(Mnist.imageShape()).shape()).containsExactly(2, 28, 28, 1);
        assertThatThrownBy(() -> d.images(28, 28, 3)).hasMessageContaining("784").hasMessageContaining("(28, 28, 3)");
        assertThatThrownBy(() -> d.images(new int[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> d.images(-28, -28, 1)).hasMessageContaining("(-28, -28, 1)");
    }

    @Test
    void withSampleShape_batchesOfThatShape_subsetsKeepIt() {
        byte[] pixels = new byte[10 * 12];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 13);
        }
        int[] labels = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
        Dataset flat = Dataset.ofPixels(pixels, 12, labels);
        Dataset images = flat.withSampleShape(2, 3, 2);
        assertThat(flat.sampleShape()).containsExactly(12);
        assertThat(images.sampleShape()).containsExactly(2, 3, 2);
        assertThat(images.images().shape()).containsExactly(10, 12);
        assertThat(images.validationPart(0.3).sampleShape()).containsExactly(2, 3, 2);
        var flatBatches = Batches.shuffled(flat, 3, 4, new Random(5)).iterator();
        for (Batches.Batch b : Batches.shuffled(images, 3, 4, new Random(5))) {
            Batches.Batch f = flatBatches.next();
            assertThat(b.x().shape()).containsExactly(b.size(), 2, 3, 2);
            assertThat(b.x().data()).isEqualTo(f.x().data());
            assertThat(b.y().data()).isEqualTo(f.y().data());
        }
        assertThatThrownBy(() -> flat.withSampleShape(28, 28, 1)).hasMessageContaining("12")
                .hasMessageContaining("(28, 28, 1)");
    }

    @Test
    void batches_ofImages_keepTheSampleShapeAndTheSameRowsAsFlatBatches() {
        Tensor flat = Tensor.randomUniform(new Random(1), 0f, 1f, 10, 12);
        Tensor y = Tensor.oneHot(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, 3);
        Tensor images = flat.reshape(10, 2, 3, 2);
        var flatBatches = Batches.shuffled(flat, y, 4, new Random(9)).iterator();
        int seen = 0;
        for (Batches.Batch b : Batches.shuffled(images, y, 4, new Random(9))) {
            Batches.Batch f = flatBatches.next();
            assertThat(b.x().shape()).containsExactly(b.size(), 2, 3, 2);
            assertThat(b.x().data()).isEqualTo(f.x().data());
            assertThat(b.rows()).isEqualTo(f.rows());
            seen += b.size();
        }
        assertThat(seen).isEqualTo(10);
        assertThatThrownBy(() -> Batches.inOrder(Tensor.zeros(10), y, 4)).hasMessageContaining("(10)");
    }
}
