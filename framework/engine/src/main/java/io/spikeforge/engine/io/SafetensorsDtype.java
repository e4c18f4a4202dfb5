package io.spikeforge.engine.io;

/**
 * Element types of the safetensors format, declared in the format's own order (increasing
 * alignment), which its writers use to order tensors.
 */
public enum SafetensorsDtype {
    BOOL(1, Kind.INTEGER),
    U8(1, Kind.INTEGER),
    I8(1, Kind.INTEGER),
    F8_E5M2(1, Kind.UNSUPPORTED),
    F8_E4M3(1, Kind.UNSUPPORTED),
    I16(2, Kind.INTEGER),
    U16(2, Kind.UNSUPPORTED),
    F16(2, Kind.FLOATING),
    BF16(2, Kind.FLOATING),
    I32(4, Kind.INTEGER),
    U32(4, Kind.UNSUPPORTED),
    F32(4, Kind.FLOATING),
    F64(8, Kind.FLOATING),
    I64(8, Kind.INTEGER),
    U64(8, Kind.UNSUPPORTED);

    private final int bytes;
    private final Kind kind;

    SafetensorsDtype(int bytes, Kind kind) {
        this.bytes = bytes;
        this.kind = kind;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** True for types read as {@code FLOAT} arrays (F64, F32, F16, BF16). */
    public boolean isFloating() {
        return kind == Kind.FLOATING;
    }

    /** True for types that can be read at all: floating types, and signed integers and bytes (read as {@code INT64}). */
    public boolean isReadable() {
        return kind != Kind.UNSUPPORTED;
    }

    private enum Kind {
        FLOATING, INTEGER, UNSUPPORTED
    }
}
