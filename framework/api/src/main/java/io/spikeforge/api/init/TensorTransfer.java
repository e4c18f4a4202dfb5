package io.spikeforge.api.init;

import java.util.Arrays;
import java.util.Objects;

/**
 * One student tensor filled from a teacher tensor.
 *
 * @param studentTensor the student tensor's name
 * @param teacherTensor the teacher tensor's name it was filled from
 * @param studentShape the student tensor's shape
 * @param teacherShape the teacher tensor's shape
 * @param method how values were mapped, such as {@code copy} or {@code loop-interpolation}
 */
public record TensorTransfer(String studentTensor, String teacherTensor, long[] studentShape, long[] teacherShape,
                             String method) {
    public TensorTransfer {
        Objects.requireNonNull(studentTensor, "studentTensor");
        Objects.requireNonNull(teacherTensor, "teacherTensor");
        Objects.requireNonNull(method, "method");
        studentShape = studentShape.clone();
        teacherShape = teacherShape.clone();
    }

    /** True when the shapes differ (channels were interpolated). */
    public boolean shapeChanged() {
        return !Arrays.equals(studentShape, teacherShape);
    }

    @Override
    public long[] studentShape() {
        return studentShape.clone();
    }

    @Override
    public long[] teacherShape() {
        return teacherShape.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorTransfer t && t.studentTensor.equals(studentTensor)
                && t.teacherTensor.equals(teacherTensor) && Arrays.equals(t.studentShape, studentShape)
                && Arrays.equals(t.teacherShape, teacherShape) && t.method.equals(method);
    }

    @Override
    public int hashCode() {
        return Objects.hash(studentTensor, teacherTensor, Arrays.hashCode(studentShape), Arrays.hashCode(teacherShape), method);
    }

    @Override
    public String toString() {
        return studentTensor + " " + Arrays.toString(studentShape) + " <- " + teacherTensor + " "
                + Arrays.toString(teacherShape) + " (" + method + ")";
    }
}
