package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import vecgrad.tensor.Tensor;

/** A dataset of 8-bit pixels reads as pixel / 255f everywhere, without a whole float copy. */
final class PixelDatasetTest {

    /** 37 rows of 5 pixels, every byte value somewhere; labels i mod 4. */
    private static Dataset pixels() {
        byte[] p = new byte[37 * 5];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) (i * 7);
        }
        int[] labels = new int[37];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 4;
        }
        return Dataset.ofPixels(p, 5, labels);
    }

    @Test
    void images_arePixelsOver255() {
        Dataset d = pixels();
        Tensor images = d.images();
        assertThat(images.shape()).containsExactly(37, 5);
        for (int i = 0; i < images.size(); i++) {
            int pixel = (i * 7) & 0xFF;
            assertThat(images.data()[i]).isEqualTo(pixel / 255f);
        }
        assertThat(d.images()).as("made once").isSameAs(images);
    }

    @Test
    void ofPixels_copiesAndChecksTheLength() {
        byte[] p = {1, 2, 3, 4};
        Dataset d = Dataset.ofPixels(p, 2, new int[] {0, 1});
        p[0] = 99;
        assertThat(d.images().data()[0]).isEqualTo(1 / 255f);
        assertThatThrownBy(() -> Dataset.ofPixels(new byte[5], 2, new int[2])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 2 rows of 2 pixels (4 bytes) for 2 labels, got 5 bytes");
        assertThatThrownBy(() -> Dataset.ofPixels(new byte[0], 0, new int[0])).hasMessage("expected features >= 1, got 0");
    }

    @Test
    void slices_readTheirOwnRows() {
        Dataset d = pixels();
        Dataset part = d.slice(10, 20).slice(3, 7);   // rows 13..16 of the whole
        assertThat(part.size()).isEqualTo(4);
        assertThat(part.labels()).containsExactly(1, 2, 3, 0);
        Tensor whole = d.images();
        for (int i = 0; i < part.images().size(); i++) {
            assertThat(part.images().data()[i]).isEqualTo(whole.data()[13 * 5 + i]);
        }
        assertThat(d.validationPart(0.1).images().data()).isEqualTo(
                java.util.Arrays.copyOfRange(whole.data(), 33 * 5, 37 * 5));
    }

    @Test
    void batches_sameAsFromTheWholeTensors() {
        Dataset d = pixels();
        Batches fromData = Batches.shuffled(d, 4, 8, new Random(3));
        Batches fromTensors = Batches.shuffled(d.images(), d.oneHot(4), 8, new Random(3));
        for (int epoch = 0; epoch < 3; epoch++) {
            Iterator<Batches.Batch> a = fromData.iterator();
            Iterator<Batches.Batch> b = fromTensors.iterator();
            while (b.hasNext()) {
                Batches.Batch x = a.next();
                Batches.Batch y = b.next();
                assertThat(x.rows()).isEqualTo(y.rows());
                assertThat(x.x().data()).isEqualTo(y.x().data());
                assertThat(x.y().data()).isEqualTo(y.y().data());
                assertThat(x.y().shape()).containsExactly(x.size(), 4);
            }
            assertThat(a.hasNext()).isFalse();
        }
    }

    @Test
    void batches_labelOutsideTheClasses_rejectedBeforeAnyBatch() {
        assertThatThrownBy(() -> Batches.inOrder(pixels(), 3, 8)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("label 3 at index 3 is outside 0..2");
        assertThatThrownBy(() -> Batches.inOrder(pixels(), 0, 8)).hasMessage("expected classes >= 1, got 0");
        assertThatThrownBy(() -> Batches.inOrder(pixels(), 4, 0)).hasMessage("batchSize must be >= 1, got 0");
    }
}
