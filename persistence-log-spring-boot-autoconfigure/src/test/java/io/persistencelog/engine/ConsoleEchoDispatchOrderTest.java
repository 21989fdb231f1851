package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher hands a batch to the lanes before the async console echo: a flush must still wait for every
 * line echoed so far, and the echo must work with no lane running and after a stop/start.
 */
class ConsoleEchoDispatchOrderTest {

    @Test
    void everyFlushSeesEveryEchoedLine() {
        CollectingBackend backend = new CollectingBackend("c");
        AsyncPersistencePipeline pipeline = Pipelines.started(Pipelines.settings(10_000, OverflowPolicy.DROP),
                backend);
        pipeline.setConsoleEcho(ConsoleEchoMode.ASYNC);
        PipelineHolder.install(pipeline);
        ConsoleLines console = ConsoleLines.attach("probe.flush", Level.INFO);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("probe.flush");
            for (int i = 0; i < 500; i++) {
                log.info("l", "i", i); // one line per flush: a flush that returns before its line fails here
                assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(console.appender().list).as("round %d", i).hasSize(i + 1);
                assertThat(backend.entries).hasSize(i + 1);
            }
        }
        finally {
            console.detach();
            PipelineHolder.uninstall(pipeline);
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void echoWithNoLaneRunningAndAcrossARestart() {
        DefaultBackendRegistry registry = new DefaultBackendRegistry(Set.of("nosuch"));
        // Only an unknown name is selected: no lane runs, the echo still shows every call.
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(Pipelines.settings(1_000,
                OverflowPolicy.DROP), registry);
        pipeline.setConsoleEcho(ConsoleEchoMode.ASYNC);
        pipeline.start();
        PipelineHolder.install(pipeline);
        ConsoleLines console = ConsoleLines.attach("probe.nolane", Level.INFO);
        try {
            AppLogger log = AppLoggerFactory.getAppLogger("probe.nolane");
            for (int i = 0; i < 100; i++) {
                log.info("n", "i", i);
            }
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(console.appender().list).hasSize(100);
            pipeline.shutdown(Duration.ofSeconds(5)); // context.stop() then context.start()
            pipeline.start();
            for (int i = 0; i < 100; i++) {
                log.info("n", "i", i);
            }
            assertThat(pipeline.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(console.appender().list).hasSize(200);
            assertThat(pipeline.consoleEcho()).isEqualTo(ConsoleEchoMode.ASYNC);
        }
        finally {
            console.detach();
            PipelineHolder.uninstall(pipeline);
            pipeline.shutdown(Duration.ofSeconds(5));
        }
    }
}
