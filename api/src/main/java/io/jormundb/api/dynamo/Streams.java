package io.jormundb.api.dynamo;

import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.error.DynamoException;

import java.util.List;

/** The StreamSpecification member of CreateTable and UpdateTable, checked with DynamoDB's messages. */
final class Streams {
    /** StreamViewType's values in the order DynamoDB's constraint message lists them. */
    private static final List<String> VIEW_TYPES = List.of("OLD_IMAGE", "KEYS_ONLY", "NEW_AND_OLD_IMAGES", "NEW_IMAGE");

    private Streams() {
    }

    /**
     * The requested stream view type, or {@code null} when the request turns the stream off or
     * does not mention it.
     */
    static StreamViewType viewType(Request request, boolean forUpdate) {
        Request s = request.nested("StreamSpecification");
        if (s == null) {
            return null;
        }
        if (!s.has("StreamEnabled")) {
            throw s.missingMember("StreamEnabled");
        }
        boolean enabled = s.bool("StreamEnabled", false);
        String view = s.enumValue("StreamViewType", VIEW_TYPES, null);
        if (enabled && view == null) {
            throw DynamoException.validation("One or more parameter values were invalid: " + (forUpdate
                    ? "If stream is being enabled then UpdateViewType is required"
                    : "Table is being created with a stream enabled, UpdateViewType is required"));
        }
        if (!enabled && view != null) {
            throw DynamoException.validation("One or more parameter values were invalid: " + (forUpdate
                    ? "If stream is being disabled, then UpdateViewType must not be specified"
                    : "Table is being created with a stream disabled, UpdateViewType should not be specified"));
        }
        return enabled ? StreamViewType.valueOf(view) : null;
    }
}
