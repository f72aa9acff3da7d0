package io.jormundb.broker;

/**
 * One changelog publisher's progress, for {@code /metrics}.
 *
 * @param reader    the reader name of its persisted cursor ({@code mqtt}, {@code mqtt-bridge})
 * @param lag       commit versions its target has not taken yet
 * @param published messages its target took since the server started
 * @param resend    commit versions a restart now would publish again (what its target took but may
 *                  not have delivered: the embedded broker's persistent sessions' unacknowledged messages)
 * @param unsaved   commit versions its target took that its written cursor does not cover yet: a
 *                  kill -9 now would publish them again to everyone
 */
public record PublisherStatus(String reader, long lag, long published, long resend, long unsaved) {
}
