package io.jormundb.api.dynamo;

import io.jormundb.engine.catalog.Catalog;
import io.jormundb.engine.catalog.TableDefinition;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ResourceArn of the tagging operations: a table's ARN, {@code
 * arn:aws:dynamodb:<region>:<account>:table/<name>}, checked as DynamoDB checks it (any region
 * and account name this one server's tables). What is not an ARN at all is refused as access
 * denied, an ARN of something other than a table is invalid, an unknown table not found.
 */
final class ResourceArns {
    /** The user DynamoDB names in AccessDenied messages; JormunDB's one account. */
    private static final String USER = "arn:aws:iam::000000000000:jormundb";
    private static final Pattern ANY_ARN = Pattern.compile(".+:.+:.+:.+:.+:.+/.+");
    private static final Pattern TABLE_ARN = Pattern.compile("arn:aws:dynamodb:[^:]+:\\d+:table/([^/]{3,})");

    private ResourceArns() {
    }

    /** The live table {@code arn} names, for {@code operation} (as DynamoDB names it in errors). */
    static TableDefinition table(Catalog catalog, Request request, String operation) {
        String arn = request.string("ResourceArn");
        if (arn == null) {
            throw DynamoException.validation("Invalid TableArn");
        }
        if (!ANY_ARN.matcher(arn).matches()) {
            throw new DynamoException(ErrorCode.ACCESS_DENIED, "User: " + USER + " is not authorized to perform: "
                    + "dynamodb:" + operation + " on resource: " + (arn.isEmpty() ? "*" : arn));
        }
        return table(catalog, arn);
    }

    /** The table name in a table ARN, or {@code null} when {@code arn} is not one. */
    static String tableName(String arn) {
        Matcher m = TABLE_ARN.matcher(arn);
        return m.matches() ? m.group(1) : null;
    }

    /** The table of a well-formed {@code arn}. */
    static TableDefinition table(Catalog catalog, String arn) {
        Matcher m = TABLE_ARN.matcher(arn);
        if (!m.matches()) {
            throw DynamoException.validation("Invalid TableArn: Invalid ResourceArn provided as input " + arn);
        }
        return catalog.find(m.group(1)).orElseThrow(() -> new DynamoException(ErrorCode.RESOURCE_NOT_FOUND,
                "Requested resource not found: ResourcArn: " + arn + " not found"));
    }
}
