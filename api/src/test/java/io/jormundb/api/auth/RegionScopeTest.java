package io.jormundb.api.auth;

import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.util.List;

import static io.jormundb.api.Sdk.assertDynamoError;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A credentials file with {@code "regions"} accepts signatures scoped to those regions only. */
class RegionScopeTest {
    @RegisterExtension
    static final TestServer.Managed SERVER = TestServer.perClass(c -> c.with(b -> b.auth(new Credentials(
            List.of(Keys.ADMIN), List.of("us-east-1", "eu-west-1")))));

    @Test
    void aSignatureForAnAllowedRegionIsAccepted() {
        try (DynamoDbClient client = Keys.client(SERVER.endpoint(), Keys.ADMIN.id(), Keys.ADMIN.secret(),
                Region.EU_WEST_1)) {
            assertEquals(List.of(), client.listTables().tableNames());
        }
    }

    @Test
    void aSignatureForAnotherRegionIsRefused() {
        try (DynamoDbClient client = Keys.client(SERVER.endpoint(), Keys.ADMIN.id(), Keys.ADMIN.secret(),
                Region.AP_SOUTHEAST_2)) {
            assertDynamoError("InvalidSignatureException",
                    "Credential should be scoped to a valid region, not 'ap-southeast-2'. ", client::listTables);
        }
    }
}
