package io.jormundb.api.auth;

/** The ARNs of JormunDB's one account, as AccessDeniedException messages name them. */
final class Arns {
    /** The account every table belongs to (as in the table ARNs DescribeTable gives). */
    static final String ACCOUNT = "000000000000";

    private Arns() {
    }

    static String table(String region, String table) {
        return "arn:aws:dynamodb:" + region + ":" + ACCOUNT + ":table/" + table;
    }
}
