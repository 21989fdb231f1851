package io.persistencelog.backend.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** Issue #12 point 9 against a real in-process broker: what is refused for good, and what is offered again. */
class KafkaRejectionAndRetryBrokerTest {

    private static List<LogEntry> entries(int count, String text) {
        List<LogEntry> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new QueuedLogEntry(System.currentTimeMillis(), LogLevel.INFO, "app", text + i, "main",
                    new Object[] { "uid", i }));
        }
        return list;
    }

    @Test
    void errorsThatCanNeverSucceedArePermanentAndTransientOnesAreNot() {
        assertThat(KafkaBackend.isPermanent(new RecordTooLargeException("x"))).isTrue();
        assertThat(KafkaBackend.isPermanent(new InvalidTopicException("x"))).isTrue();
        assertThat(KafkaBackend.isPermanent(new TopicAuthorizationException("x"))).isTrue();
        assertThat(KafkaBackend.isPermanent(new ClusterAuthorizationException("x"))).isTrue();
        assertThat(KafkaBackend.isPermanent(new TimeoutException("x"))).isFalse();
        assertThat(KafkaBackend.isPermanent(new NotEnoughReplicasException("x"))).isFalse();
    }

    @Test
    void aTopicThatDoesNotExistWithAutoCreateOffFailsRetryablyAndSaysWhichTopic() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "logs-present");
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.afterPropertiesSet();
        KafkaTestSupport.clearBrokerSystemProperties();
        Map<String, Object> config = KafkaTestSupport.fastFailingProducer(broker.getBrokersAsString());
        config.put("max.block.ms", "300");
        KafkaBackend backend = new KafkaBackend(new KafkaBackendSettings("logs-missing", KafkaKey.NONE, null,
                config, Duration.ofSeconds(2), Duration.ofSeconds(5), 1_000));
        try {
            BatchResult result = backend.writeBatch(entries(5, "m"));
            // Kept for a retry (or the spool): the topic may be created later; nothing is counted as delivered.
            assertThat(result.failedCount()).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                assertThat(result.isPermanent(i)).isFalse();
            }
            assertThat(result.failureReason()).contains("topic 'logs-missing' missing");
            assertThat(backend.getMetrics().get("lastError")).asString().contains("logs-missing");
            assertThat((Long) backend.getMetrics().get("sendRetries")).isPositive();
            assertThat((Long) backend.getMetrics().get("notSent")).isPositive();
        }
        finally {
            backend.close();
            broker.destroy();
        }
    }

    @Test
    void aBatchWaitingForABrokerThatComesUpIsDeliveredAndATooLargeRecordIsRejectedForGood() throws Exception {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "logs-late");
        broker.afterPropertiesSet();
        KafkaTestSupport.clearBrokerSystemProperties();
        String brokerAddress = broker.getBrokersAsString();
        int brokerPort = Integer.parseInt(brokerAddress.substring(brokerAddress.lastIndexOf(':') + 1));
        // The producer bootstraps through a port where nothing listens yet: the broker is "down" for it.
        int gatePort = KafkaTestSupport.freePort();
        Map<String, Object> config = KafkaTestSupport.fastFailingProducer("127.0.0.1:" + gatePort);
        config.put("max.block.ms", "300");
        config.put("delivery.timeout.ms", "30000");
        config.put("request.timeout.ms", "10000");
        config.put("max.request.size", "4096");
        KafkaBackend backend = new KafkaBackend(new KafkaBackendSettings("logs-late", KafkaKey.NONE, null, config,
                Duration.ofSeconds(90), Duration.ofSeconds(5), 1_000));
        try (ServerSocket gate = new ServerSocket()) {
            CompletableFuture<BatchResult> first = CompletableFuture.supplyAsync(() -> backend.writeBatch(entries(50, "m")));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> (Long) backend.getMetrics().get("sendRetries") > 0);
            // The broker "comes back": the gate forwards to it from now on.
            gate.bind(new InetSocketAddress("127.0.0.1", gatePort));
            Thread forwarder = new Thread(() -> forward(gate, brokerPort), "gate");
            forwarder.setDaemon(true);
            forwarder.start();

            BatchResult delivered = first.get(120, TimeUnit.SECONDS);
            assertThat(delivered.failedCount()).isZero();
            assertThat(KafkaTestSupport.readAll(brokerAddress, "logs-late", Duration.ofSeconds(30))).hasSize(50);

            List<LogEntry> mixed = new ArrayList<>(entries(3, "small"));
            mixed.add(1, new QueuedLogEntry(System.currentTimeMillis(), LogLevel.INFO, "app", "x".repeat(10_000),
                    "main", null));
            BatchResult result = backend.writeBatch(mixed);
            assertThat(result.failedCount()).isEqualTo(1);
            assertThat(result.isFailed(1)).isTrue();
            assertThat(result.isPermanent(1)).isTrue();
            assertThat(result.failureReason()).contains("RecordTooLargeException");
            assertThat(backend.getMetrics()).containsEntry("rejected", 1L);
        }
        finally {
            backend.close();
            broker.destroy();
            KafkaTestSupport.clearBrokerSystemProperties();
        }
    }

    /** Accepts connections on the gate and pipes each to the broker, both ways, until the gate closes. */
    private static void forward(ServerSocket gate, int brokerPort) {
        while (!gate.isClosed()) {
            try {
                Socket client = gate.accept();
                Socket upstream = new Socket("127.0.0.1", brokerPort);
                pipe(client, upstream);
                pipe(upstream, client);
            }
            catch (IOException ex) {
                return;
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            }
            catch (IOException ex) {
                // one side closed: the other follows
            }
            finally {
                try {
                    from.close();
                    to.close();
                }
                catch (IOException ignored) {
                    // closing anyway
                }
            }
        }, "gate-pipe");
        t.setDaemon(true);
        t.start();
    }
}
