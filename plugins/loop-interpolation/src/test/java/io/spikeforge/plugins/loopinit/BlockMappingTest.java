package io.spikeforge.plugins.loopinit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BlockMappingTest {
    @Test
    void firstKeepsTheLeadingTeacherBlocks() {
        assertEquals(List.of(0, 1), mapped(BlockMapping.FIRST, 2, 6));
        assertEquals(OptionalInt.empty(), BlockMapping.FIRST.teacherBlock(2, 3, 2), "student block 2 of 3, teacher has 2");
    }

    @Test
    void relativeSpreadsStudentBlocksOverTheTeacherStage() {
        assertEquals(List.of(0, 2), mapped(BlockMapping.RELATIVE, 2, 3), "ResNet-18 from ResNet-34, stages 1 and 4");
        assertEquals(List.of(0, 3), mapped(BlockMapping.RELATIVE, 2, 4), "stage 2");
        assertEquals(List.of(0, 5), mapped(BlockMapping.RELATIVE, 2, 6), "stage 3");
        assertEquals(List.of(0, 2, 3), mapped(BlockMapping.RELATIVE, 3, 4), "1 * 3 / 2 = 1.5 rounds up to 2");
        assertEquals(List.of(0, 0, 1, 1), mapped(BlockMapping.RELATIVE, 4, 2), "more student blocks than teacher blocks");
        assertEquals(List.of(0), mapped(BlockMapping.RELATIVE, 1, 6), "a single student block takes the first");
    }

    @Test
    void parameterValuesSelectTheMappings() {
        assertEquals(BlockMapping.FIRST, BlockMapping.fromParameter("first"));
        assertEquals(BlockMapping.RELATIVE, BlockMapping.fromParameter("relative"));
        assertThrows(IllegalArgumentException.class, () -> BlockMapping.fromParameter("last"));
    }

    private static List<Integer> mapped(BlockMapping mapping, int studentBlocks, int teacherBlocks) {
        return IntStream.range(0, studentBlocks)
                .mapToObj(j -> mapping.teacherBlock(j, studentBlocks, teacherBlocks).orElseThrow())
                .toList();
    }
}
