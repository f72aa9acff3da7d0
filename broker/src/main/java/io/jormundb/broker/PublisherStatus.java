package io.jormundb.broker;

/**
 * One changelog publisher's progress, for {@code /metrics}.
 *
 * @param reader    the reader name of its persisted cursor ({@code mqtt}, {@code mqtt-bridge})
 * @param lag       commit versions its target has not taken yet
 * @param published messages its target took since the server started
 */
public record PublisherStatus(String reader, long lag, long published) {
}
