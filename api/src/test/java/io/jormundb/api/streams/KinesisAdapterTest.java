package io.jormundb.api.streams;

import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDB;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBClientBuilder;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBStreams;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBStreamsClientBuilder;
import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsWorkerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.RecordAdapter;
import com.amazonaws.services.kinesis.clientlibrary.exceptions.InvalidStateException;
import com.amazonaws.services.kinesis.clientlibrary.exceptions.KinesisClientLibDependencyException;
import com.amazonaws.services.kinesis.clientlibrary.exceptions.ShutdownException;
import com.amazonaws.services.kinesis.clientlibrary.exceptions.ThrottlingException;
import com.amazonaws.services.kinesis.clientlibrary.interfaces.IRecordProcessorCheckpointer;
import com.amazonaws.services.kinesis.clientlibrary.interfaces.v2.IRecordProcessor;
import com.amazonaws.services.kinesis.clientlibrary.lib.worker.InitialPositionInStream;
import com.amazonaws.services.kinesis.clientlibrary.lib.worker.KinesisClientLibConfiguration;
import com.amazonaws.services.kinesis.clientlibrary.lib.worker.ShutdownReason;
import com.amazonaws.services.kinesis.clientlibrary.lib.worker.Worker;
import com.amazonaws.services.kinesis.clientlibrary.types.InitializationInput;
import com.amazonaws.services.kinesis.clientlibrary.types.ProcessRecordsInput;
import com.amazonaws.services.kinesis.clientlibrary.types.ShutdownInput;
import com.amazonaws.services.kinesis.metrics.impl.NullMetricsFactory;
import com.amazonaws.services.kinesis.model.Record;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.jormundb.api.Sdk.item;
import static io.jormundb.api.Sdk.n;
import static io.jormundb.api.Sdk.s;
import static io.jormundb.api.streams.StreamReads.createTable;
import static io.jormundb.api.streams.StreamReads.streamArn;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kinesis Client Library through AWS's DynamoDB Streams Kinesis Adapter (1.6, KCL 1.14, the
 * AWS SDK for Java v1) consumes a table's stream end to end: JormunDB serves both the Streams API
 * it reads and the DynamoDB table it keeps its leases and checkpoints in. Changes written before
 * the worker starts (TRIM_HORIZON) and while it runs each reach the record processor once, in
 * order per item, and disabling the stream ends every shard (the KCL's SHARD_END). (Adapter 2.x
 * runs KCL 3, which needs a secondary index on its lease table: JormunDB has none yet.)
 */
class KinesisAdapterTest {
    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest();

    @Test
    void aKclWorkerThroughTheKinesisAdapterConsumesATablesStream() throws Exception {
        DynamoDbClient db = server.client();
        String table = createTable(db, "Kcl", StreamViewType.NEW_AND_OLD_IMAGES);
        String arn = streamArn(db, table);
        IntStream.range(0, 20).forEach(i -> put(db, table, "before-" + i));

        EndpointConfiguration endpoint = new EndpointConfiguration(server.endpoint().toString(), "us-east-1");
        AWSStaticCredentialsProvider credentials = new AWSStaticCredentialsProvider(
                new BasicAWSCredentials("AKIDTEST", "test-secret"));
        AmazonDynamoDBStreams streams = AmazonDynamoDBStreamsClientBuilder.standard().withEndpointConfiguration(endpoint)
                .withCredentials(credentials).build();
        AmazonDynamoDB leases = AmazonDynamoDBClientBuilder.standard().withEndpointConfiguration(endpoint)
                .withCredentials(credentials).build();
        KinesisClientLibConfiguration config = new KinesisClientLibConfiguration("kcl-test", arn, credentials,
                "worker-1")
                .withInitialPositionInStream(InitialPositionInStream.TRIM_HORIZON)
                .withIdleTimeBetweenReadsInMillis(100)
                .withParentShardPollIntervalMillis(100)
                .withShardSyncIntervalMillis(1000)
                .withFailoverTimeMillis(5000);
        Queue<String> processed = new ConcurrentLinkedQueue<>();
        Queue<String> ended = new ConcurrentLinkedQueue<>();
        ExecutorService workers = Executors.newCachedThreadPool();
        Worker worker = StreamsWorkerFactory.createDynamoDbStreamsWorker(() -> new Collector(processed, ended), config,
                new AmazonDynamoDBStreamsAdapterClient(streams), leases, new NullMetricsFactory(), workers);
        Thread running = Thread.ofPlatform().name("kcl-worker").daemon(true).start(worker);
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> processed.size() >= 20);
            IntStream.range(0, 20).forEach(i -> put(db, table, "during-" + i));
            await().atMost(Duration.ofSeconds(120)).until(() -> processed.size() >= 40);
            db.updateTable(r -> r.tableName(table).streamSpecification(spec -> spec.streamEnabled(false)));
            await().atMost(Duration.ofSeconds(120)).until(() -> ended.size() == 4);
        } finally {
            worker.startGracefulShutdown().get(60, TimeUnit.SECONDS);
            running.join(Duration.ofSeconds(30));
            workers.shutdownNow();
            streams.shutdown();
            leases.shutdown();
        }
        List<String> expected = IntStream.range(0, 40).mapToObj(i -> (i < 20 ? "before-" : "during-") + i % 20)
                .sorted().toList();
        assertEquals(expected, processed.stream().sorted().toList(), "every change once");
        assertEquals(StreamReads.shards(server.streams(), arn).stream().map(shard -> shard.shardId()).sorted().toList(),
                ended.stream().sorted().toList(), "disabling the stream ends every shard");
        assertTrue(db.listTables().tableNames().contains("kcl-test"), "the KCL keeps its leases in JormunDB");
    }

    private static void put(DynamoDbClient db, String table, String pk) {
        db.putItem(r -> r.tableName(table).item(item("pk", s(pk), "sk", n(1))));
    }

    /**
     * A record processor that collects the partition keys of what it gets and checkpoints each
     * batch, and notes its shard when the KCL finds the shard's end.
     */
    private static final class Collector implements IRecordProcessor {
        private final Queue<String> processed;
        private final Queue<String> ended;
        private String shardId;

        Collector(Queue<String> processed, Queue<String> ended) {
            this.processed = processed;
            this.ended = ended;
        }

        @Override
        public void initialize(InitializationInput input) {
            shardId = input.getShardId();
        }

        @Override
        public void processRecords(ProcessRecordsInput input) {
            for (Record r : input.getRecords()) {
                processed.add(((RecordAdapter) r).getInternalObject().getDynamodb().getKeys().get("pk").getS());
            }
            checkpoint(input.getCheckpointer());
        }

        @Override
        public void shutdown(ShutdownInput input) {
            if (input.getShutdownReason() == ShutdownReason.TERMINATE) {
                checkpoint(input.getCheckpointer());
                ended.add(shardId);
            }
        }

        private static void checkpoint(IRecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            } catch (InvalidStateException | ShutdownException | ThrottlingException
                     | KinesisClientLibDependencyException e) {
                throw new IllegalStateException("checkpoint failed", e);
            }
        }
    }
}
