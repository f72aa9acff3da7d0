package io.jormundb.broker;

/**
 * The embedded broker's persistent sessions (clean session off) and its clients' traffic, for {@code /metrics}.
 *
 * @param sessions         persistent sessions now, connected or not
 * @param unacknowledged   messages routed to them at QoS 1 that their clients have not acknowledged yet
 * @param publishThrottles times a client connection waited because it published faster than
 *                         {@code --mqtt-max-publish-rate}
 * @param slowDisconnects  clients disconnected because their clean session's queue passed its bound
 */
public record SessionsStatus(int sessions, long unacknowledged, long publishThrottles, long slowDisconnects) {
}
