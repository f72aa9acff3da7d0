package io.jormundb.broker.publish;

import java.io.IOException;

/** The target refused or lost a message, or did not take it in time: the publisher re-reads from its cursor. */
final class TargetFailedException extends IOException {
    TargetFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
