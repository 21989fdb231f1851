package io.persistencelog.backend.kafka;

import static io.persistencelog.backend.kafka.KafkaTestSupport.header;
import static io.persistencelog.backend.kafka.KafkaTestSupport.readAll;
import static io.persistencelog.backend.kafka.KafkaTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogLevel;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileProperties;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The kafka backend against a real in-process KRaft broker. Independent of test order: each test has its own
 * topic, and a test that stops the broker gets it back (running and ready) before the next test starts,
 * whether it passed or not.
 */
class KafkaBackendBrokerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static EmbeddedKafkaKraftBroker broker;
    private static String servers;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.kafkaPorts(KafkaTestSupport.freePort());
        broker.afterPropertiesSet();
        // The embedded broker publishes its address as system properties; keep them out of other tests.
        KafkaTestSupport.clearBrokerSystemProperties();
        servers = broker.getBrokersAsString();
    }

    /** Set by a test that stops the broker; cleared once it is back. */
    private static volatile @org.jspecify.annotations.Nullable BrokerServer stopped;

    private static BrokerServer stopTheBroker() {
        BrokerServer server = broker.getCluster().brokers().values().iterator().next();
        stopped = server;
        server.shutdown();
        server.awaitShutdown();
        return server;
    }

    private static void restartTheBroker() throws Exception {
        BrokerServer server = stopped;
        if (server != null) {
            server.startup();
            broker.getCluster().waitForReadyBrokers();
            stopped = null;
        }
    }

    @org.junit.jupiter.api.AfterEach
    void brokerRunsForTheNextTest() throws Exception {
        restartTheBroker();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.destroy();
        }
        KafkaTestSupport.clearBrokerSystemProperties();
    }

    private static KafkaBackendSettings settings(String topic, KafkaKey key, Map<String, Object> producer) {
        return new KafkaBackendSettings(topic, key, "orders", producer, null, Duration.ofSeconds(10),
                KafkaBackendSettings.DEFAULT_MAX_BATCH_SIZE);
    }

    private static Map<String, Object> producer() {
        Map<String, Object> config = KafkaBackendSettings.producerDefaults();
        config.put("bootstrap.servers", servers);
        return config;
    }

    @Test
    void hundredThousandEntriesFromFourThreadsBecomeExactlyOneRecordEach() throws Exception {
        String topic = "logs-volume";
        broker.addTopics(new NewTopic(topic, 3, (short) 1));
        KafkaBackend kafka = new KafkaBackend(settings(topic, KafkaKey.LOGGER, producer()));
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(200_000, OverflowPolicy.BLOCK), kafka);
        int threads = 4;
        int perThread = 25_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int worker = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    pipeline.log(i % 10 == 0 ? LogLevel.WARN : LogLevel.INFO, "app.worker" + worker, "entry " + i,
                            new Object[] { "uid", worker * perThread + i, "worker", worker });
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(pipeline.flush(Duration.ofSeconds(120))).isTrue();
        LaneStats stats = pipeline.laneStats("kafka");
        assertThat(stats.persisted()).isEqualTo(100_000);
        assertThat(stats.failed()).isZero();
        assertThat(stats.dropped()).isZero();
        assertThat(kafka.getMetrics()).containsEntry("acked", 100_000L).containsEntry("sendErrors", 0L)
                .containsEntry("topic", topic).containsEntry("bootstrapServers", servers);

        List<ConsumerRecord<byte[], byte[]>> records = readAll(servers, topic, Duration.ofSeconds(60));
        assertThat(records).hasSize(100_000);
        Set<Integer> uids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode json = JSON.readTree(record.value());
            assertThat(uids.add(json.get("uid").asInt())).as("duplicate uid %s", json.get("uid")).isTrue();
            assertThat(json.get("timestamp").asString()).endsWith("Z");
            assertThat(json.get("message").asString()).startsWith("entry ");
            assertThat(json.has("thread")).isTrue();
            assertThat(header(record, "level")).isEqualTo(json.get("level").asString()).isIn("INFO", "WARN");
            assertThat(header(record, "logger")).isEqualTo(json.get("logger").asString())
                    .isEqualTo("app.worker" + json.get("worker").asInt());
            assertThat(utf8(record.key())).isEqualTo(header(record, "logger"));
            assertThat(record.value()[record.value().length - 1]).isEqualTo((byte) '}');
        }
        assertThat(uids).hasSize(100_000);
        assertThat(uids).allMatch(uid -> uid >= 0 && uid < 100_000);
        pipeline.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void gracefulStopLeavesExactlyTheAcceptedEntriesInTheTopic() throws Exception {
        String topic = "logs-graceful";
        broker.addTopics(new NewTopic(topic, 2, (short) 1));
        KafkaBackend kafka = new KafkaBackend(settings(topic, KafkaKey.NONE, producer()));
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(50_000, OverflowPolicy.BLOCK), kafka);
        for (int i = 0; i < 20_000; i++) {
            pipeline.log(LogLevel.INFO, "app.stop", "before stop", new Object[] { "uid", i });
        }
        // No flush: shutdown alone must drain the queue, flush the producer and close it.
        pipeline.shutdown(Duration.ofSeconds(30));
        LaneStats stats = pipeline.laneStats("kafka");
        String why = "lane: failed=" + stats.failed() + " dropped=" + stats.dropped() + " lastError="
                + stats.lastError() + " backend: " + kafka.getMetrics();
        assertThat(pipeline.enqueuedCount()).isEqualTo(20_000);
        assertThat(stats.accepted()).isEqualTo(20_000);
        assertThat(stats.persisted()).as(why).isEqualTo(20_000);
        assertThat(stats.inFlight()).isZero();
        assertThat(kafka.getMetrics()).containsEntry("pending", 0L);

        List<ConsumerRecord<byte[], byte[]>> records = readAll(servers, topic, Duration.ofSeconds(30));
        Set<Integer> uids = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            uids.add(JSON.readTree(record.value()).get("uid").asInt());
            assertThat(record.key()).isNull();
        }
        assertThat(records).hasSize(20_000);
        assertThat(uids).hasSize(20_000);
        // Closing twice (Spring destroy after the lane closed it) is harmless.
        kafka.close();
    }

    @Test
    void recordValueIsTheFileLineAndTheRecordTimeIsTheEntryTime(@TempDir Path dir) throws Exception {
        String topic = "logs-same-as-file";
        broker.addTopics(new NewTopic(topic, 1, (short) 1));
        FileBackend file = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768);
        KafkaBackend kafka = new KafkaBackend(settings(topic, KafkaKey.SERVICE, producer()));
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(1_000, OverflowPolicy.BLOCK), file,
                kafka);
        pipeline.log(LogLevel.ERROR, "app.orders", "line\nbreak \"quoted\" \u00e9\u6f22",
                new Object[] { "order_id", 42, "amount", 9.5, "message", "shadowed", "service", "billing",
                        new IllegalStateException("boom") });
        pipeline.log(LogLevel.DEBUG, "app.orders", "no service field", new Object[] { "nested", Map.of("a", List.of(1, 2)) });
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        pipeline.shutdown(Duration.ofSeconds(10));

        List<String> lines;
        try (Stream<Path> files = Files.list(dir)) {
            Path weekFile = files.findFirst().orElseThrow();
            lines = Files.readAllLines(weekFile, StandardCharsets.UTF_8);
        }
        List<ConsumerRecord<byte[], byte[]>> records = readAll(servers, topic, Duration.ofSeconds(30));
        assertThat(records).hasSize(2);
        assertThat(records.stream().map(r -> utf8(r.value()))).containsExactlyElementsOf(lines);
        assertThat(utf8(records.get(0).key())).isEqualTo("billing");
        assertThat(utf8(records.get(1).key())).isEqualTo("orders");
        assertThat(header(records.get(0), "level")).isEqualTo("ERROR");
        assertThat(header(records.get(1), "level")).isEqualTo("DEBUG");
        JsonNode first = JSON.readTree(records.get(0).value());
        assertThat(records.get(0).timestamp()).isEqualTo(java.time.Instant.parse(first.get("timestamp").asString())
                .toEpochMilli());
        assertThat(first.get("error").get("type").asString()).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void brokerStoppedMidRunCountsFailuresLeavesTheFileAloneAndRecovers(@TempDir Path dir) throws Exception {
        String topic = "logs-outage";
        broker.addTopics(new NewTopic(topic, 1, (short) 1));
        FileBackend file = new FileBackend(FileProperties.of(dir, ZoneOffset.UTC), 32_768);
        KafkaBackend kafka = new KafkaBackend(settings(topic, KafkaKey.LOGGER,
                KafkaTestSupport.fastFailingProducer(servers)));
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(100_000, OverflowPolicy.DROP), file,
                kafka);
        int uid = 0;
        for (int i = 0; i < 2_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "before", new Object[] { "uid", uid++ });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
        assertThat(pipeline.laneStats("kafka").persisted()).isEqualTo(2_000);

        stopTheBroker();

        long blockedBefore = ((Number) pipeline.getMetrics().get("blockedCalls")).longValue();
        for (int i = 0; i < 5_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "during", new Object[] { "uid", uid++ });
        }
        // Under "drop" no call waited for room while the broker was down (a condition, not a stopwatch).
        assertThat(pipeline.getMetrics()).containsEntry("blockedCalls", blockedBefore);
        // The file lane is not held up by the dead broker.
        assertThat(pipeline.flushBackend("file", Duration.ofSeconds(10))).isTrue();
        assertThat(pipeline.laneStats("file").persisted()).isEqualTo(7_000);
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.laneStats("kafka").failed() > 0);
        assertThat(kafka.getMetrics().get("lastError")).isNotNull();

        restartTheBroker();
        int afterRecoveryFrom = uid;
        // New entries flow again once the producer has reconnected.
        long persistedBefore = pipeline.laneStats("kafka").persisted();
        int[] next = { uid };
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (int i = 0; i < 100; i++) {
                pipeline.log(LogLevel.INFO, "app.outage", "after", new Object[] { "uid", next[0]++ });
            }
            pipeline.flushBackend("kafka", Duration.ofSeconds(15));
            return pipeline.laneStats("kafka").persisted() > persistedBefore;
        });
        uid = next[0];
        int finalFrom = uid;
        for (int i = 0; i < 1_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "recovered", new Object[] { "uid", uid++ });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();

        for (String lane : List.of("file", "kafka")) {
            LaneStats s = pipeline.laneStats(lane);
            assertThat(s.accepted()).as(lane + " accounting").isEqualTo(s.persisted() + s.dropped() + s.failed()
                    + s.inFlight());
            assertThat(s.accepted()).isEqualTo(uid);
        }
        LaneStats fileStats = pipeline.laneStats("file");
        assertThat(fileStats.persisted()).isEqualTo(uid);
        assertThat(fileStats.failed() + fileStats.dropped()).isZero();
        LaneStats kafkaStats = pipeline.laneStats("kafka");
        assertThat(kafkaStats.failed() + kafkaStats.dropped()).isPositive();
        Map<String, Object> metrics = kafka.getMetrics();
        assertThat((long) metrics.get("sendErrors") + (long) metrics.get("notSent")).isPositive();
        pipeline.shutdown(Duration.ofSeconds(10));

        List<ConsumerRecord<byte[], byte[]>> records = readAll(servers, topic, Duration.ofSeconds(30));
        Set<Integer> inTopic = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            assertThat(inTopic.add(JSON.readTree(record.value()).get("uid").asInt())).as("no duplicates").isTrue();
        }
        // Acknowledged entries are in the topic: the ones before the outage and the ones after recovery.
        for (int i = 0; i < 2_000; i++) {
            assertThat(inTopic).contains(i);
        }
        for (int i = finalFrom; i < uid; i++) {
            assertThat(inTopic).contains(i);
        }
        assertThat((long) inTopic.size()).isGreaterThanOrEqualTo(kafkaStats.persisted());
        assertThat(afterRecoveryFrom).isGreaterThan(2_000);
    }

    @Test
    void withTheSpoolABrokerOutageLosesNothing(@TempDir Path dir) throws Exception {
        String topic = "logs-outage-spooled";
        broker.addTopics(new NewTopic(topic, 1, (short) 1));
        KafkaBackend kafka = new KafkaBackend(settings(topic, KafkaKey.LOGGER,
                KafkaTestSupport.fastFailingProducer(servers)));
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(List.of("kafka"));
        io.persistencelog.engine.DefaultBackendRegistry registry = new io.persistencelog.engine.DefaultBackendRegistry(names);
        registry.register(kafka);
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(100_000,
                OverflowPolicy.DROP), registry);
        pipeline.setGuardSettings(new io.persistencelog.engine.GuardSettings(1, Duration.ofMillis(10), true, 2,
                Duration.ofMillis(200), Duration.ofSeconds(1), new io.persistencelog.engine.spool.SpoolSettings(
                        dir.resolve("spool"), 64L << 20, 1L << 20,
                        io.persistencelog.engine.spool.SpoolSettings.FsyncPolicy.NEVER,
                        io.persistencelog.engine.spool.SpoolSettings.SpoolFullPolicy.DROP_NEWEST,
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"), 32_768),
                java.util.Set.of("kafka")));
        pipeline.start();
        int uid = 0;
        for (int i = 0; i < 1_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "before", new Object[] { "uid", uid++ });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

        stopTheBroker();
        for (int i = 0; i < 3_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "during", new Object[] { "uid", uid++ });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();
        assertThat((long) pipeline.registry().getAllMetrics().get("kafka").get("spooled")).isPositive();

        restartTheBroker();
        for (int i = 0; i < 1_000; i++) {
            pipeline.log(LogLevel.INFO, "app.outage", "after", new Object[] { "uid", uid++ });
        }
        assertThat(pipeline.flush(Duration.ofSeconds(60))).isTrue();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                Long.valueOf(0).equals(pipeline.registry().getAllMetrics().get("kafka").get("spooled")));
        LaneStats s = pipeline.laneStats("kafka");
        assertThat(s.failed() + s.dropped()).isZero();
        assertThat(s.accepted()).isEqualTo(uid).isEqualTo(s.persisted() + s.inFlight());
        pipeline.shutdown(Duration.ofSeconds(10));

        Set<Integer> inTopic = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : readAll(servers, topic, Duration.ofSeconds(30))) {
            inTopic.add(JSON.readTree(record.value()).get("uid").asInt());
        }
        for (int i = 0; i < uid; i++) {
            assertThat(inTopic).as("uid %d in the topic", i).contains(i);
        }
    }
}
