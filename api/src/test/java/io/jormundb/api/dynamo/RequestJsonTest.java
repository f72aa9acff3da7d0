package io.jormundb.api.dynamo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.value.AttributeValue;
import io.jormundb.engine.value.Item;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request reader: top-level attribute maps are read straight from the bytes into engine
 * values, what is wrong with one waits until the operation asks for it, and the rest of the body
 * is read on correctly after it.
 */
class RequestJsonTest {
    private final RequestJson json = new RequestJson(DynamoProtocol.MAX_REQUEST_BYTES);

    private Request request(String body) {
        return new Request(json.parse(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static DynamoException refusal(Runnable r) {
        return assertThrows(DynamoException.class, r::run);
    }

    @Test
    void topLevelAttributeMapsBecomeEngineValuesWithoutAJsonTree() {
        Request r = request("{\"TableName\":\"T\",\"Item\":{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"},"
                + "\"l\":{\"L\":[{\"BOOL\":true},{\"NULL\":true},{\"M\":{\"x\":{\"SS\":[\"p\",\"q\"]}}}]},"
                + "\"b\":{\"B\":\"AQI=\"},\"ns\":{\"NS\":[\"1\",\"2\"]}},"
                + "\"ExpressionAttributeValues\":{\":v\":{\"N\":\"7\"}},\"ReturnValues\":\"NONE\"}");
        assertInstanceOf(POJONode.class, r.node("Item"), "the Item was never a JSON tree");
        assertInstanceOf(POJONode.class, r.node("ExpressionAttributeValues"));
        Item item = r.requireItem("Item");
        assertEquals(List.of("id", "n", "l", "b", "ns"), List.copyOf(item.attributes().keySet()), "member order kept");
        assertEquals(new AttributeValue.N(new BigDecimal("1.5")), item.get("n"));
        AttributeValue.L l = (AttributeValue.L) item.get("l");
        assertEquals(AttributeValue.BOOL.TRUE, l.values().get(0));
        assertEquals(AttributeValue.NULL.INSTANCE, l.values().get(1));
        assertEquals(new AttributeValue.N(new BigDecimal("7")), r.item("ExpressionAttributeValues").get(":v"));
        assertEquals("NONE", r.string("ReturnValues"), "members after the maps are read on");
    }

    @Test
    void aBadMapIsRefusedWhenAskedForAndTheBodyAfterItIsStillRead() {
        Request r = request("{\"Item\":{\"a\":{\"S\":{\"deep\":[1,{\"x\":[2]}]},\"N\":\"1\"},"
                + "\"b\":{\"N\":\"x\"}},\"TableName\":\"Orders\",\"Key\":{\"k\":{\"N\":\"not a number\"}}}");
        assertEquals("Orders", r.string("TableName"), "the body after a bad map is read");
        assertTrue(refusal(() -> r.requireItem("Item")).getMessage().contains("more than one datatypes"),
                "two types given: refused for that before the wrong S");
        assertTrue(refusal(() -> r.requireItem("Key")).getMessage().contains("cannot be converted to a numeric value"));
    }

    @Test
    void aTypeGivenTwiceCountsOnceItsLast() {
        assertEquals(new AttributeValue.S("b"),
                request("{\"Key\":{\"k\":{\"S\":\"a\",\"S\":\"b\"}}}").requireItem("Key").get("k"));
        assertTrue(refusal(() -> request("{\"Key\":{\"k\":{\"S\":\"a\",\"S\":null}}}").requireItem("Key"))
                .getMessage().contains("is empty"));
        assertEquals(new AttributeValue.N(BigDecimal.ONE),
                request("{\"Key\":{\"k\":{\"S\":5,\"N\":\"1\",\"S\":null}}}").requireItem("Key").get("k"));
    }

    @Test
    void brokenJsonAfterALoneSurrogateIsReportedAsBrokenJson() {
        DynamoException broken = refusal(() -> request("{\"Item\":{\"a\":{\"S\":\"\\ud800\"}},\"TableName\":}"));
        assertEquals(io.jormundb.engine.error.ErrorCode.SERIALIZATION, broken.code(), broken.getMessage());
        DynamoException surrogate = refusal(() -> request("{\"TableName\":\"T\",\"Item\":{\"a\":{\"L\":[{\"S\":\"ok\"},"
                + "{\"S\":\"x\\udc00\"}]}}}"));
        assertTrue(surrogate.getMessage().contains("the string at Item.a.L[1].S is not valid Unicode"),
                surrogate.getMessage());
        DynamoException inName = refusal(() -> request("{\"Key\":{\"a\\udc00\":{\"S\":\"x\"}}}"));
        assertTrue(inName.getMessage().contains("not valid Unicode"), inName.getMessage());
    }

    @Test
    void mapsElsewhereAreReadFromTheirNodesBySameRules() {
        JsonNode body = json.parse(("{\"RequestItems\":{\"T\":[{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"x\"},"
                + "\"v\":{\"NS\":[\"1\",\"1\"]}}}}]}}").getBytes(StandardCharsets.UTF_8));
        JsonNode nested = body.get("RequestItems").get("T").get(0).get("PutRequest");
        assertTrue(nested.get("Item").isObject(), "only top-level maps are read ahead");
        assertEquals("Input collection contains duplicates",
                refusal(() -> new Request(nested).requireItem("Item")).getMessage());
        assertEquals(Map.of("id", new AttributeValue.S("x")),
                AttributeJson.item(json.parse("{\"Item\":{\"id\":{\"S\":\"x\"}}}".getBytes(StandardCharsets.UTF_8))
                        .get("Item"), "Item").attributes());
    }
}
