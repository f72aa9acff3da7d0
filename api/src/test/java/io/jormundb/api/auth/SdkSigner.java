package io.jormundb.api.auth;

import io.jormundb.api.Wire;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signatures made by the AWS SDK's own SigV4 signer ({@link AwsV4HttpSigner}), never by
 * JormunDB's code: request headers for raw HTTP requests that tests then tamper with, and
 * presigned URLs as a backend hands them to a browser.
 */
final class SdkSigner {
    private final String keyId;
    private final String secret;
    private String region = "us-east-1";
    private String service = "dynamodb";
    private Clock clock = Clock.systemUTC();

    SdkSigner(String keyId, String secret) {
        this.keyId = keyId;
        this.secret = secret;
    }

    SdkSigner region(String value) {
        region = value;
        return this;
    }

    SdkSigner service(String value) {
        service = value;
        return this;
    }

    /** Signs as if at {@code value}'s time. */
    SdkSigner clock(Clock value) {
        clock = value;
        return this;
    }

    /**
     * The headers of {@code POST /} for {@code operation} with {@code body}, signed: Content-Type,
     * X-Amz-Target, X-Amz-Date and Authorization (without Host, which the HTTP client sets itself
     * to the value signed).
     */
    Map<String, String> headers(URI endpoint, String operation, String body) {
        return headers(endpoint, operation, body, Map.of());
    }

    /** {@link #headers(URI, String, String)} with {@code extra} headers added before signing. */
    Map<String, String> headers(URI endpoint, String operation, String body, Map<String, String> extra) {
        SdkHttpRequest.Builder builder = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint.resolve("/"))
                .putHeader("Content-Type", Wire.JSON_1_0).putHeader("X-Amz-Target", Wire.TARGET_PREFIX + operation);
        extra.forEach(builder::putHeader);
        SdkHttpRequest request = builder.build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(keyId, secret))
                .request(request)
                .payload(ContentStreamProvider.fromUtf8String(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)).request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.put(name, String.join(",", values));
            }
        });
        return headers;
    }

    /** {@code url} (a GET, such as a feed) presigned for {@code expires}, as the SDK's signer presigns it. */
    URI presign(URI url, Duration expires) {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.GET).uri(url).build();
        return AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(keyId, secret))
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock)
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, expires)).request().getUri();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
