package vecgrad.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

/**
 * A dense float32 tensor: a {@code float[]} and a shape, row-major (the last index varies fastest).
 *
 * <p>A tensor is a thin handle: {@link #data()} is the live backing array, and {@link #reshape}
 * returns a view that shares it. Equality is identity (the gradient tape keys tensors by identity);
 * compare contents with {@link #contentEquals} or {@link #allClose}.
 *
 * <p>The only subclass is {@link Variable}, the named, mutable tensor that holds weights.
 */
public sealed class Tensor permits Variable {

    private final float[] data;
    private final int[] shape;

    Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    // ---------------------------------------------------------------- factories

    /** A tensor holding a copy of {@code data} with the given shape; the sizes must agree. */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        checkSize(data.length, s);
        return new Tensor(data.clone(), s);
    }

    /**
     * A tensor over {@code data} itself (no copy) with the given shape. Later writes to the array are
     * seen by the tensor and vice versa.
     */
    public static Tensor wrap(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        checkSize(data.length, s);
        return new Tensor(data, s);
    }

    /** A scalar (rank-0) tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[sizeOf(s)], s);
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return filled(1f, shape);
    }

    /** A tensor with every element equal to {@code value}. */
    public static Tensor filled(float value, int... shape) {
        int[] s = checkShape(shape);
        float[] d = new float[sizeOf(s)];
        Arrays.fill(d, value);
        return new Tensor(d, s);
    }

    /**
     * Normally distributed values, {@code mean + std * rng.nextGaussian()} in row-major order.
     * {@link Random}'s algorithms are specified exactly, so a seed gives the same tensor on every JDK.
     */
    public static Tensor randomNormal(Random rng, float mean, float std, int... shape) {
        Objects.requireNonNull(rng, "rng");
        if (!(std >= 0) || !Float.isFinite(std) || !Float.isFinite(mean)) {
            throw new IllegalArgumentException("expected a finite mean and std >= 0, got mean=" + mean + ", std=" + std);
        }
        int[] s = checkShape(shape);
        float[] d = new float[sizeOf(s)];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (mean + std * rng.nextGaussian());
        }
        return new Tensor(d, s);
    }

    /** Uniformly distributed values in {@code [low, high)}, from {@code rng.nextFloat()} in row-major order. */
    public static Tensor randomUniform(Random rng, float low, float high, int... shape) {
        Objects.requireNonNull(rng, "rng");
        if (!(low < high) || !Float.isFinite(low) || !Float.isFinite(high)) {
            throw new IllegalArgumentException("expected finite low < high, got low=" + low + ", high=" + high);
        }
        int[] s = checkShape(shape);
        float[] d = new float[sizeOf(s)];
        for (int i = 0; i < d.length; i++) {
            d[i] = low + (high - low) * rng.nextFloat();
        }
        return new Tensor(d, s);
    }

    // ---------------------------------------------------------------- shape

    /** A copy of the shape. */
    public final int[] shape() {
        return shape.clone();
    }

    /** The number of dimensions (0 for a scalar). */
    public final int rank() {
        return shape.length;
    }

    /** The size of dimension {@code axis}; negative axes count from the end. */
    public final int dim(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + shapeString());
        }
        return shape[a];
    }

    /** The number of elements. */
    public final int size() {
        return data.length;
    }

    /** Rows of a rank-2 tensor. */
    public final int rows() {
        requireRank(2);
        return shape[0];
    }

    /** Columns of a rank-2 tensor. */
    public final int cols() {
        requireRank(2);
        return shape[1];
    }

    /** Whether this tensor has exactly this shape. */
    public final boolean hasShape(int... s) {
        return Arrays.equals(shape, s);
    }

    /** Whether {@code other} has the same shape as this tensor (no copy of either shape is made). */
    public final boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /** The shape as text, e.g. {@code (128, 784)}. */
    public final String shapeString() {
        return shapeString(shape);
    }

    /** A shape as text, e.g. {@code (128, 784)}; {@code ()} for a scalar. */
    public static String shapeString(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /** Throws unless this tensor has {@code rank} dimensions. */
    public final void requireRank(int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " tensor, got shape " + shapeString());
        }
    }

    // ---------------------------------------------------------------- data

    /** The live backing array, row-major. Writing to it changes the tensor. */
    public final float[] data() {
        return data;
    }

    /** The element at the given indices (one per dimension). */
    public final float get(int... index) {
        return data[offset(index)];
    }

    /** Sets the element at the given indices (one per dimension). */
    public final void set(float value, int... index) {
        data[offset(index)] = value;
    }

    /** The value of a tensor with exactly one element. */
    public final float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor of one element, got shape " + shapeString());
        }
        return data[0];
    }

    /**
     * A view with another shape over the same data; one dimension may be {@code -1} (inferred).
     * Always a plain {@code Tensor}, even when this is a {@link Variable}.
     */
    public final Tensor reshape(int... newShape) {
        Objects.requireNonNull(newShape, "shape");
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1 && infer < 0) {
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + shapeString(newShape)
                        + ": dimensions must be >= 0, with at most one -1");
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || data.length % known != 0) {
                throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + shapeString(newShape));
            }
            s[infer] = (int) (data.length / known);
        }
        checkSize(data.length, s);
        return new Tensor(data, s);
    }

    /** A deep copy (always a plain {@code Tensor}). */
    public final Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /** Whether shapes are equal and every element is equal (as {@code Float.compare}, so NaN equals NaN). */
    public final boolean contentEquals(Tensor other) {
        return other != null && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    /**
     * Whether shapes are equal and {@code |a - b| <= atol + rtol * |b|} for every element (as numpy's
     * {@code allclose}, with {@code other} as the reference). NaN is never close.
     */
    public final boolean allClose(Tensor other, double atol, double rtol) {
        Objects.requireNonNull(other, "other");
        if (!Arrays.equals(shape, other.shape)) {
            return false;
        }
        for (int i = 0; i < data.length; i++) {
            double a = data[i];
            double b = other.data[i];
            if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shapeString()).append(" [");
        int n = Math.min(data.length, 8);
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(", ");
            sb.append(data[i]);
        }
        if (data.length > n) sb.append(", ...");
        return sb.append(']').toString();
    }

    // ---------------------------------------------------------------- checks

    private int offset(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("expected " + shape.length + " indices for shape " + shapeString()
                    + ", got " + index.length);
        }
        int off = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape "
                        + shapeString());
            }
            off = off * shape[i] + index[i];
        }
        return off;
    }

    static int[] checkShape(int[] shape) {
        Objects.requireNonNull(shape, "shape");
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("dimensions must be >= 0, got shape " + shapeString(shape));
            }
        }
        sizeOf(shape);
        return shape.clone();
    }

    static int sizeOf(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has more elements than a Java array holds");
            }
        }
        return (int) n;
    }

    private static void checkSize(int length, int[] shape) {
        int n = sizeOf(shape);
        if (n != length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " needs " + n + " elements, got " + length);
        }
    }
}
