package io.jormundb.broker;

/**
 * The embedded broker's persistent sessions (clean session off), for {@code /metrics}.
 *
 * @param sessions       persistent sessions now, connected or not
 * @param unacknowledged messages routed to them at QoS 1 that their clients have not acknowledged yet
 */
public record SessionsStatus(int sessions, long unacknowledged) {
}
