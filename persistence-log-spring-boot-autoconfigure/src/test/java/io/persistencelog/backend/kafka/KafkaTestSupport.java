package io.persistencelog.backend.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Helpers for tests against a real broker. */
public final class KafkaTestSupport {

    private KafkaTestSupport() {
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public static void clearBrokerSystemProperties() {
        System.clearProperty("spring.kafka.bootstrap-servers");
        System.clearProperty("spring.embedded.kafka.brokers");
    }

    /** Every record of the topic, from the beginning to the current end of each partition. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrapServers, String topic, Duration timeout) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("enable.auto.commit", "false");
        config.put("max.poll.records", "5000");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reachedEnd(consumer, end) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            if (!reachedEnd(consumer, end)) {
                throw new AssertionError("could not read " + topic + " to its end " + end + " within " + timeout);
            }
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String utf8(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Producer settings for tests: quick to notice a dead broker. */
    public static Map<String, Object> fastFailingProducer(String bootstrapServers) {
        Map<String, Object> config = KafkaBackendSettings.producerDefaults();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("linger.ms", "5");
        config.put("max.block.ms", "500");
        config.put("request.timeout.ms", "1000");
        config.put("delivery.timeout.ms", "2000");
        config.put("reconnect.backoff.max.ms", "300");
        config.put("retry.backoff.max.ms", "300");
        return config;
    }
}
