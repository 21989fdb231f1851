package io.persistencelog.engine;

import io.persistencelog.codec.JsonNull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.TimingStats;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefaultAppLoggerTest {

    private final CollectingBackend backend = new CollectingBackend("c");
    private AsyncPersistencePipeline pipeline;

    @BeforeEach
    void install() {
        pipeline = Pipelines.started(Pipelines.settings(10_000, OverflowPolicy.DROP), backend);
        PipelineHolder.install(pipeline);
    }

    @AfterEach
    void uninstall() {
        PipelineHolder.uninstall(pipeline);
        pipeline.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void oddInputNeverThrowsAndStaysVisible() {
        AppLogger log = AppLoggerFactory.getAppLogger("odd");
        assertThatNoException().isThrownBy(() -> {
            log.info("odd length", "a", 1, "dangling");
            log.info("non-string key", 7, "seven");
            log.info(null, (Object[]) null);
            log.warn("null value", "k", null);
            log.error("boom", new IllegalStateException("x"));
            log.log(null, "no level");
        });
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(backend.entries).hasSize(6);
        assertThat(backend.entries.get(0).fields()).containsEntry("a", 1).containsEntry("_unpaired", "dangling");
        assertThat(backend.entries.get(1).fields()).containsEntry("7", "seven");
        assertThat(backend.entries.get(2).message()).isEqualTo("null");
        assertThat(backend.entries.get(3).fields()).containsEntry("k", JsonNull.INSTANCE);
        LogEntry error = backend.entries.get(4);
        assertThat(error.level()).isEqualTo(LogLevel.ERROR);
        assertThat(error.error()).isInstanceOf(IllegalStateException.class);
        assertThat(error.fields()).isEmpty();
        assertThat(backend.entries.get(5).level()).isEqualTo(LogLevel.INFO);
    }

    @Test
    void entriesAreImmutable() {
        AppLoggerFactory.getAppLogger("immutable").info("m", "k", 1);
        assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
        LogEntry entry = backend.entries.get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> entry.fields().put("x", 2))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(entry.thread()).isEqualTo(Thread.currentThread().getName());
        assertThat(entry.logger()).isEqualTo("immutable");
    }

    @Test
    void timingIsRecordedOnlyWhenAskedFor() {
        AppLogger timed = AppLoggerFactory.getAppLogger("timed-test", true, true);
        AppLogger untimed = AppLoggerFactory.getAppLogger("untimed-test");
        for (int i = 0; i < 1000; i++) {
            timed.info("call", "i", i);
            untimed.info("call", "i", i);
        }
        TimingStats stats = timed.getTimingStats();
        assertThat(stats.totalCalls()).isEqualTo(1000);
        assertThat(stats.minTimeMs()).isPositive();
        assertThat(stats.maxTimeMs()).isGreaterThanOrEqualTo(stats.p999TimeMs());
        assertThat(stats.p999TimeMs()).isGreaterThanOrEqualTo(stats.p99TimeMs());
        assertThat(stats.p99TimeMs()).isGreaterThanOrEqualTo(stats.p50TimeMs());
        assertThat(stats.avgTimeMs()).isBetween(stats.minTimeMs(), stats.maxTimeMs());
        assertThat(untimed.getTimingStats()).isEqualTo(TimingStats.EMPTY);
        assertThat(AppLoggerFactory.getTimingStats()).containsKey("timed-test").doesNotContainKey("untimed-test");
    }

    @Test
    void belowTheMinimumLevelNothingIsPersisted() {
        PipelineSettings infoOnly = new PipelineSettings(100, OverflowPolicy.DROP, 10, Duration.ZERO, 100,
                Duration.ofSeconds(5), LogLevel.INFO, 1000, java.time.Clock.systemUTC());
        CollectingBackend infoBackend = new CollectingBackend("info");
        AsyncPersistencePipeline infoPipeline = Pipelines.started(infoOnly, infoBackend);
        PipelineHolder.install(infoPipeline);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("levels");
            log.debug("hidden");
            log.info("shown");
            assertThat(infoPipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(infoBackend.entries).extracting(LogEntry::message).containsExactly("shown");
        }
        finally {
            PipelineHolder.uninstall(infoPipeline);
            infoPipeline.shutdown(Duration.ofSeconds(5));
        }
    }
}
