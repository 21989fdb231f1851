package io.persistencelog.backend.kafka;

/**
 * What becomes the key of each record, and so which partition it lands in. Records with the same key keep
 * their order; records without a key are spread over partitions in large batches.
 */
public enum KafkaKey {

    /** The entry's logger name: each logger's entries stay in order. */
    LOGGER,

    /**
     * The entry's {@code service} field when it has one, else the configured service name
     * ({@code spring.application.name} in a Spring application): one service's entries stay in order.
     */
    SERVICE,

    /** No key: the producer fills batches per partition (best throughput and compression). */
    NONE;

    /**
     * {@link #NONE}: keyed by logger, one noisy logger piles onto one partition (and one consumer), and a
     * log stream rarely needs per-logger order across partitions; each record keeps its time and headers.
     */
    public static final KafkaKey DEFAULT = NONE;
}
