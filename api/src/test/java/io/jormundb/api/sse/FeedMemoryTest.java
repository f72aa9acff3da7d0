package io.jormundb.api.sse;

import io.jormundb.api.EventStream;
import io.jormundb.api.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.jormundb.api.Sdk.createTable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an open feed holds while it waits: 10,000 of them must fit in the server's memory. Jetty
 * keeps a response's buffer, off the heap, for the whole life of the response; at its default
 * size (32 KB) that was 320 MB for 10,000 feeds.
 */
class FeedMemoryTest {
    private static final int FEEDS = 200;

    @RegisterExtension
    final TestServer.Managed server = TestServer.perTest();

    @Test
    void anOpenFeedThatDeliveredHoldsAFewKilobytesOffTheHeap() {
        createTable(server.client(), "Orders", "pk", ScalarAttributeType.S);
        BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(pool -> pool.getName().equals("direct")).findFirst().orElseThrow();
        List<EventStream> feeds = new ArrayList<>();
        try {
            long before = direct.getMemoryUsed();
            for (int i = 0; i < FEEDS; i++) {
                feeds.add(EventStream.connect(EventStream.changes(server.endpoint(), "Orders", Map.of())));
            }
            Tables.put(server.client(), "Orders", "a", "w1");
            for (EventStream feed : feeds) {
                assertEquals("INSERT", feed.next().name(), "every feed delivered (and wrote through its buffers)");
            }
            long perFeed = (direct.getMemoryUsed() - before) / FEEDS;
            assertTrue(perFeed <= 8 * 1024, "each open feed holds " + perFeed + " bytes off the heap");
        } finally {
            feeds.forEach(EventStream::close);
        }
    }
}
