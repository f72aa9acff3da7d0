package io.jormundb.api;

import java.nio.channels.UnresolvedAddressException;

/**
 * A port of the server cannot be bound. Its message is the one line an operator needs, naming
 * the address, the flag that chose it and why: {@code cannot listen on 0.0.0.0:1883 (--mqtt-port):
 * address already in use}. Nothing of the server is left running when this is thrown.
 */
public final class CannotListenException extends RuntimeException {
    CannotListenException(String host, int port, String flag, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " (" + flag + "): " + reason(cause), cause);
    }

    /** The operating system's words, as {@code address already in use}. */
    private static String reason(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException) {
            return "no address of this machine has that name";
        }
        String message = root.getMessage() == null || root.getMessage().isEmpty() ? root.getClass().getSimpleName()
                : root.getMessage();
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
