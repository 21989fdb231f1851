package io.persistencelog.backend.prometheus;

import static io.persistencelog.backend.prometheus.PrometheusScrape.scrape;
import static io.persistencelog.backend.prometheus.PrometheusScrape.sumBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrometheusBackendTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private AsyncPersistencePipeline pipeline;

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.shutdown(Duration.ofSeconds(5));
        }
        registry.close();
    }

    private PrometheusBackend start(PrometheusProperties settings) {
        PrometheusBackend backend = new PrometheusBackend(registry, settings);
        pipeline = Pipelines.started(Pipelines.settings(100_000, OverflowPolicy.BLOCK), backend);
        return backend;
    }

    @Test
    void countsEveryEntryByLevelAndLoggerAndThoseWithAnError() {
        PrometheusBackend backend = start(PrometheusProperties.defaults());
        for (int i = 0; i < 3; i++) {
            pipeline.log(LogLevel.INFO, "com.acme.Orders", "order placed", new Object[] { "id", i });
        }
        pipeline.log(LogLevel.DEBUG, "com.acme.Orders", "detail", null);
        pipeline.log(LogLevel.WARN, "com.acme.Stock", "low stock", null);
        pipeline.log(LogLevel.WARN, "com.acme.Orders", "slow", null);
        pipeline.log(LogLevel.ERROR, "com.acme.Stock", "sync failed", new Object[] { new IllegalStateException("x") });
        pipeline.log(LogLevel.ERROR, "com.acme.Stock", "sync failed", new Object[] { "attempt", 2 });
        pipeline.log(LogLevel.WARN, "com.acme.Stock", "retrying", new Object[] { new RuntimeException("y") });
        pipeline.log(LogLevel.TRACE, "com.acme.Orders", "trace", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();

        List<PrometheusScrape.Sample> entries = scrape(registry, "logpersistence_log_entries_total");
        assertThat(sumBy(entries, "level")).containsExactlyInAnyOrderEntriesOf(
                Map.of("trace", 1.0, "debug", 1.0, "info", 3.0, "warn", 3.0, "error", 2.0));
        assertThat(entries).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("level", "warn").containsEntry("logger", "com.acme.Stock");
            assertThat(s.value()).isEqualTo(2.0);
        });
        assertThat(entries).anySatisfy(s -> {
            assertThat(s.labels()).containsEntry("level", "info").containsEntry("logger", "com.acme.Orders");
            assertThat(s.value()).isEqualTo(3.0);
        });
        List<PrometheusScrape.Sample> errors = scrape(registry, "logpersistence_log_errors_total");
        // Every level is there from the start, at 0 where nothing was counted.
        assertThat(sumBy(errors, "level")).containsExactlyInAnyOrderEntriesOf(
                Map.of("trace", 0.0, "debug", 0.0, "info", 0.0, "error", 1.0, "warn", 1.0));
        // Boot's own Logback counter is left alone: no double counting under its name.
        assertThat(registry.scrape()).doesNotContain("logback_events");
        assertThat(backend.getMetrics()).containsEntry("counted", 10L).containsEntry("withError", 2L)
                .containsEntry("loggerTags", 3).containsEntry("foldedIntoOther", 0L); // with "other", at 0
        assertThat(pipeline.laneStats("prometheus").persisted()).isEqualTo(10);
    }

    @Test
    void cardinalityStaysBoundedWithTenThousandDistinctLoggers() {
        PrometheusBackend backend = start(new PrometheusProperties(50, List.of("com.acme.billing.*", "com.acme.Audit")));
        for (int i = 0; i < 10_000; i++) {
            pipeline.log(i % 2 == 0 ? LogLevel.INFO : LogLevel.ERROR, "gen.Logger" + i, "m", null);
        }
        for (int i = 0; i < 100; i++) {
            pipeline.log(LogLevel.INFO, "com.acme.billing.Invoice" + i, "m", null);
        }
        pipeline.log(LogLevel.INFO, "com.acme.Audit", "m", null);
        pipeline.log(LogLevel.INFO, "com.acme.AuditTrail", "m", null); // not covered: a prefix needs a dot
        assertThat(pipeline.flush(Duration.ofSeconds(30))).isTrue();

        List<PrometheusScrape.Sample> entries = scrape(registry, "logpersistence_log_entries_total");
        Set<String> loggers = new HashSet<>();
        entries.forEach(s -> loggers.add(s.labels().get("logger")));
        // 50 first-seen loggers + 2 allow-list entries + "other"
        assertThat(loggers).hasSize(53).contains("other", "com.acme.billing", "com.acme.Audit", "gen.Logger0",
                "gen.Logger49").doesNotContain("gen.Logger50", "com.acme.AuditTrail");
        Map<String, Double> byLogger = sumBy(entries, "logger");
        assertThat(byLogger).containsEntry("com.acme.billing", 100.0).containsEntry("com.acme.Audit", 1.0)
                .containsEntry("other", 10_000.0 - 50 + 1);
        assertThat(sumBy(entries, "level").values().stream().mapToDouble(Double::doubleValue).sum())
                .isEqualTo(10_102.0);
        assertThat(backend.getMetrics()).containsEntry("foldedIntoOther", 9_951L).containsEntry("loggerTags", 53);
    }

    @Test
    void zeroMaxLoggersTagsOnlyTheAllowList() {
        start(new PrometheusProperties(0, List.of("app")));
        pipeline.log(LogLevel.INFO, "app.Main", "m", null);
        pipeline.log(LogLevel.INFO, "lib.Thing", "m", null);
        pipeline.log(LogLevel.INFO, "", "m", null);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(sumBy(scrape(registry, "logpersistence_log_entries_total"), "logger"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("app", 1.0, "other", 2.0));
    }
}
