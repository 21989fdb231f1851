package io.persistencelog.backend.kafka;

import io.persistencelog.autoconfigure.LogPersistenceAutoConfiguration;
import io.persistencelog.autoconfigure.LogPersistenceEndpoint;
import io.persistencelog.BackendContext;
import io.persistencelog.BackendRegistry;
import io.persistencelog.testing.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

import io.persistencelog.BackendFactory;
import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.backend.kafka.KafkaBackendSettings;
import io.persistencelog.backend.kafka.KafkaKey;
import io.persistencelog.backend.kafka.KafkaTestSupport;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

class KafkaSpringTests {

    private static final String FAKE_PASSWORD = "FAKE-SPRING-KAFKA-SECRET-91ab";
    private static EmbeddedKafkaKraftBroker broker;

    @TempDir
    Path logs;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.afterPropertiesSet();
        // The embedded broker publishes its address as system properties; keep them out of other tests.
        KafkaTestSupport.clearBrokerSystemProperties();
        broker.addTopics(new NewTopic("spring-logs", 1, (short) 1));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.destroy();
        }
        KafkaTestSupport.clearBrokerSystemProperties();
    }

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(LogPersistenceAutoConfiguration.class))
                .withPropertyValues("log-persistence.file.directory=" + logs, "log-persistence.shutdown-timeout=5s");
    }

    @Test
    void withoutKafkaClientsSelectingKafkaIsReportedUnavailableWithTheReason() {
        runner().withClassLoader(new FilteredClassLoader("org.apache.kafka"))
                .withPropertyValues("LOG_BACKENDS=kafka,file")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                    assertThat(registry.getActiveBackends()).extracting(LogBackend::name).containsExactly("file");
                    assertThat(registry.getUnknownBackends()).containsExactly("kafka");
                    assertThat(registry.unavailableReasons().get("kafka"))
                            .isEqualTo("kafka-clients is not on the classpath; add org.apache.kafka:kafka-clients "
                                    + "(or spring-kafka)");
                    Map<String, Object> report = new LogPersistenceEndpoint(
                            context.getBean(AsyncPersistencePipeline.class), registry).report();
                    assertThat(report.get("unknownBackends").toString()).isEqualTo("[kafka]");
                });
    }

    @Test
    void producerSettingsLayerSpringKafkaUnderOurOverrides() {
        runner().withPropertyValues("spring.kafka.bootstrap-servers=spring-host:9092",
                "spring.kafka.properties.compression.type=gzip", "spring.kafka.properties.batch.size=1000",
                "spring.kafka.producer.properties.batch.size=2000", "spring.kafka.producer.properties.linger.ms=40",
                "spring.kafka.security.protocol=SASL_PLAINTEXT",
                "log-persistence.kafka.producer.linger.ms=50",
                "log-persistence.kafka.producer.sasl.jaas.config=x password=\"" + FAKE_PASSWORD + "\";",
                "log-persistence.kafka.topic=app-logs", "log-persistence.kafka.key=service",
                "spring.application.name=billing")
                .run(context -> {
                    KafkaBackendSettings settings = settings(context);
                    assertThat(settings.producerConfig()).containsEntry("bootstrap.servers", "spring-host:9092")
                            .containsEntry("compression.type", "gzip").containsEntry("batch.size", "2000")
                            .containsEntry("linger.ms", "50").containsEntry("security.protocol", "SASL_PLAINTEXT")
                            .containsEntry("acks", "all").containsEntry("enable.idempotence", "true");
                    assertThat(settings.topic()).isEqualTo("app-logs");
                    assertThat(settings.key()).isEqualTo(KafkaKey.SERVICE);
                    assertThat(settings.service()).isEqualTo("billing");
                    assertThat(settings.closeTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(settings.toString()).doesNotContain(FAKE_PASSWORD);
                    assertThat(TestSettings.bound(context, KafkaProperties.PREFIX, KafkaProperties.class).toString())
                            .doesNotContain(FAKE_PASSWORD);
                    // Not selected: the producer is never built.
                    assertThat(context.getBean(DefaultBackendRegistry.class).getActiveBackends())
                            .extracting(LogBackend::name).containsExactly("file");
                });
        runner().withPropertyValues("spring.kafka.bootstrap-servers=spring-host:9092",
                "spring.kafka.producer.bootstrap-servers=producer-host:9092",
                "log-persistence.kafka.bootstrap-servers=a:1, b:2")
                .run(context -> assertThat(settings(context).producerConfig())
                        .containsEntry("bootstrap.servers", "a:1,b:2"));
        runner().run(context -> assertThat(settings(context).bootstrapServers())
                .isEqualTo("localhost:9092"));
    }

    @Test
    void selectedKafkaWritesEntriesToTheBrokerFromSpringKafkaBootstrapServers() {
        runner().withPropertyValues("LOG_BACKENDS=kafka, file",
                "spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "log-persistence.kafka.topic=spring-logs")
                .run(context -> {
                    DefaultBackendRegistry registry = context.getBean(DefaultBackendRegistry.class);
                    assertThat(registry.getActiveBackends()).extracting(LogBackend::name)
                            .containsExactlyInAnyOrder("kafka", "file");
                    AsyncPersistencePipeline pipeline = context.getBean(AsyncPersistencePipeline.class);
                    for (int i = 0; i < 50; i++) {
                        pipeline.log(LogLevel.INFO, "app.spring", "hello", new Object[] { "i", i });
                    }
                    assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();
                    Map<String, Object> metrics = registry.getAllMetrics().get("kafka");
                    assertThat(metrics).containsEntry("topic", "spring-logs")
                            .containsEntry("bootstrapServers", broker.getBrokersAsString())
                            .containsEntry("totalWrites", 50L).containsEntry("acked", 50L);
                });
        List<ConsumerRecord<byte[], byte[]>> records = KafkaTestSupport.readAll(broker.getBrokersAsString(),
                "spring-logs", Duration.ofSeconds(30));
        assertThat(records).hasSize(50);
    }

    @Test
    void disabledStarterContributesNoKafkaBackend() {
        runner().withPropertyValues("log-persistence.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(BackendRegistry.class));
    }

    @Test
    void aUserFactoryOfTheSameNameReplacesTheBuiltInOne() {
        runner().withUserConfiguration(CustomFactory.class).withPropertyValues("LOG_BACKENDS=kafka")
                .run(context -> {
                    assertThat(context.getBean("kafkaLogBackendFactory", BackendFactory.class).toString())
                            .isEqualTo(CustomFactory.FACTORY.toString());
                    assertThat(context.getBean(DefaultBackendRegistry.class).getActiveBackends())
                            .extracting(LogBackend::toString).containsExactly("custom-kafka");
                });
    }

    /** The producer settings as the provider resolves them in this context. */
    private static KafkaBackendSettings settings(org.springframework.context.ApplicationContext context) {
        return KafkaBackendProvider.resolve(TestSettings.bound(context, KafkaProperties.PREFIX, KafkaProperties.class),
                context.getBean(BackendContext.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class CustomFactory {

        static final BackendFactory FACTORY = BackendFactory.of("kafka", () -> new LogBackend() {
            public String name() {
                return "kafka";
            }

            public boolean write(LogEntry entry) {
                return true;
            }

            @Override
            public String toString() {
                return "custom-kafka";
            }
        });

        @Bean
        BackendFactory kafkaLogBackendFactory() {
            return FACTORY;
        }
    }
}
