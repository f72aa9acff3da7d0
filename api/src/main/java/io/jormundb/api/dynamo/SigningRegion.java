package io.jormundb.api.dynamo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The region a request was signed for: the third part of the credential scope in its SigV4
 * {@code Authorization} header
 * ({@code AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/dynamodb/aws4_request, ...}).
 * JormunDB writes this region where DynamoDB writes its own (ARNs, the {@code awsRegion} of
 * stream records). Without {@code --auth} no signature is checked, and a request without one, or
 * with something that is no region name, is taken as {@link #DEFAULT}; with it,
 * {@code io.jormundb.api.auth.SigV4} has verified the signature and its scope first.
 */
public final class SigningRegion {
    public static final String DEFAULT = "us-east-1";
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/,\\s]*/\\d{8}/([a-z0-9-]{1,32})/");

    private SigningRegion() {
    }

    public static String of(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-")) {
            return DEFAULT;
        }
        Matcher m = SCOPE.matcher(authorization);
        return m.find() ? m.group(1) : DEFAULT;
    }
}
