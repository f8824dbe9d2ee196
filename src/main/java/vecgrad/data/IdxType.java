package vecgrad.data;

/**
 * The element types of the IDX format: the third byte of the magic number. All multi-byte values are
 * big-endian.
 */
public enum IdxType {
    /** {@code 0x08}: unsigned byte, 0..255. */
    UNSIGNED_BYTE(0x08, 1, "unsigned byte"),
    /** {@code 0x09}: signed byte, -128..127. */
    SIGNED_BYTE(0x09, 1, "signed byte"),
    /** {@code 0x0B}: 16-bit signed integer. */
    SHORT(0x0B, 2, "short"),
    /** {@code 0x0C}: 32-bit signed integer. */
    INT(0x0C, 4, "int"),
    /** {@code 0x0D}: IEEE 754 single precision. */
    FLOAT(0x0D, 4, "float"),
    /** {@code 0x0E}: IEEE 754 double precision. */
    DOUBLE(0x0E, 8, "double");

    private final int code;
    private final int bytes;
    private final String description;

    IdxType(int code, int bytes, String description) {
        this.code = code;
        this.bytes = bytes;
        this.description = description;
    }

    /**
     * The type code stored in the magic number, e.g. {@code 0x08}.
     *
     * @return the third byte of the magic number
     */
    public int code() {
        return code;
    }

    /**
     * The size of one element in the file, in bytes.
     *
     * @return 1, 2, 4 or 8
     */
    public int bytesPerElement() {
        return bytes;
    }

    /** The type code and name, e.g. {@code 0x08 (unsigned byte)}. */
    @Override
    public String toString() {
        return String.format("0x%02x (%s)", code, description);
    }

    /** The type with this code, or {@code null}. */
    static IdxType fromCode(int code) {
        for (IdxType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }

    /** Every type as text, for messages: {@code 0x08 (unsigned byte), 0x09 (signed byte), ...}. */
    static String allCodes() {
        StringBuilder sb = new StringBuilder();
        for (IdxType t : values()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(t);
        }
        return sb.toString();
    }
}
