package vecgrad.data;

import java.util.Arrays;
import java.util.Objects;
import vecgrad.tensor.Tensor;

/**
 * The contents of one IDX file: an element type, the dimensions, and the values in row-major order
 * (the last index varies fastest), held in the natural Java array for the type.
 *
 * <p>Immutable: factories copy their input and accessors return copies. Equality is by value (type,
 * dimensions and every element, with {@code Arrays.equals} semantics, so NaN equals NaN).
 *
 * <p>Shape rules (the same ones {@link IdxFile#read} enforces): 1 to 255 dimensions, each at least 1,
 * and at most {@value #MAX_ELEMENTS} elements (the largest Java array). Rank 0 is not allowed: the
 * format's rank byte counts the dimensions of a vector or matrix, and a zero there is far more likely
 * a damaged header than a scalar.
 */
public final class IdxArray {

    /** The largest number of elements: the largest array the JVM allocates reliably. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** The most dimensions the format can record (the rank is one byte). */
    public static final int MAX_RANK = 255;

    private final IdxType type;
    private final int[] dims;
    /** One of byte[], short[], int[], float[], double[], matching {@link #type}; never exposed. */
    private final Object values;

    /** Takes ownership of {@code values}; callers have checked the dims and the length. */
    IdxArray(IdxType type, int[] dims, Object values) {
        this.type = type;
        this.dims = dims;
        this.values = values;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Unsigned bytes (type {@code 0x08}): each byte is read as {@code b & 0xFF}, 0..255.
     *
     * @param values the bytes, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofUnsignedBytes(byte[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.UNSIGNED_BYTE, checkDims(values.length, dims), values.clone());
    }

    /**
     * Signed bytes (type {@code 0x09}).
     *
     * @param values the bytes, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofSignedBytes(byte[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.SIGNED_BYTE, checkDims(values.length, dims), values.clone());
    }

    /**
     * 16-bit integers (type {@code 0x0B}).
     *
     * @param values the integers, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofShorts(short[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.SHORT, checkDims(values.length, dims), values.clone());
    }

    /**
     * 32-bit integers (type {@code 0x0C}).
     *
     * @param values the integers, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofInts(int[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.INT, checkDims(values.length, dims), values.clone());
    }

    /**
     * Single-precision floats (type {@code 0x0D}).
     *
     * @param values the floats, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofFloats(float[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.FLOAT, checkDims(values.length, dims), values.clone());
    }

    /**
     * Double-precision floats (type {@code 0x0E}).
     *
     * @param values the doubles, row-major; copied
     * @param dims the dimensions, outermost first: 1 to {@value #MAX_RANK} of them, each {@code >= 1},
     *     whose product is {@code values.length}
     * @return a new array holding a copy of {@code values}
     * @throws IllegalArgumentException if the dimensions break those rules or do not match the length
     */
    public static IdxArray ofDoubles(double[] values, int... dims) {
        Objects.requireNonNull(values, "values");
        return new IdxArray(IdxType.DOUBLE, checkDims(values.length, dims), values.clone());
    }

    // ---------------------------------------------------------------- shape

    /**
     * The element type.
     *
     * @return the type recorded in the magic number
     */
    public IdxType type() {
        return type;
    }

    /**
     * A copy of the dimensions, outermost first.
     *
     * @return a new array of 1 to 255 dimensions, each {@code >= 1}
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of dimensions, 1..255.
     *
     * @return the rank
     */
    public int rank() {
        return dims.length;
    }

    /**
     * The size of dimension {@code axis} (0-based).
     *
     * @param axis the dimension, in {@code [0, rank())}
     * @return the size of that dimension, {@code >= 1}
     * @throws IllegalArgumentException if {@code axis} is outside {@code [0, rank())}
     */
    public int dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IllegalArgumentException("axis must be in 0.." + (dims.length - 1) + ", got " + axis);
        }
        return dims[axis];
    }

    /**
     * The number of elements, the product of the dimensions.
     *
     * @return the element count, at most {@value #MAX_ELEMENTS}
     */
    public int size() {
        return java.lang.reflect.Array.getLength(values);
    }

    // ---------------------------------------------------------------- values

    /**
     * A copy of the values of an {@link IdxType#UNSIGNED_BYTE} or {@link IdxType#SIGNED_BYTE} array.
     * For unsigned bytes, read each as {@code b & 0xFF}.
     *
     * @return a new array of {@link #size()} bytes, row-major
     * @throws IllegalStateException if the array holds another type
     */
    public byte[] bytes() {
        requireType("bytes()", IdxType.UNSIGNED_BYTE, IdxType.SIGNED_BYTE);
        return ((byte[]) values).clone();
    }

    /**
     * A copy of the values of a {@link IdxType#SHORT} array.
     *
     * @return a new array of {@link #size()} values, row-major
     * @throws IllegalStateException if the array holds another type
     */
    public short[] shorts() {
        requireType("shorts()", IdxType.SHORT);
        return ((short[]) values).clone();
    }

    /**
     * A copy of the values of an {@link IdxType#INT} array.
     *
     * @return a new array of {@link #size()} values, row-major
     * @throws IllegalStateException if the array holds another type
     */
    public int[] ints() {
        requireType("ints()", IdxType.INT);
        return ((int[]) values).clone();
    }

    /**
     * A copy of the values of a {@link IdxType#FLOAT} array.
     *
     * @return a new array of {@link #size()} values, row-major
     * @throws IllegalStateException if the array holds another type
     */
    public float[] floats() {
        requireType("floats()", IdxType.FLOAT);
        return ((float[]) values).clone();
    }

    /**
     * A copy of the values of a {@link IdxType#DOUBLE} array.
     *
     * @return a new array of {@link #size()} values, row-major
     * @throws IllegalStateException if the array holds another type
     */
    public double[] doubles() {
        requireType("doubles()", IdxType.DOUBLE);
        return ((double[]) values).clone();
    }

    /**
     * The values of any type as floats: unsigned bytes as 0..255, integers converted exactly up to
     * 2^24 in magnitude and rounded to nearest beyond, doubles rounded to the nearest float.
     *
     * @return a new array of {@link #size()} floats, row-major
     */
    public float[] toFloatArray() {
        float[] out;
        switch (type) {
            case UNSIGNED_BYTE -> {
                byte[] v = (byte[]) values;
                out = new float[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i] & 0xFF;
            }
            case SIGNED_BYTE -> {
                byte[] v = (byte[]) values;
                out = new float[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
            }
            case SHORT -> {
                short[] v = (short[]) values;
                out = new float[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
            }
            case INT -> {
                int[] v = (int[]) values;
                out = new float[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
            }
            case FLOAT -> out = ((float[]) values).clone();
            case DOUBLE -> {
                double[] v = (double[]) values;
                out = new float[v.length];
                for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
            }
            default -> throw new AssertionError(type);
        }
        return out;
    }

    /**
     * The values of an integer type as ints (unsigned bytes as 0..255). Float types are refused.
     *
     * @return a new array of {@link #size()} ints, row-major
     * @throws IllegalStateException if the array holds floats or doubles
     */
    public int[] toIntArray() {
        requireType("toIntArray()", IdxType.UNSIGNED_BYTE, IdxType.SIGNED_BYTE, IdxType.SHORT, IdxType.INT);
        int[] out;
        switch (type) {
            case UNSIGNED_BYTE -> {
                byte[] v = (byte[]) values;
                out = new int[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i] & 0xFF;
            }
            case SIGNED_BYTE -> {
                byte[] v = (byte[]) values;
                out = new int[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
            }
            case SHORT -> {
                short[] v = (short[]) values;
                out = new int[v.length];
                for (int i = 0; i < v.length; i++) out[i] = v[i];
            }
            default -> out = ((int[]) values).clone();
        }
        return out;
    }

    /** The live backing array (byte[], short[], ...) for the reader, writer and loader; never handed out. */
    Object values() {
        return values;
    }

    // ---------------------------------------------------------------- object

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof IdxArray other)) return false;
        return type == other.type && Arrays.equals(dims, other.dims)
                && Arrays.deepEquals(new Object[] {values}, new Object[] {other.values});
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims))
                + Arrays.deepHashCode(new Object[] {values});
    }

    /** The type and dimensions, e.g. {@code IdxArray[0x08 (unsigned byte) (60000, 28, 28)]}. */
    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Tensor.shapeString(dims) + "]";
    }

    // ---------------------------------------------------------------- checks

    private void requireType(String method, IdxType... allowed) {
        for (IdxType t : allowed) {
            if (type == t) return;
        }
        StringBuilder want = new StringBuilder();
        for (IdxType t : allowed) {
            if (want.length() > 0) want.append(" or ");
            want.append(t);
        }
        throw new IllegalStateException(method + " needs an array of " + want + ", this one holds " + type);
    }

    private static int[] checkDims(int length, int[] dims) {
        Objects.requireNonNull(dims, "dims");
        if (dims.length < 1 || dims.length > MAX_RANK) {
            throw new IllegalArgumentException("an IDX array has 1.." + MAX_RANK + " dimensions, got " + dims.length);
        }
        long n = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("IDX dimensions must be >= 1, got " + Tensor.shapeString(dims));
            }
            n *= d;
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException("dimensions " + Tensor.shapeString(dims) + " hold more than "
                        + MAX_ELEMENTS + " elements");
            }
        }
        if (n != length) {
            throw new IllegalArgumentException("dimensions " + Tensor.shapeString(dims) + " need " + n + " values, got " + length);
        }
        return dims.clone();
    }
}
