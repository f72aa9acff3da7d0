package io.jormundb.api.http;

import com.sun.management.UnixOperatingSystemMXBean;
import io.jormundb.api.config.Config;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * The startup warning of a process whose file-descriptor limit ({@code ulimit -n}) is below what
 * its connection caps may open: each HTTP and MQTT connection holds one descriptor, and RocksDB
 * needs {@link #STORAGE_RESERVE} more for its files. Out of descriptors, new connections fail and
 * RocksDB stops writing (503 until descriptors are freed, see docs/limits.md).
 */
public final class DescriptorLimit {
    /** Descriptors kept for RocksDB's files, the JVM's jars and the listeners. */
    public static final int STORAGE_RESERVE = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorLimit.class);

    private DescriptorLimit() {
    }

    /** What {@code config}'s caps may need: its connections plus {@link #STORAGE_RESERVE}. */
    public static long needed(Config config) {
        boolean mqtt = config.mqttPort() > 0 || config.mqttWsPort() > 0 || config.mqttTlsPort() > 0;
        return (long) config.maxConnections() + (mqtt ? config.mqttMaxConnections() : 0) + STORAGE_RESERVE;
    }

    /** Logs one WARN line when this process may open fewer descriptors than {@code config} needs. */
    public static void check(Config config) {
        OptionalLong limit = limit();
        long needed = needed(config);
        if (limit.isPresent() && limit.getAsLong() < needed) {
            LOG.warn("the file descriptor limit (ulimit -n) is {}, below the {} that --max-connections {}{} and "
                            + "storage ({}) may need: beyond it new connections fail and writes answer 503 until "
                            + "descriptors are freed; raise the limit (ulimit -n {}, systemd LimitNOFILE={}) or lower "
                            + "the caps (see docs/limits.md)", limit.getAsLong(), needed, config.maxConnections(),
                    needed - config.maxConnections() - STORAGE_RESERVE > 0
                            ? ", --mqtt-max-connections " + config.mqttMaxConnections() : "",
                    STORAGE_RESERVE, needed, needed);
        }
    }

    /** This process's descriptor limit, when the JVM tells it (on Unix). */
    public static OptionalLong limit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? OptionalLong.of(unix.getMaxFileDescriptorCount())
                : OptionalLong.empty();
    }
}
