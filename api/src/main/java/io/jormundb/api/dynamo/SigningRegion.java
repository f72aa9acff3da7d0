package io.jormundb.api.dynamo;

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
    private static final String CREDENTIAL = "Credential=";
    private static final int MAX_REGION = 32;

    private SigningRegion() {
    }

    /** Read by hand, not by a regular expression: every request asks, and the match was 3% of PutItem's profile. */
    public static String of(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-")) {
            return DEFAULT;
        }
        for (int at = authorization.indexOf(CREDENTIAL); at >= 0; at = authorization.indexOf(CREDENTIAL, at + 1)) {
            String region = regionOfScope(authorization, at + CREDENTIAL.length());
            if (region != null) {
                return region;
            }
        }
        return DEFAULT;
    }

    /** The region of {@code keyId/yyyymmdd/region/} starting at {@code i}, or {@code null}. */
    private static String regionOfScope(String s, int i) {
        int n = s.length();
        while (i < n && s.charAt(i) != '/' && s.charAt(i) != ',' && !Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i + 10 > n || s.charAt(i) != '/' || s.charAt(i + 9) != '/') {
            return null;
        }
        for (int d = i + 1; d <= i + 8; d++) {
            if (s.charAt(d) < '0' || s.charAt(d) > '9') {
                return null;
            }
        }
        int start = i + 10;
        int end = start;
        while (end < n && end - start <= MAX_REGION && isRegionChar(s.charAt(end))) {
            end++;
        }
        return end > start && end - start <= MAX_REGION && end < n && s.charAt(end) == '/'
                ? s.substring(start, end) : null;
    }

    private static boolean isRegionChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-';
    }
}
