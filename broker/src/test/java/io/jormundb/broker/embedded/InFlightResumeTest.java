package io.jormundb.broker.embedded;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order in which in-flight messages were first sent, from their packet ids (the rest: EmbeddedBrokerTest, end to end MqttPersistentSessionsTest). */
class InFlightResumeTest {
    @Test
    void packetIdsComeInTheOrderGivenAlsoAcrossTheWrapPast65535() {
        assertEquals(List.of(1, 2, 3), InFlightResume.sentOrder(List.of(3, 1, 2)));
        assertEquals(List.of(65534, 65535, 1, 2), InFlightResume.sentOrder(List.of(2, 65535, 1, 65534)));
        assertEquals(List.of(7), InFlightResume.sentOrder(List.of(7)));
        assertEquals(List.of(), InFlightResume.sentOrder(List.of()));
    }
}
