package io.jormundb.api.txn;

import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Asserts the exact DynamoDB error (the {@code __type} name and the message) a request gets. */
final class DynamoErrors {
    private DynamoErrors() {
    }

    static DynamoDbException assertError(String type, String message, Executable request) {
        DynamoDbException e = assertThrows(DynamoDbException.class, request);
        assertEquals(type, e.awsErrorDetails().errorCode());
        assertEquals(message, e.awsErrorDetails().errorMessage());
        return e;
    }

    static DynamoDbException assertValidation(String message, Executable request) {
        return assertError("ValidationException", message, request);
    }
}
