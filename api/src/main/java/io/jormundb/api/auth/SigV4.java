package io.jormundb.api.auth;

import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) as DynamoDB does, in the
 * {@code Authorization} header or in the query string of a presigned URL: the credential scope
 * ({@code <key id>/<yyyyMMdd>/<region>/dynamodb/aws4_request}), a known key, the date within
 * {@link #MAX_SKEW} of the server's clock (or, presigned, before {@code X-Amz-Date + X-Amz-Expires}),
 * {@code host}, {@code x-amz-date} and {@code x-amz-target} among the signed headers, and the
 * signature over the canonical request (method, path, query, signed headers, SHA-256 of the
 * body) recomputed with the key's secret and compared in constant time. Each failure is the
 * {@link DynamoException} DynamoDB answers, with its message. Session tokens (STS) are not
 * supported: a request carrying {@code X-Amz-Security-Token} is refused as an unrecognized
 * client. Thread-safe.
 */
public final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String SERVICE = "dynamodb";
    static final String TERMINATOR = "aws4_request";
    /** How far a signed request's date may be from the server's clock, as in AWS. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    /** The longest a presigned URL may be valid, as in AWS: seven days. */
    public static final long MAX_EXPIRES_SECONDS = 7 * 24 * 3600;
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final String SIGNATURE_MISMATCH = "The request signature we calculated does not match the "
            + "signature you provided. Check your AWS Secret Access Key and signing method. Consult the service "
            + "documentation for details.";

    private final Credentials credentials;
    private final Clock clock;

    public SigV4(Credentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
    }

    /**
     * The key that signed {@code request}, in its {@code Authorization} header or, for a presigned
     * URL, in its query string.
     *
     * @throws DynamoException MissingAuthenticationToken when it carries neither, and the error
     *                         DynamoDB answers for every other way a signature fails
     */
    public Signed verify(SignedRequest request) {
        String authorization = request.header("Authorization");
        Map<String, String> query = QueryString.parse(request.rawQuery());
        if (request.header("X-Amz-Security-Token") != null || query.containsKey("X-Amz-Security-Token")) {
            throw unrecognized();
        }
        if (authorization != null) {
            return verifyHeader(request, authorization);
        }
        if (query.containsKey("X-Amz-Signature") || query.containsKey("X-Amz-Credential")) {
            return verifyQuery(request, query);
        }
        throw new DynamoException(ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Request is missing Authentication Token");
    }

    /** A verified signature: the key that made it and the region its scope names. */
    public record Signed(AccessKey key, String region) {
    }

    /**
     * An Authorization header as a refusal quotes it: DynamoDB quotes it whole, which for a SigV4
     * header shows nothing secret; of another scheme's (Basic, Bearer) only the scheme is shown, as
     * what follows it may be a password.
     */
    private static String shown(String authorization) {
        if (authorization.startsWith(ALGORITHM + " ")) {
            return authorization;
        }
        String[] scheme = authorization.split(" ", 2);
        return scheme.length == 1 ? authorization : scheme[0] + " (credentials not shown)";
    }

    private Signed verifyHeader(SignedRequest request, String authorization) {
        Map<String, String> parts = authorizationParts(authorization);
        List<String> missing = new ArrayList<>();
        for (String part : List.of("Credential", "Signature", "SignedHeaders")) {
            if (!parts.containsKey(part)) {
                missing.add("Authorization header requires '" + part + "' parameter.");
            }
        }
        if (!authorization.startsWith(ALGORITHM + " ") || !missing.isEmpty()) {
            if (missing.isEmpty()) {
                missing.add("Unsupported AWS 'algorithm': '" + authorization.split(" ", 2)[0] + "'.");
            }
            throw incomplete(String.join(" ", missing) + " Authorization=" + shown(authorization));
        }
        Scope scope = scope(parts.get("Credential"), "Authorization=" + authorization);
        AccessKey key = key(scope);
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null) {
            throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                    + "Authorization=" + authorization);
        }
        Instant date = date(amzDate, scope);
        Instant now = clock.instant();
        if (date.isBefore(now.minus(MAX_SKEW))) {
            throw invalid("Signature expired: " + amzDate + " is now earlier than " + format(now.minus(MAX_SKEW))
                    + " (" + format(now) + " - " + MAX_SKEW.toMinutes() + " min.)");
        }
        if (date.isAfter(now.plus(MAX_SKEW))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than " + format(now.plus(MAX_SKEW))
                    + " (" + format(now) + " + " + MAX_SKEW.toMinutes() + " min.)");
        }
        List<String> signedHeaders = signedHeaders(parts.get("SignedHeaders"), request, true);
        // Always the hash of the body as it came (an x-amz-content-sha256 header, signed, must agree with it:
        // UNSIGNED-PAYLOAD and streaming payloads do not verify).
        String canonical = canonicalRequest(request, QueryString.parse(request.rawQuery()), signedHeaders,
                hex(sha256(request.body())));
        check(key, scope, amzDate, canonical, parts.get("Signature"));
        return new Signed(key, scope.region());
    }

    private Signed verifyQuery(SignedRequest request, Map<String, String> query) {
        List<String> missing = new ArrayList<>();
        for (String p : List.of("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders",
                "X-Amz-Date", "X-Amz-Expires")) {
            if (!query.containsKey(p)) {
                missing.add(p);
            }
        }
        if (!missing.isEmpty()) {
            throw incomplete("A presigned URL needs the query parameters X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, "
                    + "X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature; missing: " + String.join(", ", missing));
        }
        if (!query.get("X-Amz-Algorithm").equals(ALGORITHM)) {
            throw incomplete("Unsupported AWS 'algorithm': '" + query.get("X-Amz-Algorithm") + "' (only " + ALGORITHM
                    + ")");
        }
        Scope scope = scope(query.get("X-Amz-Credential"), "X-Amz-Credential=" + query.get("X-Amz-Credential"));
        AccessKey key = key(scope);
        String amzDate = query.get("X-Amz-Date");
        Instant date = date(amzDate, scope);
        long expires;
        try {
            expires = Long.parseLong(query.get("X-Amz-Expires"));
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 1 || expires > MAX_EXPIRES_SECONDS) {
            throw incomplete("X-Amz-Expires must be a number of seconds from 1 to " + MAX_EXPIRES_SECONDS
                    + " (a week), not '" + query.get("X-Amz-Expires") + "'");
        }
        Instant now = clock.instant();
        if (date.isAfter(now.plus(MAX_SKEW))) {
            throw invalid("Signature not yet current: " + amzDate + " is still later than " + format(now.plus(MAX_SKEW))
                    + " (" + format(now) + " + " + MAX_SKEW.toMinutes() + " min.)");
        }
        Instant end = date.plusSeconds(expires);
        if (!now.isBefore(end)) {
            throw invalid("Request has expired: X-Amz-Date " + amzDate + " + X-Amz-Expires " + expires + " s ended at "
                    + format(end), ErrorCode.ACCESS_DENIED);
        }
        List<String> signedHeaders = signedHeaders(query.get("X-Amz-SignedHeaders"), request, false);
        Map<String, String> signedQuery = new LinkedHashMap<>(query);
        signedQuery.remove("X-Amz-Signature");
        // A presigned GET has no body; signers put either the hash of nothing or UNSIGNED-PAYLOAD.
        String bodyHash = hex(sha256(request.body()));
        String provided = query.get("X-Amz-Signature");
        if (request.body().length == 0
                && !matches(key, scope, amzDate, canonicalRequest(request, signedQuery, signedHeaders, bodyHash), provided)) {
            check(key, scope, amzDate, canonicalRequest(request, signedQuery, signedHeaders, UNSIGNED_PAYLOAD), provided);
        } else {
            check(key, scope, amzDate, canonicalRequest(request, signedQuery, signedHeaders, bodyHash), provided);
        }
        return new Signed(key, scope.region());
    }

    /** {@code <key id>/<yyyyMMdd>/<region>/<service>/aws4_request}, taken apart. */
    private record Scope(String keyId, String date, String region, String service) {
        String text() {
            return date + "/" + region + "/" + service + "/" + TERMINATOR;
        }
    }

    private Scope scope(String credential, String context) {
        String[] p = credential.split("/", -1);
        if (p.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, e.g. "
                    + "keyid/date/region/service/term, got '" + credential + "'. " + context);
        }
        if (!p[4].equals(TERMINATOR)) {
            throw invalid("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '" + p[4]
                    + "'. ");
        }
        if (!p[3].equals(SERVICE)) {
            throw invalid("Credential should be scoped to correct service: '" + SERVICE + "'. ");
        }
        if (!credentials.acceptsRegion(p[2])) {
            throw invalid("Credential should be scoped to a valid region, not '" + p[2] + "'. ");
        }
        return new Scope(p[0], p[1], p[2], p[3]);
    }

    private AccessKey key(Scope scope) {
        return credentials.key(scope.keyId()).orElseThrow(SigV4::unrecognized);
    }

    private static Instant date(String amzDate, Scope scope) {
        Instant date;
        try {
            date = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\", not '" + amzDate
                    + "'");
        }
        if (!amzDate.substring(0, 8).equals(scope.date())) {
            throw invalid("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                    + scope.date() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate + "'.");
        }
        return date;
    }

    /** The signed header names, which must include host, and x-amz-date and x-amz-target when sent in headers. */
    private static List<String> signedHeaders(String list, SignedRequest request, boolean dateInHeaders) {
        List<String> names = Arrays.asList(list.split(";"));
        if (!names.contains("host")) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (dateInHeaders && !names.contains("x-amz-date")) {
            throw incomplete("'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization.");
        }
        if (request.header("X-Amz-Target") != null && !names.contains("x-amz-target")) {
            throw incomplete("'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
        }
        return names;
    }

    private static String canonicalRequest(SignedRequest request, Map<String, String> query, List<String> signedHeaders,
                                           String payloadHash) {
        StringBuilder b = new StringBuilder();
        b.append(request.method()).append('\n');
        b.append(canonicalPath(request.rawPath())).append('\n');
        b.append(QueryString.canonical(query)).append('\n');
        for (String name : signedHeaders) {
            List<String> values = request.headerValues(name);
            b.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                b.append(i == 0 ? "" : ",").append(values.get(i).trim().replaceAll(" +", " "));
            }
            b.append('\n');
        }
        b.append('\n').append(String.join(";", signedHeaders)).append('\n');
        b.append(payloadHash);
        return b.toString();
    }

    /** The path as AWS services other than S3 sign it: each segment of the path as sent, encoded once more. */
    private static String canonicalPath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(QueryString.encode(segment));
        }
        return String.join("/", segments);
    }

    private void check(AccessKey key, Scope scope, String amzDate, String canonicalRequest, String provided) {
        if (!matches(key, scope, amzDate, canonicalRequest, provided)) {
            throw invalid(SIGNATURE_MISMATCH);
        }
    }

    private static boolean matches(AccessKey key, Scope scope, String amzDate, String canonicalRequest,
                                   String provided) {
        String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope.text() + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] k = hmac(("AWS4" + key.secret()).getBytes(StandardCharsets.UTF_8), scope.date());
        k = hmac(k, scope.region());
        k = hmac(k, scope.service());
        k = hmac(k, TERMINATOR);
        byte[] expected = hex(hmac(k, toSign)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, provided.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    private static String format(Instant instant) {
        return AMZ_DATE.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…} as a map of its parts. */
    /**
     * The {@code name=value} components of the header. One named twice is refused: the signature
     * would be checked against one and the region of the response's ARNs taken from another.
     */
    private static Map<String, String> authorizationParts(String authorization) {
        Map<String, String> parts = new LinkedHashMap<>();
        int space = authorization.indexOf(' ');
        for (String part : authorization.substring(space + 1).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                String name = part.substring(0, eq).trim();
                if (parts.put(name, part.substring(eq + 1).trim()) != null) {
                    throw incomplete("Authorization header names '" + name + "' more than once. Authorization="
                            + shown(authorization));
                }
            }
        }
        return parts;
    }

    private static DynamoException unrecognized() {
        return new DynamoException(ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
    }

    private static DynamoException invalid(String message) {
        return new DynamoException(ErrorCode.INVALID_SIGNATURE, message);
    }

    private static DynamoException invalid(String message, ErrorCode code) {
        return new DynamoException(code, message);
    }

    private static DynamoException incomplete(String message) {
        return new DynamoException(ErrorCode.INCOMPLETE_SIGNATURE, message);
    }

    /** Query strings as SigV4 reads and writes them (RFC 3986 encoding, parameters sorted). */
    static final class QueryString {
        private QueryString() {
        }

        /**
         * The parameters of a raw query string, decoded. A name given twice is refused: what reads
         * the parameters after the signature was checked (a feed's filters) must see what was signed.
         */
        static Map<String, String> parse(String rawQuery) {
            Map<String, String> params = new LinkedHashMap<>();
            if (rawQuery == null || rawQuery.isEmpty()) {
                return params;
            }
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                if (params.put(decode(name), decode(value)) != null) {
                    throw incomplete("A signed request names each query parameter once; " + decode(name)
                            + " is given more than once.");
                }
            }
            return params;
        }

        static String canonical(Map<String, String> params) {
            List<String[]> pairs = new ArrayList<>();
            params.forEach((name, value) -> pairs.add(new String[] {encode(name), encode(value)}));
            pairs.sort(java.util.Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
            List<String> joined = new ArrayList<>();
            pairs.forEach(p -> joined.add(p[0] + "=" + p[1]));
            return String.join("&", joined);
        }

        private static String decode(String s) {
            try {
                return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return s;
            }
        }

        /** RFC 3986: letters, digits and {@code -_.~} stay, every other byte of the UTF-8 is %XX. */
        static String encode(String s) {
            StringBuilder b = new StringBuilder();
            for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xFF;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                        || c == '.' || c == '~') {
                    b.append((char) c);
                } else {
                    b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
            return b.toString();
        }
    }
}
