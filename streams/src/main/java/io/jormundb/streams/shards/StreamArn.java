package io.jormundb.streams.shards;

import io.jormundb.engine.error.DynamoException;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stream's ARN, {@code arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>}, where
 * the label is the instant the stream was enabled as DynamoDB writes it
 * ({@code 2015-05-20T20:51:10.252}, UTC). JormunDB serves one database under every region: it
 * writes the region a request was signed for and {@link #ACCOUNT} (DynamoDB Local's account), and
 * finds a stream by its table name and label whatever region and account an ARN names.
 */
public record StreamArn(String region, String account, String tableName, String label) {
    /** The account id in every ARN JormunDB writes. */
    public static final String ACCOUNT = "000000000000";
    private static final DateTimeFormatter LABEL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final Pattern ARN = Pattern.compile("arn:aws:dynamodb:([a-z0-9-]{1,32}):(\\d{12}):table/"
            + "([a-zA-Z0-9_.-]{3,255})/stream/(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3})");

    /** The ARN of the stream of table {@code tableName} enabled at {@code enabledMillis}, in {@code region}. */
    public static StreamArn of(String region, String tableName, long enabledMillis) {
        return new StreamArn(region, ACCOUNT, tableName, label(enabledMillis));
    }

    /** The label of a stream enabled at {@code millis}. */
    public static String label(long millis) {
        return LABEL.format(Instant.ofEpochMilli(millis));
    }

    /**
     * The ARN {@code text} is.
     *
     * @throws DynamoException the ValidationException "Invalid StreamArn" when it is none
     */
    public static StreamArn parse(String text) {
        Matcher m = ARN.matcher(text);
        if (!m.matches()) {
            throw invalid();
        }
        try {
            LABEL.parse(m.group(4));
        } catch (DateTimeParseException e) {
            throw invalid();
        }
        return new StreamArn(m.group(1), m.group(2), m.group(3), m.group(4));
    }

    /** The instant the label names (epoch milliseconds). */
    public long labelMillis() {
        return Instant.from(LABEL.parse(label)).toEpochMilli();
    }

    private static DynamoException invalid() {
        return DynamoException.validation("Invalid StreamArn");
    }

    @Override
    public String toString() {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableName + "/stream/" + label;
    }
}
