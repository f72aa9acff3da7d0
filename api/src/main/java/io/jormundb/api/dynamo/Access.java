package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Who may call what on {@code POST /}: {@link DynamoProtocol} asks it about every request, first
 * whether its signature holds, then, once the body is parsed, whether its signer may call the
 * operation on the tables the body names. Each method throws the
 * {@link io.jormundb.engine.error.DynamoException} DynamoDB answers (UnrecognizedClientException,
 * InvalidSignatureException, AccessDeniedException, …). {@code io.jormundb.api.auth} makes the
 * one of a signed request; {@link #OPEN} lets everyone do everything.
 */
public interface Access {
    /** Without {@code --auth}: anyone may do anything. */
    Access OPEN = new Access() {
        @Override
        public void authenticate() {
        }

        @Override
        public void authorize(String operation, JsonNode body, String region) {
        }
    };

    /** Throws the error of a request whose signature does not hold. */
    void authenticate();

    /**
     * Throws AccessDeniedException when the signer may not call {@code operation} ({@code PutItem})
     * on what {@code body} names; {@code region} is the one the request was signed for (ARNs).
     */
    void authorize(String operation, JsonNode body, String region);

    /** Whether a listing (ListTables, ListStreams) shows table {@code table} to the signer. */
    default boolean mayList(String table) {
        return true;
    }
}
