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

    /**
     * A tensor holding a copy of {@code data} with the given shape; the sizes must agree.
     *
     * @param data the values in row-major order; copied, so later writes to it are not seen
     * @param shape the dimensions, each {@code >= 0}, whose product is {@code data.length}
     * @return a new tensor owning its own copy of the values
     * @throws IllegalArgumentException if a dimension is negative or the shape's size differs from
     *     {@code data.length}
     */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        checkSize(data.length, s);
        return new Tensor(data.clone(), s);
    }

    /**
     * A tensor over {@code data} itself (no copy) with the given shape. Later writes to the array are
     * seen by the tensor and vice versa.
     *
     * @param data the values in row-major order, used as the live backing array
     * @param shape the dimensions, each {@code >= 0}, whose product is {@code data.length}
     * @return a tensor backed by {@code data}
     * @throws IllegalArgumentException if a dimension is negative or the shape's size differs from
     *     {@code data.length}
     */
    public static Tensor wrap(float[] data, int... shape) {
        Objects.requireNonNull(data, "data");
        int[] s = checkShape(shape);
        checkSize(data.length, s);
        return new Tensor(data, s);
    }

    /**
     * A scalar (rank-0) tensor.
     *
     * @param value the single element
     * @return a tensor of shape {@code ()} holding {@code value}
     */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions, each {@code >= 0}
     * @return a new tensor of that shape with every element 0
     * @throws IllegalArgumentException if a dimension is negative or the size exceeds a Java array
     */
    public static Tensor zeros(int... shape) {
        int[] s = checkShape(shape);
        return new Tensor(new float[sizeOf(s)], s);
    }

    /**
     * A tensor of ones.
     *
     * @param shape the dimensions, each {@code >= 0}
     * @return a new tensor of that shape with every element 1
     * @throws IllegalArgumentException if a dimension is negative or the size exceeds a Java array
     */
    public static Tensor ones(int... shape) {
        return filled(1f, shape);
    }

    /**
     * A tensor with every element equal to {@code value}.
     *
     * @param value the value of every element
     * @param shape the dimensions, each {@code >= 0}
     * @return a new tensor of that shape filled with {@code value}
     * @throws IllegalArgumentException if a dimension is negative or the size exceeds a Java array
     */
    public static Tensor filled(float value, int... shape) {
        int[] s = checkShape(shape);
        float[] d = new float[sizeOf(s)];
        Arrays.fill(d, value);
        return new Tensor(d, s);
    }

    /**
     * Normally distributed values, {@code mean + std * rng.nextGaussian()} in row-major order.
     * {@link Random}'s algorithms are specified exactly, so a seed gives the same tensor on every JDK.
     *
     * @param rng the source of randomness, advanced once per element
     * @param mean the mean of the distribution; finite
     * @param std the standard deviation; finite and {@code >= 0}
     * @param shape the dimensions, each {@code >= 0}
     * @return a new tensor of that shape with normally distributed elements
     * @throws IllegalArgumentException if {@code mean} or {@code std} is not finite, {@code std < 0}, or
     *     a dimension is negative
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

    /**
     * Uniformly distributed values in {@code [low, high)}, from {@code rng.nextFloat()} in row-major order.
     *
     * @param rng the source of randomness, advanced once per element
     * @param low the inclusive lower bound; finite
     * @param high the exclusive upper bound; finite and greater than {@code low}
     * @param shape the dimensions, each {@code >= 0}
     * @return a new tensor of that shape with uniformly distributed elements
     * @throws IllegalArgumentException unless {@code low < high}, both finite, or if a dimension is negative
     */
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

    /**
     * A matrix {@code (rows.length, cols)} holding a copy of {@code rows}, e.g.
     * {@code Tensor.of(new float[][] {{1, 2}, {3, 4}})}.
     *
     * @param rows the rows of the matrix, all of the same non-zero length; copied
     * @return a new matrix {@code (rows.length, rows[0].length)}
     * @throws IllegalArgumentException if there are no rows, the first row is empty, or a row's length
     *     differs from the first's (naming the row and both lengths)
     */
    public static Tensor of(float[][] rows) {
        Objects.requireNonNull(rows, "rows");
        if (rows.length == 0) {
            throw new IllegalArgumentException("Tensor.of: expected at least one row, got none");
        }
        int cols = Objects.requireNonNull(rows[0], "row 0").length;
        if (cols == 0) {
            throw new IllegalArgumentException("Tensor.of: expected rows of at least one value, got an empty row 0");
        }
        float[] d = new float[Math.multiplyExact(rows.length, cols)];
        for (int i = 0; i < rows.length; i++) {
            float[] row = Objects.requireNonNull(rows[i], "row " + i);
            if (row.length != cols) {
                throw new IllegalArgumentException("Tensor.of: ragged rows: row 0 has " + cols + " values, row " + i
                        + " has " + row.length);
            }
            System.arraycopy(row, 0, d, i * cols, cols);
        }
        return new Tensor(d, new int[] {rows.length, cols});
    }

    /**
     * Class labels as a vector {@code (n)} of floats, the form sparse losses and {@code fit} take
     * (Keras' integer targets for {@code sparse_categorical_crossentropy}).
     *
     * @param labels the class index of each sample, each in {@code [0, 2^24]} so a float holds it exactly
     * @return a new vector {@code (labels.length)} holding the labels as floats
     * @throws IllegalArgumentException if a label is negative or above {@code 2^24} (naming its index)
     */
    public static Tensor ofLabels(int[] labels) {
        Objects.requireNonNull(labels, "labels");
        float[] d = new float[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("Tensor.ofLabels: expected labels >= 0, got " + labels[i]
                        + " at index " + i);
            }
            if (labels[i] > (1 << 24)) {
                // Above 2^24 a float no longer holds every integer: the label would change.
                throw new IllegalArgumentException("Tensor.ofLabels: expected labels <= 2^24 (exact in a float), got "
                        + labels[i] + " at index " + i);
            }
            d[i] = labels[i];
        }
        return new Tensor(d, new int[] {labels.length});
    }

    /**
     * Class labels one-hot: {@code (n, classes)} with a 1 at {@code [i, labels[i]]} and 0 elsewhere, as
     * Keras' {@code to_categorical}.
     *
     * @param labels the class index of each sample, each in {@code [0, classes)}
     * @param classes the number of classes, the width of each row; at least 1
     * @return a new matrix {@code (labels.length, classes)}
     * @throws IllegalArgumentException if {@code classes < 1} or a label is outside {@code [0, classes)}
     *     (naming its index and value)
     */
    public static Tensor oneHot(int[] labels, int classes) {
        Objects.requireNonNull(labels, "labels");
        if (classes < 1) {
            throw new IllegalArgumentException("Tensor.oneHot: expected classes >= 1, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Tensor.oneHot: expected labels in [0, " + classes + "), got "
                        + labels[i] + " at index " + i);
            }
        }
        float[] d = new float[Math.multiplyExact(labels.length, classes)];
        for (int i = 0; i < labels.length; i++) {
            d[i * classes + labels[i]] = 1f;
        }
        return new Tensor(d, new int[] {labels.length, classes});
    }

    // ---------------------------------------------------------------- rows

    /**
     * Rows {@code [from, to)} along the first axis, copied: {@code (n, ...) -> (to - from, ...)}, as
     * NumPy's {@code x[from:to].copy()}.
     *
     * @param from the first row, inclusive
     * @param to the end row, exclusive
     * @return a new tensor {@code (to - from, ...)} with copies of those rows
     * @throws IllegalArgumentException if the tensor is a scalar or not {@code 0 <= from <= to <= n}
     */
    public final Tensor rows(int from, int to) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("rows: expected a tensor of rank >= 1, got a scalar");
        }
        int n = shape[0];
        if (from < 0 || from > to || to > n) {
            throw new IllegalArgumentException("rows: expected 0 <= from <= to <= " + n + " for " + shapeString()
                    + ", got from " + from + ", to " + to);
        }
        int row = n == 0 ? 0 : data.length / n;
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(Arrays.copyOfRange(data, from * row, to * row), s);
    }

    /**
     * The column of each row's largest value, for a matrix {@code (n, k)} with {@code k >= 1}: the
     * predicted class of each sample. Ties go to the first; NaN is never the largest (unless first),
     * as in the model's accuracy.
     *
     * @return a new array of length {@code n}, each entry a column index in {@code [0, k)}
     * @throws IllegalArgumentException unless the tensor is a matrix with at least one column
     */
    public final int[] argmaxRows() {
        if (shape.length != 2 || shape[1] < 1) {
            throw new IllegalArgumentException("argmaxRows: expected a matrix (n, k) with k >= 1, got " + shapeString());
        }
        int n = shape[0];
        int k = shape[1];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i * k;
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (data[r + j] > data[r + best]) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The matrix as a new {@code float[n][k]}.
     *
     * @return a new array of {@code n} rows, each a copy of {@code k} values
     * @throws IllegalArgumentException unless the tensor is a matrix
     */
    public final float[][] toArray2d() {
        if (shape.length != 2) {
            throw new IllegalArgumentException("toArray2d: expected a matrix (n, k), got " + shapeString());
        }
        float[][] out = new float[shape[0]][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(data, i * shape[1], (i + 1) * shape[1]);
        }
        return out;
    }

    // ---------------------------------------------------------------- shape

    /**
     * A copy of the shape.
     *
     * @return a new array with the size of each dimension; empty for a scalar
     */
    public final int[] shape() {
        return shape.clone();
    }

    /**
     * The number of dimensions (0 for a scalar).
     *
     * @return the rank, {@code >= 0}
     */
    public final int rank() {
        return shape.length;
    }

    /**
     * The size of dimension {@code axis}; negative axes count from the end.
     *
     * @param axis the dimension, in {@code [-rank, rank)}; {@code -1} is the last
     * @return the size of that dimension
     * @throws IllegalArgumentException if {@code axis} is out of range for this tensor's rank
     */
    public final int dim(int axis) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + shapeString());
        }
        return shape[a];
    }

    /**
     * The number of elements.
     *
     * @return the product of the dimensions (1 for a scalar)
     */
    public final int size() {
        return data.length;
    }

    /**
     * Rows of a rank-2 tensor.
     *
     * @return the size of the first dimension
     * @throws IllegalArgumentException unless the tensor is a matrix
     */
    public final int rows() {
        requireRank(2);
        return shape[0];
    }

    /**
     * Columns of a rank-2 tensor.
     *
     * @return the size of the second dimension
     * @throws IllegalArgumentException unless the tensor is a matrix
     */
    public final int cols() {
        requireRank(2);
        return shape[1];
    }

    /**
     * Whether this tensor has exactly this shape.
     *
     * @param s the expected dimensions
     * @return {@code true} if the rank and every dimension match
     */
    public final boolean hasShape(int... s) {
        return Arrays.equals(shape, s);
    }

    /**
     * Whether {@code other} has the same shape as this tensor (no copy of either shape is made).
     *
     * @param other the tensor to compare with; not null
     * @return {@code true} if the rank and every dimension match
     */
    public final boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * The shape as text, e.g. {@code (128, 784)}.
     *
     * @return the dimensions in parentheses, comma-separated; {@code ()} for a scalar
     */
    public final String shapeString() {
        return shapeString(shape);
    }

    /**
     * A shape as text, e.g. {@code (128, 784)}; {@code ()} for a scalar.
     *
     * @param shape the dimensions to format
     * @return the dimensions in parentheses, comma-separated
     */
    public static String shapeString(int... shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Throws unless this tensor has {@code rank} dimensions.
     *
     * @param rank the required number of dimensions
     * @throws IllegalArgumentException if the rank differs (naming the shape)
     */
    public final void requireRank(int rank) {
        if (shape.length != rank) {
            throw new IllegalArgumentException("expected a rank-" + rank + " tensor, got shape " + shapeString());
        }
    }

    // ---------------------------------------------------------------- data

    /**
     * The live backing array, row-major. Writing to it changes the tensor.
     *
     * @return the array itself, not a copy, of length {@link #size()}
     */
    public final float[] data() {
        return data;
    }

    /**
     * The element at the given indices (one per dimension).
     *
     * @param index one index per dimension, each in {@code [0, dim)}
     * @return the element at that position
     * @throws IllegalArgumentException if the number of indices differs from the rank
     * @throws IndexOutOfBoundsException if an index is outside its dimension
     */
    public final float get(int... index) {
        return data[offset(index)];
    }

    /**
     * Sets the element at the given indices (one per dimension).
     *
     * @param value the new value of the element
     * @param index one index per dimension, each in {@code [0, dim)}
     * @throws IllegalArgumentException if the number of indices differs from the rank
     * @throws IndexOutOfBoundsException if an index is outside its dimension
     */
    public final void set(float value, int... index) {
        data[offset(index)] = value;
    }

    /**
     * The value of a tensor with exactly one element.
     *
     * @return the single element
     * @throws IllegalStateException unless the tensor has exactly one element
     */
    public final float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item() needs a tensor of one element, got shape " + shapeString());
        }
        return data[0];
    }

    /**
     * A view with another shape over the same data; one dimension may be {@code -1} (inferred).
     * Always a plain {@code Tensor}, even when this is a {@link Variable}.
     *
     * @param newShape the new dimensions, each {@code >= 0} except at most one {@code -1}; their product
     *     must equal {@link #size()}
     * @return a tensor sharing this tensor's backing array
     * @throws IllegalArgumentException if the new shape does not hold exactly this tensor's elements
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

    /**
     * A deep copy (always a plain {@code Tensor}).
     *
     * @return a new tensor with its own copy of the data and shape
     */
    public final Tensor copy() {
        return new Tensor(data.clone(), shape.clone());
    }

    /**
     * Whether shapes are equal and every element is equal (as {@code Float.compare}, so NaN equals NaN).
     *
     * @param other the tensor to compare with; may be null (never equal)
     * @return {@code true} if shapes and all elements are equal
     */
    public final boolean contentEquals(Tensor other) {
        return other != null && Arrays.equals(shape, other.shape) && Arrays.equals(data, other.data);
    }

    /**
     * Whether shapes are equal and {@code |a - b| <= atol + rtol * |b|} for every element (as numpy's
     * {@code allclose}, with {@code other} as the reference). NaN is never close.
     *
     * @param other the reference tensor; not null
     * @param atol the absolute tolerance, {@code >= 0}
     * @param rtol the tolerance relative to {@code |b|}, {@code >= 0}
     * @return {@code true} if shapes are equal and every element is within tolerance
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
