package io.jormundb.api.auth;

import io.jormundb.api.TestServer;
import io.jormundb.api.config.Config;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** The access keys of the auth tests, and SDK clients that sign with them. */
public final class Keys {
    /** The key of {@link TestServer}'s own clients: may do everything. */
    public static final AccessKey ADMIN = new AccessKey("AKIDTEST", "test-secret", false, List.of("*"));
    /** Reads every table, writes none. */
    public static final AccessKey READER = new AccessKey("AKIDREADER", "reader-secret", true, List.of("*"));
    /** Reads and writes table Orders and the tables whose names start with {@code Orders-}, nothing else. */
    public static final AccessKey ORDERS = new AccessKey("AKIDORDERS", "orders-secret", false, List.of("Orders", "Orders-*"));
    /** Reads and writes the tables whose names hold {@code Orders}, nothing else. */
    public static final AccessKey INFIX = new AccessKey("AKIDINFIX", "infix-secret", false, List.of("*Orders*"));
    public static final Credentials ALL = new Credentials(List.of(ADMIN, READER, ORDERS, INFIX), List.of());

    private Keys() {
    }

    /** The test server's configuration with these keys required. */
    public static Config withAuth(Config config) {
        return config.with(b -> b.auth(ALL));
    }

    /** An SDK client signing with {@code keyId} and {@code secret} for {@code region}, made as {@link TestServer#client}. */
    static DynamoDbClient client(URI endpoint, String keyId, String secret, Region region) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(region)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(keyId, secret)))
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)).build())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static DynamoDbClient client(URI endpoint, AccessKey key) {
        return client(endpoint, key.id(), key.secret(), Region.US_EAST_1);
    }
}
