package io.jormundb.engine.value;

import io.jormundb.engine.error.DynamoException;

import java.math.BigDecimal;
import java.math.BigInteger;

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

    private static final String NOT_A_NUMBER = "The parameter cannot be converted to a numeric value";
    private static final String TOO_MANY_DIGITS = "Attempting to store more than 38 significant digits in a Number";
    private static final String OVERFLOW =
            "Number overflow. Attempting to store a number with magnitude larger than supported range";
    private static final String UNDERFLOW =
            "Number underflow. Attempting to store a number with magnitude smaller than supported range";

    /** Unscaled values of up to this many digits are built in a {@code long}, without a BigInteger. */
    private static final int LONG_DIGITS = 18;

    private Numbers() {
    }

    /**
     * Parses a number as DynamoDB accepts it ({@code 12}, {@code -1.5}, {@code 1E+2}, {@code .5})
     * and returns its normal form, or throws the ValidationException DynamoDB gives. An exponent
     * too large for any range is an overflow or underflow, as in DynamoDB; one beyond a 64-bit
     * integer is not a number. The significant digits are counted on the text, so a number of a
     * million digits is refused at once instead of being parsed (which takes seconds). Scanned by
     * hand in one pass (every number of every request comes here; a regular expression was most
     * of a PutItem's parse).
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw notANumber(text);
        }
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (text.charAt(0) == '+' || text.charAt(0) == '-') {
            negative = text.charAt(0) == '-';
            i++;
        }
        int wholeStart = i;
        i = digits(text, i);
        int wholeLength = i - wholeStart;
        int fractionStart = i;
        int fractionLength = 0;
        if (i < n && text.charAt(i) == '.') {
            fractionStart = i + 1;
            i = digits(text, fractionStart);
            fractionLength = i - fractionStart;
        }
        if (wholeLength == 0 && fractionLength == 0) {
            throw notANumber(text);
        }
        long exponent = 0;
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int exponentStart = i + 1;
            int sign = exponentStart < n && (text.charAt(exponentStart) == '+' || text.charAt(exponentStart) == '-')
                    ? 1 : 0;
            i = digits(text, exponentStart + sign);
            if (i == exponentStart + sign) {
                throw notANumber(text);
            }
            try {
                exponent = Long.parseLong(text, exponentStart, i, 10);
            } catch (NumberFormatException e) {
                throw notANumber(text);
            }
        }
        if (i != n) {
            throw notANumber(text);
        }
        // The digits are the whole part's then the fraction's; [first, end) are the significant ones.
        int total = wholeLength + fractionLength;
        int first = 0;
        while (first < total && digit(text, wholeStart, wholeLength, fractionStart, first) == 0) {
            first++;
        }
        if (first == total) {
            return BigDecimal.ZERO;
        }
        int end = total;
        while (digit(text, wholeStart, wholeLength, fractionStart, end - 1) == 0) {
            end--;
        }
        if (end - first > MAX_DIGITS) {
            throw DynamoException.validation(TOO_MANY_DIGITS);
        }
        // The value is digits[first, end) times ten to the power of its last digit's position; the
        // leading digit's position (the adjusted exponent) is in long arithmetic, so that
        // 1e99999999999 is an overflow, not a wrap.
        long lastDigitPower = (long) wholeLength - end;
        long adjusted;
        try {
            adjusted = Math.addExact((long) wholeLength - first - 1, exponent);
        } catch (ArithmeticException e) {
            adjusted = exponent;
        }
        checkExponent(adjusted);
        int scale = (int) -(lastDigitPower + exponent);
        BigDecimal unsigned;
        if (end - first <= LONG_DIGITS) {
            long unscaled = 0;
            for (int k = first; k < end; k++) {
                unscaled = unscaled * 10 + digit(text, wholeStart, wholeLength, fractionStart, k);
            }
            unsigned = BigDecimal.valueOf(unscaled, scale);
        } else {
            StringBuilder significant = new StringBuilder(end - first);
            for (int k = first; k < end; k++) {
                significant.append((char) ('0' + digit(text, wholeStart, wholeLength, fractionStart, k)));
            }
            unsigned = new BigDecimal(new BigInteger(significant.toString()), scale);
        }
        return negative ? unsigned.negate() : unsigned;
    }

    /** Where the run of ASCII digits from {@code i} ends. */
    private static int digits(String text, int i) {
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** The {@code k}-th digit of the whole part followed by the fraction. */
    private static int digit(String text, int wholeStart, int wholeLength, int fractionStart, int k) {
        return text.charAt(k < wholeLength ? wholeStart + k : fractionStart + k - wholeLength) - '0';
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

    /** DynamoDB's message, which names the text (its first 100 characters; none when empty). */
    private static DynamoException notANumber(String text) {
        if (text == null || text.isEmpty()) {
            return DynamoException.validation(NOT_A_NUMBER);
        }
        return DynamoException.validation(NOT_A_NUMBER + ": " + (text.length() > 100 ? text.substring(0, 100) + "…" : text));
    }
}
