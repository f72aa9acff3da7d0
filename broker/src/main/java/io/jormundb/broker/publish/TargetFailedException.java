package io.jormundb.broker.publish;

import java.io.IOException;

import io.jormundb.engine.changelog.Position;

/** The target refused or lost a message, or did not take it in time: the publisher re-reads from its cursor. */
final class TargetFailedException extends IOException {
    /** The position of the message refused or lost; {@code null} when it was not taken in time. */
    private final Position lost;

    TargetFailedException(String message, Throwable cause, Position lost) {
        super(message, cause);
        this.lost = lost;
    }

    Position lost() {
        return lost;
    }
}
