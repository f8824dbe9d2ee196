package vecgrad.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import vecgrad.autodiff.BufferPool;
import vecgrad.autodiff.Ops;
import vecgrad.tensor.Tensor;

/** L1, L2 and L1L2; see {@link Regularizer} for the formulas. */
final class BuiltinRegularizer implements Regularizer {

    /*
     * Keras 3, keras/src/regularizers/regularizers.py: L2.__call__ is cast(l2, x.dtype) * sum(square(x)),
     * L1 the same with absolute, L1L2 starts from 0 and adds each term whose factor is not 0. Here the
     * factor is cast to float once, as there; the square is Ops.square (float, as ops.square) and the
     * sum is Ops.sum (double, rounded once). Σ|x| is one op of its own below: |x| is exact, so summing
     * it in double and rounding once is what Ops.sum of an abs op would give, without a buffer.
     */

    private final String className;
    private final double l1;
    private final double l2;

    BuiltinRegularizer(String className, double l1, double l2) {
        this.className = className;
        this.l1 = l1;
        this.l2 = l2;
    }

    static double factor(String who, String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(who + ": " + key + " must be a finite number >= 0, got " + value);
        }
        return value;
    }

    @Override
    public Tensor penalty(Tensor weight) {
        java.util.Objects.requireNonNull(weight, className + ".penalty: weight");
        Tensor total = null;
        if (l1 != 0) {
            total = Ops.scale(sumOfAbsolutes(weight), (float) l1);
        }
        if (l2 != 0) {
            Tensor term = Ops.scale(Ops.sum(Ops.square(weight)), (float) l2);
            total = total == null ? term : Ops.add(total, term);
        }
        if (total == null) {
            Tensor zero = BufferPool.tensor();
            zero.data()[0] = 0f;
            return zero;
        }
        return total;
    }

    /** {@code Σ|x|}, a scalar, accumulated in double. Derivative: {@code dx = g · sign(x)} (0 at 0). */
    private static Tensor sumOfAbsolutes(Tensor x) {
        return Ops.custom("sum_abs", in -> {
            double s = 0;
            for (float v : in[0].data()) {
                s += Math.abs(v);
            }
            Tensor y = BufferPool.tensor();
            y.data()[0] = (float) s;
            return y;
        }, (g, y, in) -> {
            float[] xd = in[0].data();
            Tensor dx = BufferPool.tensor(in[0].shape());
            float[] d = dx.data();
            float gv = g.item();
            for (int i = 0; i < xd.length; i++) {
                d[i] = xd[i] > 0 ? gv : xd[i] < 0 ? -gv : 0f;
            }
            return new Tensor[] {dx};
        }, x);
    }

    @Override
    public String className() {
        return className;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        if (!className.equals("L2")) {
            c.put("l1", l1);
        }
        if (!className.equals("L1")) {
            c.put("l2", l2);
        }
        return c;
    }

    static Regularizer fromConfig(String className, Map<String, Object> config) {
        Set<String> keys = switch (className) {
            case "L1" -> Set.of("l1");
            case "L2" -> Set.of("l2");
            case "L1L2" -> Set.of("l1", "l2");
            default -> throw new IllegalArgumentException("expected a regularizer of class L1, L2 or L1L2, got '"
                    + (className.length() > 40 ? className.substring(0, 40) + "\u2026" : className) + "'");
        };
        for (String key : config.keySet()) {
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(className + ": unknown key '" + key + "' in its config; expected "
                        + keys);
            }
        }
        double f1 = className.equals("L2") ? 0 : number(className, "l1", config);
        double f2 = className.equals("L1") ? 0 : number(className, "l2", config);
        return new BuiltinRegularizer(className, factor(className, "l1", f1), factor(className, "l2", f2));
    }

    private static double number(String className, String key, Map<String, Object> config) {
        Object v = config.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(className + ": expected '" + key + "' to be a number, got "
                + (v == null ? "nothing" : v instanceof String s ? "\"" + s + "\"" : v.getClass().getSimpleName()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuiltinRegularizer r && r.className.equals(className)
                && Double.compare(r.l1, l1) == 0 && Double.compare(r.l2, l2) == 0;
    }

    @Override
    public int hashCode() {
        return className.hashCode() * 31 + Double.hashCode(l1) * 17 + Double.hashCode(l2);
    }

    @Override
    public String toString() {
        return className + config();
    }
}
