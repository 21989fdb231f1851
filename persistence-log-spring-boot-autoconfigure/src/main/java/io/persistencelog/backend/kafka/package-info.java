/**
 * The built-in {@code kafka} backend: one Kafka record per entry, written with kafka-clients.
 *
 * <p>Only {@link io.persistencelog.backend.kafka.KafkaBackend} touches kafka-clients types; the other
 * classes here load without kafka-clients on the classpath, so callers can check for it first.
 */
@NullMarked
package io.persistencelog.backend.kafka;

import org.jspecify.annotations.NullMarked;
