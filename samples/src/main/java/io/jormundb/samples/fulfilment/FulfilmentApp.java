package io.jormundb.samples.fulfilment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An event-driven fulfilment service on JormunDB. It subscribes over MQTT to every change of the
 * {@code Orders} table ({@code jormundb/Orders/#}); each new order (an INSERT with status
 * {@code NEW}) triggers the fulfilment step, which writes the order back through the DynamoDB
 * SDK as {@code SHIPPED}. That write is itself a change (a MODIFY), which the service sees and
 * ignores, so there is no loop.
 *
 * <p>Delivery is at least once: the service uses a persistent session (client id
 * {@code fulfilment}, clean session off), so orders placed while it was down arrive when it comes
 * back, and it acknowledges a message only after handling it. A message may then come twice; a
 * duplicate carries the same resume {@code token}, and the service drops tokens it has handled.
 *
 * <pre>
 * java ... io.jormundb.samples.fulfilment.FulfilmentApp [--endpoint http://localhost:8002]
 *     [--mqtt-host localhost] [--mqtt-port 1883] [--place 3]
 * </pre>
 * {@code --place n} places n demo orders after subscribing.
 */
public final class FulfilmentApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FulfilmentApp.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "Orders";
    /** How many handled tokens to remember for dropping duplicates. */
    private static final int REMEMBERED_TOKENS = 10_000;

    private final DynamoDbClient dynamo;
    private final Mqtt3AsyncClient mqtt;
    /** Handles messages one at a time, in arrival order, off the MQTT client's own threads. */
    private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("fulfilment").factory());
    /** Tokens of the changes handled lately; touched by {@link #worker} only. */
    private final Set<String> handled = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TOKENS;
        }
    });

    FulfilmentApp(URI endpoint, String mqttHost, int mqttPort) {
        dynamo = DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("demo", "demo")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        mqtt = MqttClient.builder().useMqttVersion3()
                .identifier("fulfilment")
                .serverHost(mqttHost)
                .serverPort(mqttPort)
                .automaticReconnectWithDefaultConfig()
                .buildAsync();
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> options = options(args);
        try (FulfilmentApp app = new FulfilmentApp(URI.create(options.getOrDefault("endpoint", "http://localhost:8002")),
                options.getOrDefault("mqtt-host", "localhost"),
                Integer.parseInt(options.getOrDefault("mqtt-port", "1883")))) {
            app.start();
            int place = Integer.parseInt(options.getOrDefault("place", "0"));
            for (int i = 0; i < place; i++) {
                app.placeOrder("customer-" + (i % 2), "order-" + UUID.randomUUID().toString().substring(0, 8));
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
    }

    /** Creates the table if needed, then connects (resuming the persistent session) and subscribes. */
    void start() {
        createTableIfMissing();
        // Registered before connecting, so messages queued while we were away are handled too.
        mqtt.publishes(MqttGlobalPublishFilter.ALL, this::onMessage, worker, true);
        mqtt.connectWith().cleanSession(false).send().join();
        mqtt.subscribeWith().topicFilter("jormundb/" + TABLE + "/#").qos(MqttQos.AT_LEAST_ONCE).send().join();
        LOG.info("fulfilment service subscribed to jormundb/{}/#", TABLE);
    }

    /** A customer places an order: a plain PutItem, nothing else. */
    void placeOrder(String customer, String order) {
        dynamo.putItem(b -> b.tableName(TABLE).item(Map.of(
                "customer", AttributeValue.fromS(customer),
                "order", AttributeValue.fromS(order),
                "status", AttributeValue.fromS("NEW"),
                "placedAt", AttributeValue.fromS(Instant.now().toString()))));
        LOG.info("placed {}/{}", customer, order);
    }

    /** Runs on {@link #worker}, one message at a time. */
    private void onMessage(Mqtt3Publish message) {
        JsonNode change;
        try {
            change = JSON.readTree(message.getPayloadAsBytes());
        } catch (IOException e) {
            LOG.warn("not a change record on {}: {}", message.getTopic(), e.getMessage());
            message.acknowledge();
            return;
        }
        String token = change.path("token").asText();
        if (handled.contains(token)) {
            LOG.info("dropped a duplicate of {}", change.path("eventID").asText());
            message.acknowledge();
            return;
        }
        if ("INSERT".equals(change.path("eventName").asText())
                && "NEW".equals(change.at("/dynamodb/NewImage/status/S").asText())) {
            try {
                fulfil(change.at("/dynamodb/NewImage"));
            } catch (SdkException e) {
                // Not acknowledged, so the broker delivers it again.
                LOG.error("fulfilment of {} failed: {}", message.getTopic(), e.getMessage());
                return;
            }
        }
        handled.add(token);
        message.acknowledge();
    }

    /** The fulfilment step: ship the order and record it in the table. */
    private void fulfil(JsonNode order) {
        String customer = order.at("/customer/S").asText();
        String id = order.at("/order/S").asText();
        Map<String, AttributeValue> shipped = new LinkedHashMap<>();
        shipped.put("customer", AttributeValue.fromS(customer));
        shipped.put("order", AttributeValue.fromS(id));
        shipped.put("status", AttributeValue.fromS("SHIPPED"));
        shipped.put("placedAt", AttributeValue.fromS(order.at("/placedAt/S").asText()));
        shipped.put("shippedAt", AttributeValue.fromS(Instant.now().toString()));
        dynamo.putItem(b -> b.tableName(TABLE).item(shipped));
        LOG.info("shipped {}/{}", customer, id);
    }

    private void createTableIfMissing() {
        try {
            dynamo.createTable(b -> b.tableName(TABLE)
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("customer").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("order").attributeType(ScalarAttributeType.S).build())
                    .keySchema(
                            KeySchemaElement.builder().attributeName("customer").keyType(KeyType.HASH).build(),
                            KeySchemaElement.builder().attributeName("order").keyType(KeyType.RANGE).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
            LOG.info("created table {}", TABLE);
        } catch (ResourceInUseException e) {
            LOG.info("table {} exists", TABLE);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, not " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    @Override
    public void close() {
        mqtt.disconnect().exceptionally(e -> null).join();
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dynamo.close();
    }
}
