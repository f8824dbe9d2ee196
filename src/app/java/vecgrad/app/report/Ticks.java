package vecgrad.app.report;

import java.util.Locale;

/**
 * "Nice" axis ticks (steps of 1, 2, 2.5 or 5 times a power of ten) covering a data range, after
 * Heckbert, "Nice numbers for graph labels", Graphics Gems (1990).
 */
final class Ticks {

    final double[] values;
    final int decimals;

    private Ticks(double[] values, int decimals) {
        this.values = values;
        this.decimals = decimals;
    }

    double lo() {
        return values[0];
    }

    double hi() {
        return values[values.length - 1];
    }

    String label(double v) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** About {@code target} ticks spanning [min, max]; a flat range is widened around its value. */
    static Ticks of(double min, double max, int target) {
        if (!(min <= max) || !Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("expected a finite range min <= max, got " + min + ", " + max);
        }
        if (max - min < 1e-12) {
            double pad = Math.max(Math.abs(max) * 0.05, 1e-3);
            min -= pad;
            max += pad;
        }
        double raw = (max - min) / Math.max(1, target - 1);
        int exp = (int) Math.floor(Math.log10(raw));
        double f = raw / Math.pow(10, exp);
        double mantissa = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        double step = mantissa * Math.pow(10, exp);
        long first = (long) Math.floor(min / step + 1e-9);
        long last = (long) Math.ceil(max / step - 1e-9);
        double[] v = new double[(int) (last - first + 1)];
        for (int i = 0; i < v.length; i++) {
            // k · m / 10^-exp divides by an exact power of ten: 0.9, not 0.9000000000000001.
            double k = (first + i) * mantissa;
            v[i] = exp < 0 ? k / Math.pow(10, -exp) : k * Math.pow(10, exp);
        }
        int decimals = Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
        if (Math.abs(step / Math.pow(10, -decimals) - Math.rint(step / Math.pow(10, -decimals))) > 1e-6) {
            decimals++; // 2.5 × 10^k needs one more digit
        }
        return new Ticks(v, decimals);
    }

    /** Integer ticks from {@code min} to {@code max} with a step of 1, 2, 5, 10, ... giving at most {@code maxTicks}. */
    static Ticks integers(int min, int max, int maxTicks) {
        int step = 1;
        int[] mult = {2, 5, 10};
        int base = 1;
        outer:
        while ((max - min) / step + 1 > maxTicks) {
            for (int m : mult) {
                step = base * m;
                if ((max - min) / step + 1 <= maxTicks) {
                    break outer;
                }
            }
            base *= 10;
        }
        int first = (int) Math.ceil(min / (double) step) * step;
        int count = (max - first) / step + 1;
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = first + (long) i * step;
        }
        return new Ticks(v, 0);
    }
}
