package io.jormundb.broker;

/**
 * A listener of the embedded broker could not bind its address (the port is in use, a port
 * below 1024 is not permitted, the host is not an address of this machine); the cause says
 * which. Nothing of the broker is left running when this is thrown.
 */
public final class ListenException extends RuntimeException {
    /** Which listener failed. */
    public enum Listener {
        /** MQTT over TCP ({@link MqttSettings#port()}). */
        MQTT,
        /** MQTT over WebSockets ({@link MqttSettings#wsPort()}). */
        WEBSOCKET,
        /** MQTT over TLS ({@link MqttSettings#tlsPort()}). */
        MQTT_TLS
    }

    private final Listener listener;
    private final String host;
    private final int port;

    public ListenException(Listener listener, String host, int port, Throwable cause) {
        super("cannot listen on " + host + ":" + port + " for " + listener + ": " + cause.getMessage(), cause);
        this.listener = listener;
        this.host = host;
        this.port = port;
    }

    public Listener listener() {
        return listener;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }
}
