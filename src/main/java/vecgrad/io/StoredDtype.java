package vecgrad.io;

/**
 * The element type of a tensor as stored in a safetensors file, named as in the header. These are
 * the types {@link SafeTensors#read} accepts; every one is converted to float32 on reading:
 * {@code F32} as is, {@code F16} and {@code BF16} exactly (every value is representable), and
 * {@code F64} rounded to the nearest float (overflowing to an infinity).
 */
public enum StoredDtype {
    /** IEEE 754 binary32, the type this library writes. */
    F32(4),
    /** IEEE 754 binary64. */
    F64(8),
    /** IEEE 754 binary16 (half precision). */
    F16(2),
    /** bfloat16: the upper 16 bits of a binary32. */
    BF16(2);

    private final int byteSize;

    StoredDtype(int byteSize) {
        this.byteSize = byteSize;
    }

    /**
     * The size of one element in bytes.
     *
     * @return 2, 4 or 8
     */
    public int byteSize() {
        return byteSize;
    }
}
