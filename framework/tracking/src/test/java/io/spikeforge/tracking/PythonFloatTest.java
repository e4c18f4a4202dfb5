package io.spikeforge.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Metric values are written as Python's repr writes them, and read back to the same double. */
class PythonFloatTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0.1|0.1",
        "1.0|1.0",
        "-2.5|-2.5",
        "100|100.0",
        "0.0001|0.0001",
        "0.00001|1e-05",
        "1.234E-5|1.234e-05",
        "1e-7|1e-07",
        "0.3333333333333333|0.3333333333333333",
        "123456789|123456789.0",
        "1e15|1000000000000000.0",
        "1e16|1e+16",
        "1.5e16|1.5e+16",
        "1.7976931348623157E308|1.7976931348623157e+308",
        "4.9E-324|5e-324",
        "0.0|0.0",
        "-0.0|-0.0",
        "NaN|nan",
        "Infinity|inf",
        "-Infinity|-inf"})
    void writesAsPythonRepr(double value, String python) {
        assertEquals(python, PythonFloat.repr(value));
        assertEquals(Double.doubleToLongBits(value),
                Double.doubleToLongBits(MetricPoint.parse("m", "0 " + python + " 0").value()));
    }
}
