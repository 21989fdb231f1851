package io.persistencelog.backend.kafka;

/**
 * Recognises the Kafka client's own log events, which must never be captured and sent to Kafka again:
 * while a broker is down the client logs a warning per reconnect attempt, and re-sending those would feed
 * the outage its own noise (Log4j2's KafkaAppender drops {@code org.apache.kafka.*} for the same reason).
 *
 * <p>This class does not touch kafka-clients, so a log capture can call it whether or not Kafka is on the
 * classpath.
 */
public final class KafkaLoopGuard {

    /** Logger name prefix of every kafka-clients class. */
    public static final String CLIENT_LOGGER_PREFIX = "org.apache.kafka";

    /** Thread name prefix of every Kafka producer's I/O thread ({@code "kafka-producer-network-thread | <client.id>"}). */
    public static final String PRODUCER_THREAD_PREFIX = "kafka-producer-network-thread";

    /** Prefix of the {@code client.id} this backend gives its producer unless the user sets one. */
    public static final String CLIENT_ID_PREFIX = "persistence-log-";

    /** Name of the I/O thread of this backend's own producer, up to its number. */
    public static final String OWN_PRODUCER_THREAD_PREFIX = PRODUCER_THREAD_PREFIX + " | " + CLIENT_ID_PREFIX;

    /** Class name whose presence means kafka-clients is on the classpath. */
    public static final String PRODUCER_CLASS = "org.apache.kafka.clients.producer.KafkaProducer";

    private KafkaLoopGuard() {
    }

    /** Whether an event with this logger name comes from the Kafka client library itself. */
    public static boolean isKafkaClientLogger(String loggerName) {
        return loggerName.startsWith(CLIENT_LOGGER_PREFIX) && (loggerName.length() == CLIENT_LOGGER_PREFIX.length()
                || loggerName.charAt(CLIENT_LOGGER_PREFIX.length()) == '.');
    }

    /**
     * Whether a thread is the I/O thread of any Kafka producer. Note: an application's own send callbacks
     * also run there; {@link #isOwnProducerThread} is the narrower test.
     */
    public static boolean isProducerThread(String threadName) {
        return threadName.startsWith(PRODUCER_THREAD_PREFIX);
    }

    /** Whether a thread is the I/O thread of this backend's producer (its default client id). */
    public static boolean isOwnProducerThread(String threadName) {
        return threadName.startsWith(OWN_PRODUCER_THREAD_PREFIX);
    }

    /**
     * The test a log capture should apply: true for events of the Kafka client's loggers and for anything
     * logged on this backend's own producer thread.
     */
    public static boolean mustNotCapture(String loggerName, String threadName) {
        return isKafkaClientLogger(loggerName) || isOwnProducerThread(threadName);
    }

    /** Whether kafka-clients can be loaded by the given class loader. */
    public static boolean kafkaClientsPresent(ClassLoader classLoader) {
        try {
            Class.forName(PRODUCER_CLASS, false, classLoader);
            return true;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            return false;
        }
    }
}
