package vecgrad.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

final class SafeTensorsReaderTest {

    @Test
    void halfToFloat_everyHalfMatchesTheDefinition() {
        // IEEE 754 binary16: sign s, 5-bit exponent e (bias 15), 10-bit fraction m.
        //   e = 0:       (-1)^s * m * 2^-24             (zero and subnormals)
        //   0 < e < 31:  (-1)^s * (1024 + m) * 2^(e-25)
        //   e = 31:      infinity (m = 0) or NaN
        for (int h = 0; h < 1 << 16; h++) {
            int s = h >>> 15;
            int e = (h >>> 10) & 31;
            int m = h & 1023;
            float got = SafeTensorsReader.halfToFloat((short) h);
            if (e == 31) {
                assertThat(Float.isNaN(got)).as("0x%04x", h).isEqualTo(m != 0);
                if (m == 0) {
                    assertThat(got).isEqualTo(s == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY);
                }
                continue;
            }
            double magnitude = e == 0 ? Math.scalb((double) m, -24) : Math.scalb((double) (1024 + m), e - 25);
            float expected = (float) (s == 0 ? magnitude : -magnitude);
            assertThat(Float.floatToRawIntBits(got)).as("0x%04x", h).isEqualTo(Float.floatToRawIntBits(expected));
        }
    }
}
