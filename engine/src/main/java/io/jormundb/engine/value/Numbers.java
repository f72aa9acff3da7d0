package io.jormundb.engine.value;

import io.jormundb.engine.error.DynamoException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DynamoDB's number rules in one place: at most 38 significant digits, magnitude from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (or zero), exact arithmetic, and one normal form
 * (trailing zeros stripped, {@code -0} is {@code 0}) so that equal numbers are equal values.
 *
 * <p>The syntax is {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?} in ASCII,
 * with nothing around it: DynamoDB accepts {@code +3}, {@code .5}, {@code 5.}, {@code 0e1000} and
 * rejects {@code " 1"}, {@code "1 "}, {@code NaN} and {@code Infinity}. Its messages are kept
 * verbatim below.
 */
public final class Numbers {
    public static final int MAX_DIGITS = 38;
    /** Smallest allowed adjusted exponent (1E-130). */
    public static final int MIN_EXPONENT = -130;
    /** Largest allowed adjusted exponent (9.99…E+125). */
    public static final int MAX_EXPONENT = 125;

    private static final String NOT_A_NUMBER = "A value provided cannot be converted into a number";
    private static final String TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    private static final Pattern SYNTAX =
            Pattern.compile("([+-]?)(?:([0-9]+)(?:\\.([0-9]*))?|\\.([0-9]+))(?:[eE]([+-]?[0-9]+))?");

    private Numbers() {
    }

    /**
     * Parses a number as DynamoDB accepts it ({@code 12}, {@code -1.5}, {@code 1E+2}, {@code .5})
     * and returns its normal form, or throws the ValidationException DynamoDB gives. An exponent
     * too large for any range is an overflow or underflow, as in DynamoDB; one beyond a 64-bit
     * integer is not a number. The significant digits are counted on the text, so a number of a
     * million digits is refused at once instead of being parsed (which takes seconds).
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw DynamoException.validation(NOT_A_NUMBER);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw notANumber(text);
        }
        long exponent;
        try {
            exponent = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
        } catch (NumberFormatException e) {
            throw notANumber(text);
        }
        String whole = m.group(2) == null ? "" : m.group(2);
        String fraction = m.group(3) != null ? m.group(3) : m.group(4) == null ? "" : m.group(4);
        String digits = whole + fraction;
        int first = 0;
        while (first < digits.length() && digits.charAt(first) == '0') {
            first++;
        }
        if (first == digits.length()) {
            return BigDecimal.ZERO;
        }
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        if (end - first > MAX_DIGITS) {
            throw DynamoException.validation(TOO_MANY_DIGITS);
        }
        // The value is digits[first, end) times ten to the power of its last digit's position; the
        // leading digit's position (the adjusted exponent) is in long arithmetic, so that
        // 1e99999999999 is an overflow, not a wrap.
        long lastDigitPower = (long) whole.length() - end;
        long adjusted;
        try {
            adjusted = Math.addExact((long) whole.length() - first - 1, exponent);
        } catch (ArithmeticException e) {
            adjusted = exponent;
        }
        checkExponent(adjusted);
        BigDecimal unsigned = new BigDecimal(new BigInteger(digits.substring(first, end)),
                (int) -(lastDigitPower + exponent));
        return m.group(1).equals("-") ? unsigned.negate() : unsigned;
    }

    /** Normalises {@code value} and checks it against DynamoDB's precision and range. */
    public static BigDecimal checked(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal normal = value.stripTrailingZeros();
        if (normal.precision() > MAX_DIGITS) {
            throw DynamoException.validation(TOO_MANY_DIGITS);
        }
        checkExponent(adjustedExponent(normal));
        return normal;
    }

    /**
     * Exact sum, checked like any stored number. A sum that needs more than 38 digits is refused,
     * never rounded; DynamoDB reports it as an overflow.
     */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return checkedResult(a.add(b));
    }

    /** Exact difference, checked like {@link #add}. */
    public static BigDecimal subtract(BigDecimal a, BigDecimal b) {
        return checkedResult(a.subtract(b));
    }

    /** The exponent of the leading digit: 1 for 12.5, -2 for 0.0125. */
    public static int adjustedExponent(BigDecimal nonZero) {
        return nonZero.precision() - nonZero.scale() - 1;
    }

    /** DynamoDB's text for a number: plain notation, no trailing zeros ({@code 1E+2} is {@code 100}). */
    public static String format(BigDecimal normal) {
        return normal.toPlainString();
    }

    private static BigDecimal checkedResult(BigDecimal exact) {
        if (exact.signum() != 0 && exact.stripTrailingZeros().precision() > MAX_DIGITS) {
            throw DynamoException.validation(OVERFLOW);
        }
        return checked(exact);
    }

    private static void checkExponent(long adjusted) {
        if (adjusted > MAX_EXPONENT) {
            throw DynamoException.validation(OVERFLOW);
        }
        if (adjusted < MIN_EXPONENT) {
            throw DynamoException.validation(UNDERFLOW);
        }
    }

    private static DynamoException notANumber(String text) {
        return DynamoException.validation(NOT_A_NUMBER);
    }
}
