package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import io.jormundb.engine.catalog.StreamViewType;
import io.jormundb.engine.error.DynamoException;

import java.util.Set;

/** The StreamSpecification member of CreateTable and UpdateTable. */
final class Streams {
    private Streams() {
    }

    /**
     * The requested stream view type, or {@code null} when the request turns the stream off or
     * does not mention it.
     */
    static StreamViewType viewType(Request request, boolean forUpdate) {
        JsonNode spec = request.object("StreamSpecification");
        if (spec == null) {
            return null;
        }
        Request s = new Request(spec);
        if (!s.has("StreamEnabled")) {
            throw Request.missing("StreamSpecification.StreamEnabled");
        }
        boolean enabled = s.bool("StreamEnabled", false);
        String view = s.enumValue("StreamViewType",
                Set.of("KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES"), null);
        if (enabled && view == null) {
            throw DynamoException.validation(
                    "One or more parameter values were invalid: Must specify StreamViewType when StreamEnabled is true");
        }
        if (!enabled && view != null && !forUpdate) {
            throw DynamoException.validation("One or more parameter values were invalid: "
                    + "Cannot specify StreamViewType when StreamEnabled is false");
        }
        return enabled ? StreamViewType.valueOf(view) : null;
    }
}
