package io.jormundb.streams.shards;

import io.jormundb.engine.changelog.Position;
import io.jormundb.engine.error.DynamoException;
import io.jormundb.engine.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The texts the Streams API hands out and takes back: stream ARNs, shard ids and shard iterators. */
class ShardTextTest {
    private static final ShardIterator ITERATOR = new ShardIterator(7, 1_700_000_000_123L, 2, new Position(912, 3),
            1_700_000_100_000L);

    @Test
    void aStreamArnNamesItsRegionAccountTableAndLabelAndParsesBack() {
        StreamArn arn = StreamArn.of("eu-west-1", "Orders", 1_700_000_000_123L);
        assertEquals("arn:aws:dynamodb:eu-west-1:000000000000:table/Orders/stream/2023-11-14T22:13:20.123",
                arn.toString());
        assertEquals(arn, StreamArn.parse(arn.toString()));
        assertEquals(1_700_000_000_123L, arn.labelMillis());
        StreamArn other = StreamArn.parse("arn:aws:dynamodb:us-west-2:123456789012:table/a.b-c_d/stream/"
                + "2015-05-20T20:51:10.252");
        assertEquals(new StreamArn("us-west-2", "123456789012", "a.b-c_d", "2015-05-20T20:51:10.252"), other);
    }

    @Test
    void textThatIsNoStreamArnIsTheValidationErrorInvalidStreamArn() {
        for (String bad : List.of("fake-stream", "arn:aws:dynamodb:us-east-1:000000000000:table/Orders",
                "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/latest",
                "arn:aws:dynamodb:us-east-1:0000:table/Orders/stream/2015-05-20T20:51:10.252",
                "arn:aws:dynamodb:us-east-1:000000000000:table/O/stream/2015-05-20T20:51:10.252",
                "arn:aws:kinesis:us-east-1:000000000000:table/Orders/stream/2015-05-20T20:51:10.252",
                "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2015-13-20T20:51:10.252",
                "arn:aws:dynamodb:us-east-1:000000000000:table/Orders/stream/2015-05-20T20:51:10.252/x")) {
            DynamoException e = assertThrows(DynamoException.class, () -> StreamArn.parse(bad), bad);
            assertEquals(ErrorCode.VALIDATION, e.code());
            assertEquals("Invalid StreamArn", e.getMessage());
        }
    }

    @Test
    void aShardIdNamesItsStreamAndPartitionAndShardsSortByPartition() {
        ShardId id = new ShardId(1_700_000_000_123L, 2);
        assertEquals("shardId-00000001700000000123-00000002", id.toString());
        assertEquals(Optional.of(id), ShardId.parse(id.toString()));
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            ids.add(new ShardId(1_700_000_000_123L, p).toString());
        }
        assertEquals(ids.stream().sorted().toList(), ids);
        for (String bad : List.of("shardId-00000001700000000123-0000002", "shardId-99999999999999999999-00000002",
                "shardId-000000000000000000001-00000002", "x", "shardId-00000001700000000123-0000000a")) {
            assertEquals(Optional.empty(), ShardId.parse(bad), bad);
        }
    }

    @Test
    void goldenIteratorsFreezeTheFormat() {
        // 01 version | 07 table | FB D0 95 FF BC 31 stream millis | 02 partition | 90 07 version 912 | 03 index
        // | A0 DD 9B FF BC 31 created millis | 99 61 37 D6 CRC32C
        assertEquals("AQf70JX_vDECkAcDoN2b_7wxmWE31g", ITERATOR.encode());
        assertEquals(ITERATOR, ShardIterator.decode(ITERATOR.encode()));
    }

    @Test
    void everyIteratorDecodesToWhatItWasEncodedFromAndStaysShort() {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            ShardIterator it = new ShardIterator(1 + random.nextLong(Long.MAX_VALUE - 1), random.nextLong(Long.MAX_VALUE),
                    random.nextInt(Integer.MAX_VALUE), new Position(random.nextLong(Long.MAX_VALUE),
                    random.nextInt(Position.MAX_INDEX + 1)), random.nextLong(Long.MAX_VALUE));
            String text = it.encode();
            assertEquals(it, ShardIterator.decode(text));
            assertTrue(text.length() <= ShardIterator.MAX_LENGTH && text.matches("[A-Za-z0-9_-]+"), text);
        }
    }

    @Test
    void everyEditOrTruncationOfAnIteratorIsTheValidationErrorInvalidShardIterator() {
        String text = ITERATOR.encode();
        List<String> bad = new ArrayList<>(List.of("", "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg",
                text + "=", text + "A", "!" + text));
        for (int i = 0; i < text.length(); i++) {
            bad.add(text.substring(0, i));
            char c = text.charAt(i) == 'A' ? 'B' : 'A';
            bad.add(text.substring(0, i) + c + text.substring(i + 1));
        }
        for (String b : bad) {
            DynamoException e = assertThrows(DynamoException.class, () -> ShardIterator.decode(b), b);
            assertEquals(ErrorCode.VALIDATION, e.code());
            assertEquals("Invalid ShardIterator", e.getMessage());
        }
    }
}
