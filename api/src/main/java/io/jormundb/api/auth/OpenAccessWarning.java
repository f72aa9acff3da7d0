package io.jormundb.api.auth;

import io.jormundb.api.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The one warning of a server without {@code --auth} that listens where other machines reach it. */
public final class OpenAccessWarning {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAccessWarning.class);

    private OpenAccessWarning() {
    }

    /** Logs one WARN line when {@code config} has no {@code --auth} and listens on a non-loopback address. */
    public static void check(Config config) {
        if (config.auth() == null && !loopback(config.host())) {
            LOG.warn("no --auth: anyone who reaches {} may read, write and delete every table over HTTP{} "
                    + "(see docs/security.md)", config.host(), config.mqttPort() == 0 ? ""
                    : (config.mqttUser() == null ? " and subscribe to every change over MQTT" : ""));
        }
    }

    private static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
