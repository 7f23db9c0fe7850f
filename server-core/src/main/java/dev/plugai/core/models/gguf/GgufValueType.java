package dev.plugai.core.models.gguf;

/** The value types of GGUF metadata, with their ids in the file. */
public enum GgufValueType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 8),
    ARRAY(9, 12),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int minimumBytes;

    GgufValueType(int id, int minimumBytes) {
        this.id = id;
        this.minimumBytes = minimumBytes;
    }

    public int id() {
        return id;
    }

    /** The fewest bytes one value of this type takes (a string or array's length prefix when empty). */
    int minimumBytes() {
        return minimumBytes;
    }

    static GgufValueType byId(long id) {
        for (GgufValueType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        throw new GgufFormatException("unknown metadata value type " + id);
    }
}
