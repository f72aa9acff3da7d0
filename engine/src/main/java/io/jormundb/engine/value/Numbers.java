package io.jormundb.engine.value;

import io.jormundb.engine.error.DynamoException;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * DynamoDB's number rules in one place: at most 38 significant digits, magnitude from 1E-130 to
 * 9.9999999999999999999999999999999999999E+125 (or zero), exact arithmetic, and one normal form
 * (trailing zeros stripped, {@code -0} is {@code 0}) so that equal numbers are equal values.
 */
public final class Numbers {
    public static final int MAX_DIGITS = 38;
    /** Smallest allowed adjusted exponent (1E-130). */
    public static final int MIN_EXPONENT = -130;
    /** Largest allowed adjusted exponent (9.99…E+125). */
    public static final int MAX_EXPONENT = 125;

    private static final MathContext EXACT = new MathContext(MAX_DIGITS + 2);

    private Numbers() {
    }

    /**
     * Parses a number as DynamoDB accepts it ({@code 12}, {@code -1.5}, {@code 1E+2}, {@code .5})
     * and returns its normal form, or throws the ValidationException DynamoDB gives.
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isEmpty() || !looksNumeric(text)) {
            throw DynamoException.validation("A value provided cannot be converted into a number");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw DynamoException.validation("A value provided cannot be converted into a number");
        }
        return checked(value);
    }

    /** Normalises {@code value} and checks it against DynamoDB's precision and range. */
    public static BigDecimal checked(BigDecimal value) {
        if (value.signum() == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal normal = value.stripTrailingZeros();
        if (normal.precision() > MAX_DIGITS) {
            throw DynamoException.validation("Attempting to store more than 38 significant digits in a Number");
        }
        int exponent = adjustedExponent(normal);
        if (exponent > MAX_EXPONENT) {
            throw DynamoException.validation(
                    "Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (exponent < MIN_EXPONENT) {
            throw DynamoException.validation(
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        return normal;
    }

    /** Exact sum, checked like any stored number. */
    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return checked(a.add(b, EXACT));
    }

    /** Exact difference, checked like any stored number. */
    public static BigDecimal subtract(BigDecimal a, BigDecimal b) {
        return checked(a.subtract(b, EXACT));
    }

    /** The exponent of the leading digit: 1 for 12.5, -2 for 0.0125. */
    public static int adjustedExponent(BigDecimal nonZero) {
        return nonZero.precision() - nonZero.scale() - 1;
    }

    /** DynamoDB's text for a number: plain notation, no trailing zeros ({@code 1E+2} is {@code 100}). */
    public static String format(BigDecimal normal) {
        return normal.toPlainString();
    }

    private static boolean looksNumeric(String text) {
        String s = text.trim();
        int i = 0;
        int n = s.length();
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(s.charAt(i)) && s.charAt(i) < 128) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0 || expDigits > 9) {
                return false;
            }
        }
        return i == n;
    }
}
