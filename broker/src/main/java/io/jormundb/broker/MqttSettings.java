package io.jormundb.broker;

import javax.net.ssl.SSLContext;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the MQTT side of the server is asked to do (from {@code --mqtt-*} flags).
 *
 * @param host               address the embedded broker listens on
 * @param port               embedded broker port; {@code 0} = no embedded broker
 * @param wsPort             port of MQTT over WebSockets (path {@code /mqtt}); {@code 0} = none
 * @param connectTimeout     how long a client may take from connecting to sending its CONNECT
 * @param maxConnections     client connections the embedded broker keeps open at most
 * @param maxPublishRate     PUBLISH packets a second one client connection may send ({@code 0}: no limit); a
 *                           connection that sends more is read no faster than that
 * @param dataDir            the server's data directory (the broker keeps its state below it)
 * @param user               the user subscribers must give, or {@code null} for anonymous access
 * @param password           that user's password
 * @param bridgeUri          {@code tcp://host:port} or {@code ssl://host:port} of an external broker, or {@code null}
 * @param bridgeUser         user name at the external broker, or {@code null}
 * @param bridgePassword     password at the external broker, or {@code null}
 * @param bridgeClientId     client id at the external broker
 * @param bridgePrefix       topic prefix at the external broker ({@code ""} for none)
 * @param bridgeMaxPacket    the largest PUBLISH packet the external broker takes, in bytes; {@code 0}: MQTT's own limit
 * @param sessionExpiry      how long a persistent session of the embedded broker may stay offline before it is removed
 * @param access             the access keys clients log in with (beside {@code user}), each reading only its
 *                           tables; {@code null} when there are none
 * @param tls                the server's TLS identity, for {@code tlsPort} and secure WebSockets; {@code null}: none
 * @param tlsPort            port of MQTT over TLS; {@code 0} = none
 */
public record MqttSettings(
        String host,
        int port,
        int wsPort,
        Duration connectTimeout,
        int maxConnections,
        int maxPublishRate,
        Path dataDir,
        String user,
        String password,
        String bridgeUri,
        String bridgeUser,
        String bridgePassword,
        String bridgeClientId,
        String bridgePrefix,
        long bridgeMaxPacket,
        Duration sessionExpiry,
        MqttAccess access,
        SSLContext tls,
        int tlsPort) {

    /** Whether anything MQTT runs at all. */
    public boolean enabled() {
        return port > 0 || bridgeUri != null;
    }
}
