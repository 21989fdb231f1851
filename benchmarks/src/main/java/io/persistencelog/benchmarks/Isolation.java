package io.persistencelog.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.persistencelog.AppLogger;
import io.persistencelog.AppLoggerFactory;
import io.persistencelog.BackendNames;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.LaneStats;
import io.persistencelog.engine.PipelineHolder;
import io.persistencelog.engine.PipelineSettings;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.standalone.StandalonePipeline;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Isolation under load: how fast the file backend persists {@value #EVENTS} events when it runs alone, when
 * {@code file,datadog,kafka} are selected (a local Datadog intake stand-in answering 202, an embedded Kafka
 * broker), and when the Datadog intake stalls (accepts the connection, never answers). The pipeline runs
 * with its defaults ({@code when-full=drop}: a full lane drops for itself and the others go on); one producer
 * logs as fast as the file takes entries (it waits for room in the shared queue and in the file's lane, so the
 * file drops nothing) and the file's throughput is events / time until the file's lane has written them all.
 *
 * <p>On two shared cores the broker, the HTTP server and the Datadog and Kafka lanes compete with the file
 * lane for CPU, so some drop is expected from that alone; the stalled case shows that a backend that never
 * answers takes no more from the file than a healthy one.
 *
 * <p>Usage: {@code Isolation <out.json>}.
 */
public final class Isolation {

    static final int EVENTS = 300_000;

    private Isolation() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
        Path out = Path.of(args.length > 0 ? args[0] : "isolation.json");
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, "logs");
        broker.afterPropertiesSet();
        CountDownLatch release = new CountDownLatch(1);
        HttpServer intake = intake(release);
        String url = "http://127.0.0.1:" + intake.getAddress().getPort();
        StringBuilder json = new StringBuilder("[\n");
        try {
            // Every configuration runs once untimed first: on two cores the JIT compiling the Kafka client and
            // the HTTP client competes with the file lane, and a cold file lane measured later looked faster.
            run("file (warm-up)", Set.of(), url, broker, json, false);
            run("file,datadog,kafka (warm-up)", Set.of("datadog", "kafka"), url, broker, json, false);
            run("file,datadog,kafka (datadog stalled, warm-up)", Set.of("datadog", "kafka"), url, broker, json, true);
            run("file", Set.of(), url, broker, json, false);
            run("file,datadog,kafka", Set.of("datadog", "kafka"), url, broker, json, false);
            run("file,datadog,kafka (datadog stalled)", Set.of("datadog", "kafka"), url, broker, json, true);
            run("file", Set.of(), url, broker, json, false); // again, to show how much the machine drifted
        }
        finally {
            release.countDown();
            intake.stop(0);
            broker.destroy();
        }
        json.setLength(json.length() - 2);
        json.append("\n]\n");
        Files.writeString(out, json);
        System.exit(0); // the broker leaves non-daemon threads behind
    }

    private static final class Set {
        static List<String> of(String... names) {
            return List.of(names);
        }
    }

    private static void run(String label, List<String> others, String intakeUrl, EmbeddedKafkaKraftBroker broker,
            StringBuilder json, boolean stalled) throws Exception {
        Path directory = LineFiles.newDirectory("isolation");
        LinkedHashSet<String> names = new LinkedHashSet<>();
        names.add(BackendNames.FILE);
        names.addAll(others);
        // The same assembly as a plain main: these settings as if they were system properties.
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("LOG_BACKENDS", String.join(",", names));
        props.put("DD_API_KEY", "0123456789abcdef0123456789abcdef");
        props.put("log-persistence.file.directory", directory.toString());
        props.put("log-persistence.console-echo", "off");
        props.put("log-persistence.datadog.url", intakeUrl + (stalled ? "/stalled" : "/api/v2/logs"));
        props.put("log-persistence.datadog.request-timeout", "2s");
        props.put("log-persistence.kafka.bootstrap-servers", broker.getBrokersAsString());
        props.put("log-persistence.kafka.topic", "logs");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("isolation", props));
        AsyncPersistencePipeline pipeline = StandalonePipeline.build(SettingsSource.of(environment),
                BackendProviders.load(Isolation.class.getClassLoader()), Clock.systemUTC());
        PipelineSettings settings = pipeline.settings();
        pipeline.start();
        PipelineHolder.install(pipeline);
        AppLogger logger = AppLoggerFactory.getAppLogger(Workload.LOGGER);
        int roomLimit = settings.queueCapacity() - 1024;
        // Half the lane: entries the dispatcher holds between the queue and the lane are in neither count, so
        // pacing right at the capacity let a cold (not yet compiled) file lane overflow and drop.
        long laneLimit = settings.laneCapacity() / 2;
        LaneStats fileLane = pipeline.laneStats(BackendNames.FILE);
        if (fileLane == null) {
            throw new IllegalStateException("the file lane did not start");
        }

        long start = System.nanoTime();
        for (long seq = 0; seq < EVENTS; seq++) {
            // Paced on the file: room in the shared queue and in the file's lane, so the file drops nothing;
            // the other lanes keep up or drop for themselves.
            while (pipeline.queueSize() > roomLimit || pipeline.queueSize() + fileLane.accepted()
                    - fileLane.persisted() - fileLane.failed() - fileLane.dropped() > laneLimit) {
                LockSupport.parkNanos(1_000);
            }
            logger.info(Workload.MESSAGE, Workload.KEY_INT, Workload.intValue(seq), Workload.KEY_STRING,
                    Workload.STRING_VALUE, Workload.KEY_LONG, Workload.longValue(seq));
        }
        boolean flushed = pipeline.flushBackend(BackendNames.FILE, Duration.ofMinutes(5));
        long elapsed = System.nanoTime() - start;
        LaneStats file = pipeline.laneStats(BackendNames.FILE);
        Map<String, Object> metrics = pipeline.getMetrics();
        String others2 = others.isEmpty() ? "" : others.stream().map(n -> {
            LaneStats s = pipeline.laneStats(n);
            return s == null ? n + " not running" : String.format(Locale.ROOT,
                    "%s persisted %d, failed %d, dropped for its lane %d", n, s.persisted(), s.failed(), s.dropped());
        }).reduce((a, b) -> a + "; " + b).orElse("");
        pipeline.shutdown(Duration.ofSeconds(3));
        PipelineHolder.uninstall(pipeline);
        long lines = LineFiles.countLines(directory);
        LineFiles.delete(directory);
        double perSecond = lines / (elapsed / 1e9);
        String row = String.format(Locale.ROOT, "  {\"backends\":\"%s\",\"events\":%d,\"fileLines\":%d,\"flushed\":%s,"
                + "\"seconds\":%.3f,\"fileEventsPerSecond\":%.0f,\"dropped\":%s,\"fileDropped\":%d,\"others\":\"%s\"},%n",
                label, EVENTS, lines, flushed, elapsed / 1e9, perSecond, metrics.get("dropped"),
                file == null ? -1 : file.dropped(), others2.replace("\"", "'"));
        System.out.print(row);
        json.append(row);
        if (file == null) {
            throw new IllegalStateException("the file lane did not run");
        }
    }

    /** A Datadog intake stand-in: 202 for {@code /api/v2/logs}; {@code /stalled} never answers. */
    private static HttpServer intake(CountDownLatch release) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-intake");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v2/logs", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.transferTo(java.io.OutputStream.nullOutputStream());
            }
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.createContext("/stalled", exchange -> {
            try {
                release.await(10, TimeUnit.MINUTES);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        return server;
    }
}
