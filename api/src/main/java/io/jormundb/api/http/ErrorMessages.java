package io.jormundb.api.http;

/**
 * Error messages as clients get them: at most {@value #MAX_CHARS} characters, so that an error
 * quoting a huge request (a million-character table name, a hundred thousand unused placeholders)
 * answers a small body. A longer message keeps its start and its end, which say what is wrong,
 * around a note of how much was cut.
 */
public final class ErrorMessages {
    public static final int MAX_CHARS = 4096;
    private static final int HEAD = 3000;
    private static final int TAIL = 1000;

    private ErrorMessages() {
    }

    public static String capped(String message) {
        if (message == null || message.length() <= MAX_CHARS) {
            return message;
        }
        int head = HEAD - (Character.isHighSurrogate(message.charAt(HEAD - 1)) ? 1 : 0);
        int tail = message.length() - TAIL + (Character.isLowSurrogate(message.charAt(message.length() - TAIL)) ? 1 : 0);
        return message.substring(0, head) + " … (" + (tail - head) + " characters cut) … " + message.substring(tail);
    }
}
