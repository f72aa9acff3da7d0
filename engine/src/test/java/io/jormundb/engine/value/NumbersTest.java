package io.jormundb.engine.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Set;
import java.util.function.Supplier;

/**
 * DynamoDB's number rules. Messages are DynamoDB's, verbatim (as pinned by dynalite's tests); the
 * syntax follows what DynamoDB accepts (ScyllaDB's test_number.py, run against DynamoDB: "+3",
 * ".123", "0001.23", "0e1000" are numbers, " 1" and "1 " are not).
 */
class NumbersTest {
    private static final String NOT_A_NUMBER = "The parameter cannot be converted to a numeric value";
    private static final String TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    private static void assertRejected(String message, Supplier<BigDecimal> action) {
        DynamoException e = assertThrows(DynamoException.class, action::get);
        assertEquals(ErrorCode.VALIDATION, e.code());
        assertEquals(message, e.getMessage());
    }

    // Parsing into normal form.

    @ParameterizedTest
    @CsvSource({
            "1.50, 1.5",
            "-0, 0",
            "-0.0, 0",
            "0.000, 0",
            "0e1000, 0",
            "1E+2, 100",
            "1e2, 100",
            "1e+5, 100000",
            ".5, 0.5",
            "-.5, -0.5",
            "5., 5",
            "+5, 5",
            "+3, 3",
            "0001.23, 1.23",
            "-17e5, -1700000",
            "-7.1234, -7.1234",
            "12.5E-3, 0.0125",
            "3.1415926535897932384626433832795028841, 3.1415926535897932384626433832795028841",
            "12345678901234567890123456789012345678000, 12345678901234567890123456789012345678000",
            "999999999999999999, 999999999999999999",
            "-1234567890123456789, -1234567890123456789",
            "-99999999999999999.95, -99999999999999999.95",
            "000.000120, 0.00012",
            "1e-0, 1",
    })
    void parseReturnsTheNormalForm(String text, String expected) {
        BigDecimal parsed = Numbers.parse(text);
        assertEquals(expected, Numbers.format(parsed));
        assertEquals(new BigDecimal(expected).stripTrailingZeros(), parsed, "normal form: no trailing zeros");
    }

    @Test
    void zeroIsPlainZeroWhateverItsSignOrScale() {
        assertEquals(BigDecimal.ZERO, Numbers.parse("-0"));
        assertEquals(BigDecimal.ZERO, Numbers.parse("0e-1000"));
        assertEquals(BigDecimal.ZERO, Numbers.checked(new BigDecimal("-0.000")));
    }

    @Test
    void rangeEndsAreAccepted() {
        assertEquals("9.9999999999999999999999999999999999999E+125",
                Numbers.parse("9.9999999999999999999999999999999999999E+125").toString());
        assertEquals("-9.9999999999999999999999999999999999999E+125",
                Numbers.parse("-9.9999999999999999999999999999999999999E+125").toString());
        assertEquals("1E-130", Numbers.parse("1E-130").toString());
        assertEquals("-1E-130", Numbers.parse("-0.1e-129").toString());
    }

    @Test
    void formatIsPlainNotation() {
        assertEquals("100", Numbers.format(Numbers.parse("1E+2")));
        assertEquals("0.00001", Numbers.format(Numbers.parse("1E-5")));
        assertEquals("-1.5", Numbers.format(Numbers.parse("-1.50")));
        assertEquals("0." + "0".repeat(129) + "1", Numbers.format(Numbers.parse("1E-130")));
    }

