package io.persistencelog.backend.kafka;

import io.persistencelog.testing.Entries;
import static io.persistencelog.backend.kafka.KafkaTestSupport.header;
import static io.persistencelog.backend.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.codec.JsonLineEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Behaviour of the kafka backend that needs no running broker. */
class KafkaBackendTest {

    private static final String FAKE_PASSWORD = "FAKE-KAFKA-SECRET-7d1e";

    private static LogEntry entry(String logger, int i, Object... keyValues) {
        Object[] kv = new Object[keyValues.length + 2];
        kv[0] = "uid";
        kv[1] = i;
        System.arraycopy(keyValues, 0, kv, 2, keyValues.length);
        return Entries.entry("m" + i, kv).at(1_700_000_000_000L + i).logger(logger).build();
    }

    private static List<LogEntry> entries(int count) {
        List<LogEntry> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(entry("app.orders", i));
        }
        return list;
    }

    private static KafkaBackendSettings settings(KafkaKey key, Duration sendTimeout) {
        return new KafkaBackendSettings("logs", key, "orders-service", KafkaBackendSettings.producerDefaults(),
                sendTimeout, Duration.ofSeconds(1), 100);
    }

    private static MockProducer<byte[], byte[]> mock(boolean autoComplete) {
        return new MockProducer<>(autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void recordsCarryTheFileLineKeyHeadersAndEntryTime() {
        MockProducer<byte[], byte[]> producer = mock(true);
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, null), producer, "test");
        LogEntry e = entry("app.orders", 7, "amount", 12.5);
        BatchResult result = backend.writeBatch(List.of(e));

        assertThat(result.failedCount()).isZero();
        ProducerRecord<byte[], byte[]> record = producer.history().get(0);
        String line = new JsonLineEncoder(32_768).encode(e).toString();
        assertThat(utf8(record.value()) + "\n").isEqualTo(line);
        assertThat(record.topic()).isEqualTo("logs");
        assertThat(utf8(record.key())).isEqualTo("app.orders");
        assertThat(record.timestamp()).isEqualTo(1_700_000_000_007L);
        assertThat(new String(record.headers().lastHeader("level").value())).isEqualTo("INFO");
        assertThat(new String(record.headers().lastHeader("logger").value())).isEqualTo("app.orders");
        assertThat(backend.getMetrics()).containsEntry("acked", 1L).containsEntry("sent", 1L)
                .containsEntry("pending", 0L).containsEntry("topic", "logs").containsEntry("key", "logger");
    }

    @Test
    void keyFollowsTheChosenStrategy() {
        MockProducer<byte[], byte[]> byService = mock(true);
        new KafkaBackend(settings(KafkaKey.SERVICE, null), byService, "test")
                .writeBatch(List.of(entry("a", 1, "service", "billing"), entry("a", 2)));
        assertThat(utf8(byService.history().get(0).key())).isEqualTo("billing");
        assertThat(utf8(byService.history().get(1).key())).isEqualTo("orders-service");

        MockProducer<byte[], byte[]> none = mock(true);
        new KafkaBackend(settings(KafkaKey.NONE, null), none, "test").writeBatch(List.of(entry("a", 1)));
        assertThat(none.history().get(0).key()).isNull();
    }

    @Test
    void perRecordFailuresAreReportedPerEntry() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (new String(record.value()).matches(".*\"uid\":[13][,}].*")) {
                    RecordTooLargeException error = new RecordTooLargeException("too large");
                    callback.onCompletion(null, error);
                    return java.util.concurrent.CompletableFuture.failedFuture(error);
                }
                return super.send(record, callback);
            }
        };
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, null), producer, "test");
        BatchResult result = backend.writeBatch(entries(5));

        assertThat(result.failedCount()).isEqualTo(2);
        assertThat(result.isFailed(1)).isTrue();
        assertThat(result.isFailed(3)).isTrue();
        assertThat(result.isFailed(0) || result.isFailed(2) || result.isFailed(4)).isFalse();
        assertThat(result.failureReason()).contains("RecordTooLargeException");
        // Too large can never succeed: refused for good, neither retried nor spooled (#12).
        assertThat(result.isPermanent(1)).isTrue();
        assertThat(result.isPermanent(3)).isTrue();
        assertThat(backend.getMetrics()).containsEntry("rejected", 2L);
        assertThat(backend.getMetrics()).containsEntry("acked", 3L).containsEntry("sendErrors", 2L);
        assertThat((String) backend.getMetrics().get("lastError")).contains("too large");
    }

    @Test
    void aClosedProducerFailsTheRestOfTheBatchWithoutTryingEachRecord() {
        MockProducer<byte[], byte[]> producer = mock(true);
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, null), producer, "test");
        producer.close();
        BatchResult result = backend.writeBatch(entries(10));
        assertThat(result.failedCount()).isEqualTo(10);
        assertThat(backend.getMetrics()).containsEntry("sendErrors", 1L).containsEntry("notSent", 9L)
                .containsEntry("pending", 0L);
    }

    @Test
    void unacknowledgedRecordsFailAfterTheSendTimeoutAndLateAcksAreCounted() {
        MockProducer<byte[], byte[]> producer = mock(false);
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, Duration.ofMillis(200)), producer,
                "test");
        long start = System.nanoTime();
        BatchResult result = backend.writeBatch(entries(3));
        // A lower bound only: the send timeout was honoured (an upper bound would flake on a loaded machine).
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(150L);
        assertThat(result.failedCount()).isEqualTo(3);
        assertThat(result.failureReason()).contains("not acknowledged by Kafka within 200 ms");
        assertThat(backend.getMetrics()).containsEntry("unconfirmed", 3L).containsEntry("pending", 3L);

        producer.completeNext();
        assertThat(backend.getMetrics()).containsEntry("lateAcks", 1L).containsEntry("pending", 2L);
    }

    @Test
    void anInterruptFromTheStoppingLaneDoesNotFailTheBatchAndIsKept() throws Exception {
        MockProducer<byte[], byte[]> producer = mock(false);
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, Duration.ofSeconds(10)), producer,
                "test");
        BatchResult[] result = new BatchResult[1];
        boolean[] interruptKept = new boolean[1];
        Thread lane = new Thread(() -> {
            result[0] = backend.writeBatch(entries(2));
            interruptKept[0] = Thread.currentThread().isInterrupted();
        });
        lane.start();
        while (producer.history().size() < 2) {
            Thread.onSpinWait();
        }
        lane.interrupt();
        // The interrupt lands while the backend waits for acknowledgements; it must go back to waiting.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() ->
                lane.getState() == Thread.State.WAITING || lane.getState() == Thread.State.TIMED_WAITING);
        producer.completeNext();
        producer.completeNext();
        lane.join(5_000);
        assertThat(result[0].failedCount()).isZero();
        assertThat(interruptKept[0]).isTrue();
    }

    @Test
    void anInterruptEndingSendsMetadataWaitDoesNotLoseTheRecord() {
        int[] calls = { 0 };
        MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
                new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (calls[0]++ < 2) {
                    // What KafkaProducer does when the lane's stop interrupts (two of them) end its wait for metadata.
                    throw new org.apache.kafka.common.errors.InterruptException(new InterruptedException());
                }
                return super.send(record, callback);
            }
        };
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, null), producer, "test");
        try {
            BatchResult result = backend.writeBatch(entries(3));
            assertThat(result.failedCount()).isZero();
            assertThat(producer.history()).hasSize(3);
            assertThat(Thread.currentThread().isInterrupted()).as("interrupt kept for the lane").isTrue();
        }
        finally {
            Thread.interrupted();
        }
    }

    @Test
    void theKafkaClientsOwnEventsAreNeverSent() {
        MockProducer<byte[], byte[]> producer = mock(true);
        KafkaBackend backend = new KafkaBackend(settings(KafkaKey.LOGGER, null), producer, "test");
        BatchResult result = backend.writeBatch(List.of(entry("org.apache.kafka.clients.NetworkClient", 1),
                entry("org.apache.kafkaesque.App", 2), entry("app", 3)));
        assertThat(result.failedCount()).isZero();
        assertThat(producer.history()).extracting(r -> header(toConsumerRecord(r), "logger"))
                .containsExactly("org.apache.kafkaesque.App", "app");
        assertThat(backend.getMetrics()).containsEntry("skippedClientEvents", 1L);
    }

    private static org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> toConsumerRecord(
            ProducerRecord<byte[], byte[]> r) {
        return new org.apache.kafka.clients.consumer.ConsumerRecord<>(r.topic(), 0, 0, r.timestamp(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, r.key(), r.value(), r.headers(),
                java.util.Optional.empty());
    }

    @Test
    void aDeadBrokerIsOfferedEachRecordAgainUntilTheSendTimeoutThenTheRestFailsAtOnceAndCloseIsIdempotent()
            throws Exception {
        Map<String, Object> config = KafkaTestSupport.fastFailingProducer("127.0.0.1:" + KafkaTestSupport.freePort());
        config.put("max.block.ms", "200");
        // The backend says it retries internally, so a record send() could not accept (no metadata) is offered
        // again until the batch's send timeout, not failed with the whole batch on the first try (#12).
        KafkaBackend backend = new KafkaBackend(new KafkaBackendSettings("logs", KafkaKey.LOGGER, null, config,
                Duration.ofSeconds(1), Duration.ofSeconds(2), 1_000));
        try {
            for (int round = 0; round < 2; round++) {
                // Fails through max.block.ms (the reason says so) instead of waiting for the broker; the
                // preemptive bound only turns a hang into a failure, it is not a speed target.
                BatchResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                        () -> backend.writeBatch(entries(1_000)));
                assertThat(result.failedCount()).isEqualTo(1_000);
                assertThat(result.allFailuresPermanent()).isFalse(); // retryable: a spool keeps them
                assertThat(result.failureReason()).contains("Kafka unreachable");
            }
            Map<String, Object> metrics = backend.getMetrics();
            assertThat(metrics).containsEntry("notSent", 1_998L).containsEntry("sendErrors", 2L)
                    .containsEntry("acked", 0L).containsEntry("rejected", 0L);
            assertThat((Long) metrics.get("sendRetries")).isGreaterThanOrEqualTo(2L);
            assertThat((String) metrics.get("clientId")).startsWith(KafkaLoopGuard.CLIENT_ID_PREFIX);
        }
        finally {
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                backend.flush();
                backend.close();
                backend.close();
            });
        }
    }

    @Test
    void secretsInProducerSettingsNeverShow() {
        Map<String, Object> config = KafkaBackendSettings.producerDefaults();
        config.put("bootstrap.servers", "127.0.0.1:1");
        config.put("security.protocol", "SASL_PLAINTEXT");
        config.put("sasl.mechanism", "PLAIN");
        config.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                + "username=\"app\" password=\"" + FAKE_PASSWORD + "\";");
        config.put("ssl.key.password", FAKE_PASSWORD + "-2");
        KafkaBackendSettings settings = new KafkaBackendSettings("logs", KafkaKey.LOGGER, null, config, null,
                Duration.ofSeconds(1), 100);
        assertThat(settings.toString()).doesNotContain(FAKE_PASSWORD).contains("sasl.jaas.config=******");

        KafkaBackend backend = new KafkaBackend(settings);
        try {
            assertThat(backend.getMetrics().toString()).doesNotContain(FAKE_PASSWORD);
            assertThat(backend.toString()).doesNotContain(FAKE_PASSWORD);
        }
        finally {
            backend.close();
        }

        config.put("sasl.jaas.config", "not a jaas config password=\"" + FAKE_PASSWORD + "\"");
        KafkaBackendSettings broken = new KafkaBackendSettings("logs", KafkaKey.LOGGER, null, config, null,
                Duration.ofSeconds(1), 100);
        assertThatThrownBy(() -> new KafkaBackend(broken)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("log-persistence.kafka")
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain(FAKE_PASSWORD));
    }
}
