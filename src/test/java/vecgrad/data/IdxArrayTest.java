package vecgrad.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

final class IdxArrayTest {

    @Test
    void ofInts_copiesInputAndOutput() {
        int[] values = {1, 2, 3, 4, 5, 6};
        IdxArray a = IdxArray.ofInts(values, 2, 3);
        values[0] = 99;
        a.ints()[1] = 99;
        assertThat(a.ints()).containsExactly(1, 2, 3, 4, 5, 6);
        int[] dims = a.dims();
        dims[0] = 7;
        assertThat(a.dims()).containsExactly(2, 3);
        assertThat(a.rank()).isEqualTo(2);
        assertThat(a.dim(1)).isEqualTo(3);
        assertThat(a.size()).isEqualTo(6);
    }

    @Test
    void ofFloats_sizeMismatch() {
        assertThatThrownBy(() -> IdxArray.ofFloats(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimensions (2, 3) need 6 values, got 5");
    }

    @Test
    void ofShorts_zeroDimension() {
        assertThatThrownBy(() -> IdxArray.ofShorts(new short[0], 3, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("IDX dimensions must be >= 1, got (3, 0)");
    }

    @Test
    void ofDoubles_rankZeroOrAbove255() {
        assertThatThrownBy(() -> IdxArray.ofDoubles(new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IDX array has 1..255 dimensions, got 0");
        int[] dims = new int[256];
        java.util.Arrays.fill(dims, 1);
        assertThatThrownBy(() -> IdxArray.ofDoubles(new double[1], dims))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an IDX array has 1..255 dimensions, got 256");
    }

    @Test
    void ofUnsignedBytes_tooManyElements() {
        assertThatThrownBy(() -> IdxArray.ofUnsignedBytes(new byte[1], 65536, 65536))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dimensions (65536, 65536) hold more than 2147483639 elements");
    }

    @Test
    void ofSignedBytes_nulls() {
        assertThatThrownBy(() -> IdxArray.ofSignedBytes(null, 1)).isInstanceOf(NullPointerException.class)
                .hasMessage("values");
        assertThatThrownBy(() -> IdxArray.ofSignedBytes(new byte[1], (int[]) null))
                .isInstanceOf(NullPointerException.class).hasMessage("dims");
    }

    @Test
    void floats_wrongType() {
        IdxArray a = IdxArray.ofUnsignedBytes(new byte[] {1}, 1);
        assertThatThrownBy(a::floats)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("floats() needs an array of 0x0d (float), this one holds 0x08 (unsigned byte)");
        assertThatThrownBy(() -> IdxArray.ofDoubles(new double[] {1}, 1).toIntArray())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("toIntArray() needs an array of 0x08 (unsigned byte) or 0x09 (signed byte) or 0x0b (short)"
                        + " or 0x0c (int), this one holds 0x0e (double)");
    }

    @Test
    void toIntArray_unsignedVersusSignedBytes() {
        byte[] raw = {(byte) 0x80, (byte) 0xFF, 0x7F};
        assertThat(IdxArray.ofUnsignedBytes(raw, 3).toIntArray()).containsExactly(128, 255, 127);
        assertThat(IdxArray.ofSignedBytes(raw, 3).toIntArray()).containsExactly(-128, -1, 127);
        assertThat(IdxArray.ofShorts(new short[] {-5, 300}, 2).toIntArray()).containsExactly(-5, 300);
    }

    @Test
    void toFloatArray_everyType() {
        assertThat(IdxArray.ofUnsignedBytes(new byte[] {(byte) 200}, 1).toFloatArray()).containsExactly(200f);
        assertThat(IdxArray.ofSignedBytes(new byte[] {(byte) 200}, 1).toFloatArray()).containsExactly(-56f);
        assertThat(IdxArray.ofShorts(new short[] {-300}, 1).toFloatArray()).containsExactly(-300f);
        // 2^24 + 1 is the first int a float cannot hold; it rounds to even, 2^24.
        assertThat(IdxArray.ofInts(new int[] {16_777_217}, 1).toFloatArray()).containsExactly(16_777_216f);
        assertThat(IdxArray.ofFloats(new float[] {0.25f}, 1).toFloatArray()).containsExactly(0.25f);
        assertThat(IdxArray.ofDoubles(new double[] {0.1}, 1).toFloatArray()).containsExactly(0.1f);
    }

    @Test
    void equals_byValue() {
        IdxArray a = IdxArray.ofFloats(new float[] {1, Float.NaN}, 2);
        assertThat(a).isEqualTo(IdxArray.ofFloats(new float[] {1, Float.NaN}, 2))
                .hasSameHashCodeAs(IdxArray.ofFloats(new float[] {1, Float.NaN}, 2))
                .isNotEqualTo(IdxArray.ofFloats(new float[] {1, Float.NaN}, 1, 2))
                .isNotEqualTo(IdxArray.ofFloats(new float[] {1, 2}, 2));
        assertThat(IdxArray.ofUnsignedBytes(new byte[] {1}, 1)).isNotEqualTo(IdxArray.ofSignedBytes(new byte[] {1}, 1));
    }

    @Test
    void toString_typeAndDims() {
        assertThat(IdxArray.ofUnsignedBytes(new byte[6], 1, 2, 3))
                .hasToString("IdxArray[0x08 (unsigned byte) (1, 2, 3)]");
    }

    @Test
    void dim_outOfRange() {
        assertThatThrownBy(() -> IdxArray.ofInts(new int[2], 2).dim(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("axis must be in 0..0, got 1");
    }
}