    // Rejection, with DynamoDB's exact messages.

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "-NaN", "Infinity", "-Infinity", "1e", "1e+", "e5", " ", " 1", "1 ", "\t1",
            "0x10", "1,000", "1_000", "dog", "+-1", "1.2.3", ".", "-", "+", "1e1.5", "\u0661", "1e9223372036854775808"})
    void textThatIsNotANumberIsRejectedWithTheTextInTheMessage(String text) {
        assertRejected(NOT_A_NUMBER + ": " + text, () -> Numbers.parse(text));
    }

    @Test
    void emptyTextIsRejectedWithoutATextInTheMessage() {
        assertRejected(NOT_A_NUMBER, () -> Numbers.parse(""));
        assertRejected(NOT_A_NUMBER, () -> Numbers.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789012345678901234567890123456789", "-1.23456789012345678901234567890123456789",
            "3.14159265358979323846264338327950288419", "314159265358979323846264338327950288419e30",
            "1.00000000000000000000000000000000000001"})
    void moreThanThirtyEightSignificantDigitsAreRejected(String text) {
        assertRejected(TOO_MANY_DIGITS, () -> Numbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E+126", "-1e126", "11e125", "10E+125", "1e99999999999", "1e2147483648", "0.1e127"})
    void magnitudesAboveTheRangeOverflow(String text) {
        assertRejected(OVERFLOW, () -> Numbers.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1E-131", "-1e-131", "0.9e-130", "1e-99999999999", "0.00001e-126"})
    void magnitudesBelowTheRangeUnderflow(String text) {
        assertRejected(UNDERFLOW, () -> Numbers.parse(text));
    }

    /**
     * A million digits are judged on the text: refused at once, never handed to BigDecimal, whose
     * parse of them takes seconds (a request body could hold sixteen such numbers).
     */
    @Test
    void aMillionDigitsAreJudgedWithoutParsingThem() {
        String zeros = "0".repeat(1_000_000);
        assertRejected(OVERFLOW, () -> Numbers.parse("1" + zeros));
        assertRejected(UNDERFLOW, () -> Numbers.parse("0." + zeros + "1"));
        assertRejected(TOO_MANY_DIGITS, () -> Numbers.parse("7".repeat(1_000_000)));
        assertEquals(new BigDecimal("1.5E+2"), Numbers.parse("1500" + "0".repeat(100) + "e-101"));
        assertEquals(BigDecimal.ZERO, Numbers.parse(zeros + "." + zeros));
    }

    @Test
    void checkedNormalisesAndRangeChecksComputedValues() {
        assertEquals(new BigDecimal("1.5"), Numbers.checked(new BigDecimal("1.500")));
        assertEquals(new BigDecimal("1E+2"), Numbers.checked(new BigDecimal("100")));
        assertRejected(OVERFLOW, () -> Numbers.checked(new BigDecimal("1E+126")));
        assertRejected(UNDERFLOW, () -> Numbers.checked(new BigDecimal("1E-131")));
        assertRejected(TOO_MANY_DIGITS, () -> Numbers.checked(new BigDecimal("123456789012345678901234567890123456789")));
    }

    // Arithmetic: exact, never rounded.

    @Test
    void additionAndSubtractionAreExact() {
        assertEquals("10000000000000000000001", Numbers.format(Numbers.add(BigDecimal.ONE, new BigDecimal("1E22"))));
        assertEquals("9999999999999999999999", Numbers.format(Numbers.subtract(new BigDecimal("1E22"), BigDecimal.ONE)));
        assertEquals("0.3", Numbers.format(Numbers.add(new BigDecimal("0.1"), new BigDecimal("0.2"))));
        assertEquals(BigDecimal.ZERO, Numbers.subtract(new BigDecimal("1E-130"), new BigDecimal("1E-130")));
        assertEquals(new BigDecimal("1E-130"), Numbers.subtract(new BigDecimal("2E-130"), new BigDecimal("1E-130")));
    }

    @Test
    void resultThatNeedsMoreThanThirtyEightDigitsIsRefusedNotRounded() {
        // DynamoDB reports 1e50 + 1 as an overflow (ScyllaDB test_update_expression_plus_imprecise).
        assertRejected(OVERFLOW, () -> Numbers.add(new BigDecimal("1E+50"), BigDecimal.ONE));
        assertRejected(OVERFLOW, () -> Numbers.subtract(new BigDecimal("1E+50"), BigDecimal.ONE));
        assertRejected(OVERFLOW, () -> Numbers.add(new BigDecimal("1E+125"), new BigDecimal("1E-130")));
    }

    @Test
    void resultOutsideTheRangeOverflows() {
        assertRejected(OVERFLOW, () -> Numbers.add(new BigDecimal("9E+125"), new BigDecimal("9E+125")));
        assertRejected(OVERFLOW, () -> Numbers.subtract(new BigDecimal("9E+125"), new BigDecimal("-9E+125")));
    }

    // The N and NS values use the same rules.

    @Test
    void numberValueKeepsItsNormalFormAndPlainText() {
        AttributeValue.N n = AttributeValue.N.parse("1E+2");
        assertEquals("100", n.text());
        assertEquals(AttributeValue.N.parse("100.00"), n);
    }

    @Test
    void numberSetMembersThatAreEqualNumbersAreOneMember() {
        AttributeValue.NS set = new AttributeValue.NS(Set.of(new BigDecimal("1.0"), new BigDecimal("1")));
        assertEquals(Set.of(BigDecimal.ONE), set.values());
    }
}
