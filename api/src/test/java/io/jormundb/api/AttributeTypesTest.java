package io.jormundb.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.assertValidation;
import static io.jormundb.api.Sdk.b;
import static io.jormundb.api.Sdk.createTable;
import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every attribute type round-trips; DynamoDB's value rules (sets, numbers, NULL) are enforced. */
class AttributeTypesTest {
    private static final String INVALID = "One or more parameter values were invalid: ";

    private static Map<String, AttributeValue> putAndGet(DynamoDbClient client, Map<String, AttributeValue> item) {
        client.putItem(r -> r.tableName("Values").item(item));
        return client.getItem(r -> r.tableName("Values").key(item("id", item.get("id"))).consistentRead(true)).item();
    }

    private static void assertRejected(DynamoDbClient client, String message, AttributeValue value) {
        assertValidation(message, () -> client.putItem(r -> r.tableName("Values").item(item("id", s("x"), "v", value))));
        assertValidation(message, () -> client.putItem(r -> r.tableName("Values")
                .item(item("id", s("x"), "nested", AttributeValue.fromM(Map.of("inner", value))))));
    }

    @Test
    void everyAttributeTypeRoundTripsExactly() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            byte[] allBytes = new byte[256];
            for (int i = 0; i < 256; i++) {
                allBytes[i] = (byte) i;
            }
            Map<String, AttributeValue> item = item(
                    "id", s("all-types"),
                    "s", s("héllo wörld 😀 \u0000 end"),
                    "n", n("-123.456"),
                    "b", AttributeValue.fromB(SdkBytes.fromByteArray(allBytes)),
                    "yes", AttributeValue.fromBool(true),
                    "no", AttributeValue.fromBool(false),
                    "nothing", AttributeValue.fromNul(true),
                    "m", AttributeValue.fromM(item("inner", s("x"), "deeper",
                            AttributeValue.fromM(item("l", AttributeValue.fromL(List.of(n("1"), s("two"))))))),
                    "l", AttributeValue.fromL(List.of(s("a"), n("1"), b(0, 255), AttributeValue.fromBool(true),
                            AttributeValue.fromNul(true), AttributeValue.fromL(List.of()), AttributeValue.fromM(Map.of()),
                            AttributeValue.fromSs(List.of("x", "y")))),
                    "ss", AttributeValue.fromSs(List.of("b", "a", "c")),
                    "ns", AttributeValue.fromNs(List.of("3", "-1.5", "100")),
                    "bs", AttributeValue.builder().bs(SdkBytes.fromByteArray(new byte[] {0}),
                            SdkBytes.fromByteArray(new byte[] {(byte) 0xFF, 1})).build());
            Map<String, AttributeValue> read = putAndGet(client, item);

            assertEquals(item.keySet(), read.keySet());
            for (String name : List.of("id", "s", "n", "yes", "no", "nothing", "m", "l")) {
                assertEquals(item.get(name), read.get(name), name);
            }
            assertArrayEquals(allBytes, read.get("b").b().asByteArray());
            assertEquals(new HashSet<>(item.get("ss").ss()), new HashSet<>(read.get("ss").ss()));
            assertEquals(new HashSet<>(item.get("ns").ns()), new HashSet<>(read.get("ns").ns()));
            assertEquals(new HashSet<>(item.get("bs").bs()), new HashSet<>(read.get("bs").bs()));
            assertEquals(3, read.get("bs").bs().size() + 1);
        });
    }

    @ParameterizedTest(name = "{0} is returned as {1}")
    @CsvSource({
            "1.50, 1.5",
            "-0, 0",
            "0.000, 0",
            "1E+2, 100",
            "1e2, 100",
            "0.00100, 0.001",
            "-1.0E-2, -0.01",
            "007, 7",
            "12345678901234567890123456789012345678, 12345678901234567890123456789012345678",
            "-0.12345678901234567890123456789012345678, -0.12345678901234567890123456789012345678",
            "1.2345678901234567890123456789012345678E+20, 123456789012345678901.23456789012345678",
            "1.2E+20, 120000000000000000000",
    })
    void numbersAreReturnedNormalised(String given, String expected) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertEquals(n(expected), putAndGet(client, item("id", s("n"), "v", n(given))).get("v"));
            assertEquals(List.of(expected),
                    putAndGet(client, item("id", s("ns"), "v", AttributeValue.fromNs(List.of(given)))).get("v").ns());
        });
    }

    @Test
    void theSmallestAndLargestNumbersAreAcceptedInPlainNotation() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertEquals(n("0." + "0".repeat(129) + "1"),
                    putAndGet(client, item("id", s("min"), "v", n("1E-130"))).get("v"));
            assertEquals(n("-" + "9".repeat(38) + "0".repeat(88)),
                    putAndGet(client, item("id", s("max"), "v", n("-9." + "9".repeat(37) + "E+125"))).get("v"));
        });
    }

    @Test
    void numbersWithMoreThan38SignificantDigitsAreRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client, "Attempting to store more than 38 significant digits in a Number",
                    n("123456789012345678901234567890123456789"));
            assertRejected(client, "Attempting to store more than 38 significant digits in a Number",
                    n("1.23456789012345678901234567890123456789"));
        });
    }

    @Test
    void numbersOutsideTheRangeAreRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client,
                    "Number overflow. Attempting to store a number with magnitude larger than supported range",
                    n("1E+126"));
            assertRejected(client,
                    "Number overflow. Attempting to store a number with magnitude larger than supported range",
                    n("-1E+126"));
            assertRejected(client,
                    "Number underflow. Attempting to store a number with magnitude smaller than supported range",
                    n("1E-131"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "1.2.3", "NaN", "Infinity", "1E", "--1", "0x10"})
    void textThatIsNoNumberIsRejected(String text) throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client, "The parameter cannot be converted to a numeric value" + (text.isEmpty() ? "" : ": " + text),
                    n(text));
        });
    }

    @Test
    void emptySetsAreRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client, INVALID + "An string set  may not be empty", AttributeValue.fromSs(List.of()));
            assertRejected(client, INVALID + "An number set  may not be empty", AttributeValue.fromNs(List.of()));
            assertRejected(client, INVALID + "Binary sets should not be empty", AttributeValue.fromBs(List.of()));
        });
    }

    @Test
    void setsWithDuplicateMembersAreRejected() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client, INVALID + "Input collection [a, a] contains duplicates.",
                    AttributeValue.fromSs(List.of("a", "a")));
            assertRejected(client, "Input collection contains duplicates",
                    AttributeValue.fromNs(List.of("1", "1")));
            assertRejected(client, INVALID + "Input collection [Yg==, Yg==]of type BS contains duplicates.",
                    AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("b"), SdkBytes.fromUtf8String("b"))));
        });
    }

    @Test
    void nullMustBeTrue() throws Exception {
        TestServer.with((server, client) -> {
            createTable(client, "Values");
            assertRejected(client, INVALID + "Null attribute value types must have the value of true",
                    AttributeValue.fromNul(false));
        });
    }
}
