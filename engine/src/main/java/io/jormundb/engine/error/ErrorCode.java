package io.jormundb.engine.error;

/**
 * Every error JormunDB reports through the DynamoDB protocol, with its wire name (the part of
 * {@code __type} after {@code #}) and the HTTP status DynamoDB answers it with. This enum is the
 * one table that maps the two; the api module renders it, nothing else chooses a status.
 */
public enum ErrorCode {
    VALIDATION("ValidationException", 400),
    ACCESS_DENIED("AccessDeniedException", 400),
    SERIALIZATION("SerializationException", 400),
    UNKNOWN_OPERATION("UnknownOperationException", 400),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", 400),
    TABLE_NOT_FOUND("TableNotFoundException", 400),
    RESOURCE_IN_USE("ResourceInUseException", 400),
    CONDITIONAL_CHECK_FAILED("ConditionalCheckFailedException", 400),
    TRANSACTION_CANCELED("TransactionCanceledException", 400),
    TRANSACTION_CONFLICT("TransactionConflictException", 400),
    IDEMPOTENT_PARAMETER_MISMATCH("IdempotentParameterMismatchException", 400),
    ITEM_COLLECTION_SIZE_LIMIT_EXCEEDED("ItemCollectionSizeLimitExceededException", 400),
    LIMIT_EXCEEDED("LimitExceededException", 400),
    REQUEST_TOO_LARGE("RequestEntityTooLarge", 413),
    /** A request whose body did not arrive in time; the SDKs retry it. */
    REQUEST_TIMEOUT("RequestTimeoutException", 408),
    REQUEST_URI_TOO_LONG("RequestUriTooLong", 414),
    REQUEST_HEADERS_TOO_LARGE("RequestHeaderFieldsTooLarge", 431),
    /** The server cannot write now (a full disk, no file descriptors left) and will again; the SDKs retry it. */
    SERVICE_UNAVAILABLE("ServiceUnavailable", 503),
    EXPIRED_ITERATOR("ExpiredIteratorException", 400),
    TRIMMED_DATA_ACCESS("TrimmedDataAccessException", 400),
    INTERNAL_SERVER_ERROR("InternalServerError", 500),
    MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 400),
    INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
    INVALID_SIGNATURE("InvalidSignatureException", 400),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400);

    private final String wireName;
    private final int httpStatus;

    ErrorCode(String wireName, int httpStatus) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
    }

    /** The name after {@code #} in {@code __type}, which the SDKs map to an exception class. */
    public String wireName() {
        return wireName;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
