package io.spikeforge.engine.io;

/** IEEE 754 half precision (binary16) conversion, which Java 17's {@code Float} lacks. */
final class HalfFloats {
    private HalfFloats() {
    }

    /** The float with the exact value of a binary16 number given by its bits. */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13)); // infinity or NaN
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1.0p-24f; // zero or subnormal: exact in float
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
