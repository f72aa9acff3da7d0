package io.jormundb.api.auth;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One access key of the credentials file: its id and secret, whether it may only read, and the
 * tables it may touch, as name patterns where {@code *} stands for any characters
 * ({@code Orders}, {@code Audit-*}; {@code *} alone is every table).
 *
 * @param id       the access key id (SigV4's {@code Credential=<id>/…}; the MQTT user name)
 * @param secret   the secret access key (the SigV4 signing secret; the MQTT password)
 * @param readOnly whether writes (items, tables, tags, TTL) are refused
 * @param tables   the table name patterns this key may touch
 */
public record AccessKey(String id, String secret, boolean readOnly, List<String> tables) {
    private static final String EVERY_TABLE = "*";

    public AccessKey {
        tables = List.copyOf(tables);
    }

    /** Whether this key may read table {@code table}; {@code null} is every table at once. */
    public boolean mayRead(String table) {
        return table == null ? tables.contains(EVERY_TABLE) : tables.stream().anyMatch(p -> matches(p, table));
    }

    /** Whether this key may change table {@code table}; {@code null} is every table at once. */
    public boolean mayWrite(String table) {
        return !readOnly && mayRead(table);
    }

    /** The IAM user DynamoDB names in an AccessDeniedException. */
    public String userArn() {
        return "arn:aws:iam::" + Arns.ACCOUNT + ":user/" + id;
    }

    public byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean matches(String pattern, String table) {
        if (pattern.equals(EVERY_TABLE)) {
            return true;
        }
        if (pattern.indexOf('*') < 0) {
            return pattern.equals(table);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return table.matches(regex.toString());
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "AccessKey[" + id + (readOnly ? ", read-only" : "") + ", tables " + tables + "]";
    }
}
