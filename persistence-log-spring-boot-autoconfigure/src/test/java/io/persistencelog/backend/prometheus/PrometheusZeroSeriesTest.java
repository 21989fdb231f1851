package io.persistencelog.backend.prometheus;

import static io.persistencelog.backend.prometheus.PrometheusScrape.scrape;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.persistencelog.LogLevel;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.OverflowPolicy;
import io.persistencelog.engine.Pipelines;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue #12 point 12: counters exist at 0 before their first increment, so {@code rate()} and
 * {@code increase()} see the first error instead of a series that appears already at 1.
 */
class PrometheusZeroSeriesTest {

    private static final Set<String> LEVELS = java.util.Arrays.stream(LogLevel.values())
            .map(l -> l.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());

    private static Set<String> levelsOf(List<PrometheusScrape.Sample> samples, String logger) {
        return samples.stream().filter(s -> logger.equals(s.labels().get("logger")))
                .map(s -> s.labels().get("level")).collect(Collectors.toSet());
    }

    @Test
    void knownTagsHaveEveryLevelAtZeroBeforeAnyEntryAndANewLoggerGetsAllLevelsAtOnce() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(1000, OverflowPolicy.BLOCK),
                new PrometheusBackend(registry, new PrometheusProperties(10, List.of("com.acme.billing"))));
        try {
            List<PrometheusScrape.Sample> before = scrape(registry, "logpersistence_log_entries_total");
            assertThat(levelsOf(before, "com.acme.billing")).isEqualTo(LEVELS);
            assertThat(levelsOf(before, PrometheusBackend.OTHER)).isEqualTo(LEVELS);
            assertThat(before).allSatisfy(s -> assertThat(s.value()).isZero());
            assertThat(levelsOf(scrape(registry, "logpersistence_log_errors_total"), "com.acme.billing"))
                    .isEqualTo(LEVELS);

            pipeline.log(LogLevel.INFO, "com.acme.Orders", "placed", null);
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            List<PrometheusScrape.Sample> after = scrape(registry, "logpersistence_log_entries_total");
            assertThat(levelsOf(after, "com.acme.Orders")).isEqualTo(LEVELS);
            assertThat(after).filteredOn(s -> "com.acme.Orders".equals(s.labels().get("logger"))
                    && "error".equals(s.labels().get("level"))).singleElement()
                    .satisfies(s -> assertThat(s.value()).isZero());
            assertThat(levelsOf(scrape(registry, "logpersistence_log_errors_total"), "com.acme.Orders"))
                    .isEqualTo(LEVELS);
        }
        finally {
            pipeline.shutdown(Duration.ofSeconds(5));
            registry.close();
        }
    }
}
