package io.spikeforge.plugins.loopinit;

import java.util.OptionalInt;

/** Which teacher block of a stage each student block of the same stage is initialized from. */
public enum BlockMapping {
    /**
     * Student block {@code j} takes teacher block {@code j}, so the first blocks of each teacher stage
     * are kept (the IDSNN reference). Student blocks beyond the teacher's count have no counterpart.
     */
    FIRST("first"),
    /**
     * Student block {@code j} of {@code n_s} takes teacher block {@code round(j * (n_t - 1) / (n_s - 1))}
     * of {@code n_t} (halves round up), and block 0 when {@code n_s = 1}: first maps to first, last to
     * last, and the blocks between keep their relative depth.
     */
    RELATIVE("relative");

    private final String parameterValue;

    BlockMapping(String parameterValue) {
        this.parameterValue = parameterValue;
    }

    /** The value of the {@code block_mapping} parameter that selects this mapping. */
    public String parameterValue() {
        return parameterValue;
    }

    /** The mapping selected by a {@code block_mapping} value. */
    public static BlockMapping fromParameter(String value) {
        for (BlockMapping mapping : values()) {
            if (mapping.parameterValue.equals(value)) {
                return mapping;
            }
        }
        throw new IllegalArgumentException("block_mapping must be first or relative, got '" + value + "'");
    }

    /**
     * The 0-based teacher block for student block {@code studentBlock}, or empty when the teacher
     * stage has no counterpart.
     *
     * @param studentBlock 0-based index within the student's stage
     * @param studentBlocks blocks in the student's stage, {@code >= 1}
     * @param teacherBlocks blocks in the teacher's stage, {@code >= 1}
     */
    public OptionalInt teacherBlock(int studentBlock, int studentBlocks, int teacherBlocks) {
        if (studentBlock < 0 || studentBlock >= studentBlocks || teacherBlocks < 1) {
            throw new IllegalArgumentException("student block " + studentBlock + " of " + studentBlocks + " with "
                    + teacherBlocks + " teacher blocks");
        }
        return switch (this) {
            case FIRST -> studentBlock < teacherBlocks ? OptionalInt.of(studentBlock) : OptionalInt.empty();
            case RELATIVE -> OptionalInt.of(studentBlocks == 1 ? 0
                    : (int) Math.round(studentBlock * (teacherBlocks - 1) / (double) (studentBlocks - 1)));
        };
    }
}
