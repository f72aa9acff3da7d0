package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One DynamoDB operation (the part of {@code X-Amz-Target} after the dot): takes the request
 * body, returns the response body. Throws {@link io.jormundb.engine.error.DynamoException} for
 * every client error. Implementations are stateless and thread-safe.
 */
public interface Operation {
    ObjectNode handle(Request request);
}
