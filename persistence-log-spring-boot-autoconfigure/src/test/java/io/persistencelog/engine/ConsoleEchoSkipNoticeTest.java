package io.persistencelog.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.QueuedLogEntry;
import io.persistencelog.codec.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README promises that when the console could not keep up, the echo "says so once it has caught up" —
 * also when nothing is logged afterwards, so the notice does not wait for the next call.
 */
class ConsoleEchoSkipNoticeTest {

    private static QueuedLogEntry echoed(String message) {
        return new QueuedLogEntry(0L, LogLevel.INFO, "echo.notice", message, "caller", null, Redactor.NONE, null,
                true);
    }

    @Test
    void theSkipIsReportedOnceTheConsoleHasCaughtUpEvenWithoutAnotherCall() {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> written = new CopyOnWriteArrayList<>();
        List<String> notices = new CopyOnWriteArrayList<>();
        EchoWriter console = new EchoWriter() {
            @Override
            public void write(QueuedLogEntry entry, Redactor redactor) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                written.add(entry.message());
            }

            @Override
            public void notice(String text) {
                notices.add(text);
            }
        };
        ConsoleEcho echo = new ConsoleEcho(console, () -> Redactor.NONE, 3);
        echo.start();
        try {
            // The dispatcher's side: one batch the console starts on and gets stuck in...
            echo.accept(new LogEntry[] { echoed("a1"), echoed("a2"), echoed("a3") });
            await().atMost(Duration.ofSeconds(10)).until(() -> entered.getCount() == 0);
            // ...so the next one finds two lines still waiting and is skipped; nothing is logged after it.
            echo.accept(new LogEntry[] { echoed("b1"), echoed("b2") });
            assertThat(echo.dropped()).isEqualTo(2);
            release.countDown();
            assertThat(echo.awaitIdle(System.nanoTime() + TimeUnit.SECONDS.toNanos(10))).isTrue();
            assertThat(written).containsExactly("a1", "a2", "a3");
            await().atMost(Duration.ofSeconds(10)).until(() -> !notices.isEmpty());
            assertThat(notices).singleElement().asString().contains(" 2 AppLogger lines were not echoed");
        }
        finally {
            release.countDown();
            echo.stop(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        }
    }
}
