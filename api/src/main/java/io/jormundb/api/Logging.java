package io.jormundb.api;

/**
 * Configures the one logging backend (slf4j-simple) before the first logger is made: info for
 * our own classes (debug with --verbose), warnings only for the libraries.
 */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.io.jormundb", verbose ? "debug" : "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        // Moquette logs a bind failure with a stack trace; Main reports it in one line instead.
        setIfAbsent("org.slf4j.simpleLogger.log.io.moquette.broker.NewNettyAcceptor", "off");
        // Netty's one warning here is an exception that reached a pipeline's end untaken. Every
        // MQTT pipeline of ours ends in a handler that takes them; what reaches an end is a write
        // that raced its connection's closing (a client leaving while being sent something) after
        // the pipeline was taken down, with a stack trace: no error, and nothing to act on.
        setIfAbsent("org.slf4j.simpleLogger.log.io.netty.channel.DefaultChannelPipeline", "error");
        if (verbose) {
            setIfAbsent("org.slf4j.simpleLogger.log.io.javalin", "info");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
