package io.persistencelog.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the results of {@code benchmarks/run.sh} into a chart PNG and the markdown section of
 * {@code docs/performance.md}: tables, and the targets as ratios from this one run. Latency figures are the
 * median over forks of per-fork percentiles; throughput figures the median over measured iterations.
 *
 * <p>Usage: {@code Report <results-dir> <chart.png> <markdown-file>}. The results directory holds
 * {@code latency-t1*.json}, {@code latency-t2*.json}, {@code throughput*.json} (JMH), {@code delivery.jsonl},
 * {@code isolation.json}, {@code memory.json}, {@code env.properties} and {@code sample-<config>.txt}. Only
 * the text between {@code <!-- benchmark-results:start -->} and {@code <!-- benchmark-results:end -->} in the
 * markdown file is replaced.
 */
public final class Report {

    static final String START = "<!-- benchmark-results:start -->";
    static final String END = "<!-- benchmark-results:end -->";
    static final List<String> CONFIGS = Subject.CONFIGS;
    static final Map<String, String> LABELS = labels();
    static final List<Color> PALETTE = List.of(new Color(0x1B9E77), new Color(0x66C2A5), new Color(0xA6D854),
            new Color(0x0B5D45), new Color(0xD95F02), new Color(0xFC8D62), new Color(0x7570B3), new Color(0x8DA0CB),
            new Color(0xE7298A));
    static final List<String> OTHERS = List.of("log4j2-default", "log4j2-tuned", "logback-json", "logback-logstash",
            "boot-logstash");
    static final List<String> LOGBACKS = List.of("logback-json", "logback-logstash", "boot-logstash");

    private static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("starter-echo-async", "starter, console echo async (default)");
        m.put("starter-echo-off", "starter, console echo off");
        m.put("starter-echo-sync", "starter, console echo sync");
        m.put("starter-capture", "starter capture path (SLF4J events)");
        m.put("log4j2-default", "Log4j2 all-async, defaults");
        m.put("log4j2-tuned", "Log4j2 all-async, tuned (Sleep, 4,096 ring)");
        m.put("logback-json", "Logback AsyncAppender + JsonEncoder");
        m.put("logback-logstash", "Logback AsyncAppender + logstash-logback-encoder");
        m.put("boot-logstash", "Boot structured logging (logstash) + AsyncAppender");
        return m;
    }

    private Report() {
    }

    /** Median-of-forks figures of one latency row. */
    record Latency(double mean, double p50, double p99, double p999, double callerBytes, double allocNorm,
            int forks, long samples) {
    }

    /** Median of the measured iterations, with the slowest and fastest. */
    record Throughput(double median, double min, double max, int iterations) {
    }

    /** Row key: configuration, workload, and the MDC size or the producer count. */
    record Key(String config, String workload, int extra) {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path chart = Path.of(args.length > 1 ? args[1] : "docs/benchmark.png");
        Path markdown = Path.of(args.length > 2 ? args[2] : "docs/performance.md");
        JsonMapper json = JsonMapper.builder().build();

        Map<Integer, Map<Key, Latency>> latency = new TreeMap<>();
        Map<Key, Throughput> throughput = new LinkedHashMap<>();
        try (java.util.stream.Stream<Path> files = Files.list(results)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("latency-t") && name.endsWith(".json")) {
                    int threads = name.charAt("latency-t".length()) - '0';
                    latency.computeIfAbsent(threads, t -> new LinkedHashMap<>())
                            .putAll(latencies(json.readTree(file.toFile())));
                }
                else if (name.startsWith("throughput") && name.endsWith(".json")) {
                    throughput.putAll(throughputs(json.readTree(file.toFile())));
                }
            }
        }
        List<JsonNode> delivery = new ArrayList<>();
        Path deliveryFile = results.resolve("delivery.jsonl");
        if (Files.exists(deliveryFile)) {
            for (String line : Files.readAllLines(deliveryFile)) {
                if (!line.isBlank()) {
                    delivery.add(json.readTree(line));
                }
            }
        }
        JsonNode isolation = readIfExists(json, results.resolve("isolation.json"));
        JsonNode memory = readIfExists(json, results.resolve("memory.json"));
        Map<String, String> env = readEnv(results.resolve("env.properties"));
        Map<String, String> samples = new LinkedHashMap<>();
        for (String c : CONFIGS) {
            Path sample = results.resolve("sample-" + c + ".txt");
            if (Files.exists(sample)) {
                samples.put(c, Files.readString(sample).strip());
            }
        }

        String section = markdown(latency, throughput, delivery, isolation, memory, env, samples, chart, markdown);
        Files.createDirectories(chart.toAbsolutePath().getParent());
        ImageIO.write(chart(latency, throughput, env), "png", chart.toFile());
        writeSection(markdown, section);
        Files.writeString(results.resolve("summary.md"), section);
        System.out.println(section);
    }

    private static JsonNode readIfExists(JsonMapper json, Path file) throws IOException {
        return Files.exists(file) ? json.readTree(file.toFile()) : null;
    }

    // ------------------------------------------------------------------ reading JMH results

    static Key key(JsonNode result, String extraParam) {
        JsonNode params = result.path("params");
        String config = method(result).equals("argumentsOnly") ? "argumentsOnly" : params.path("config").asString();
        return new Key(config, params.path("workload").asString("constant"), params.path(extraParam).asInt(
                extraParam.equals("producers") ? 1 : 0));
    }

    static Map<Key, Latency> latencies(JsonNode root) {
        Map<Key, Latency> byFramework = new LinkedHashMap<>();
        for (JsonNode result : root) {
            Key name = key(result, "mdc");
            JsonNode forks = result.get("primaryMetric").get("rawDataHistogram");
            List<double[]> perFork = new ArrayList<>();
            for (JsonNode fork : forks) {
                TreeMap<Double, Long> histogram = new TreeMap<>();
                for (JsonNode iteration : fork) {
                    for (JsonNode bucket : iteration) {
                        histogram.merge(bucket.get(0).asDouble(), bucket.get(1).asLong(), Long::sum);
                    }
                }
                perFork.add(stats(histogram));
            }
            JsonNode secondary = result.get("secondaryMetrics");
            List<Double> callerBytes = new ArrayList<>();
            JsonNode bytes = secondary.path("callerBytes").path("rawData");
            JsonNode calls = secondary.path("callerCalls").path("rawData");
            for (int f = 0; f < bytes.size(); f++) {
                double b = 0;
                double c = 0;
                for (int i = 0; i < bytes.get(f).size(); i++) {
                    b += bytes.get(f).get(i).asDouble();
                    c += calls.get(f).get(i).asDouble();
                }
                callerBytes.add(c == 0 ? Double.NaN : b / c);
            }
            List<Double> allocNorm = forkMeans(secondary.path("gc.alloc.rate.norm").path("rawData"));
            long samples = perFork.stream().mapToLong(s -> (long) s[4]).sum();
            byFramework.put(name, new Latency(median(perFork, s -> s[0]), median(perFork, s -> s[1]),
                    median(perFork, s -> s[2]), median(perFork, s -> s[3]), median(callerBytes),
                    median(allocNorm), perFork.size(), samples));
        }
        return byFramework;
    }

    /** mean, p50, p99, p99.9 and count of one fork's samples. */
    static double[] stats(TreeMap<Double, Long> histogram) {
        long count = 0;
        double sum = 0;
        for (Map.Entry<Double, Long> e : histogram.entrySet()) {
            count += e.getValue();
            sum += e.getKey() * e.getValue();
        }
        return new double[] {sum / count, quantile(histogram, count, 0.5), quantile(histogram, count, 0.99),
            quantile(histogram, count, 0.999), count};
    }

    static double quantile(TreeMap<Double, Long> histogram, long count, double q) {
        long rank = (long) Math.ceil(q * count);
        long seen = 0;
        for (Map.Entry<Double, Long> e : histogram.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) {
                return e.getKey();
            }
        }
        return histogram.lastKey();
    }

    static Map<Key, Throughput> throughputs(JsonNode root) {
        Map<Key, Throughput> rows = new LinkedHashMap<>();
        for (JsonNode result : root) {
            List<Double> eventsPerSecond = new ArrayList<>();
            for (JsonNode fork : result.get("primaryMetric").get("rawData")) {
                for (JsonNode nanosPerEvent : fork) {
                    eventsPerSecond.add(1e9 / nanosPerEvent.asDouble());
                }
            }
            double min = eventsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = eventsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            rows.put(key(result, "producers"), new Throughput(median(eventsPerSecond), min, max,
                    eventsPerSecond.size()));
        }
        return rows;
    }

    private static List<Double> forkMeans(JsonNode rawData) {
        List<Double> means = new ArrayList<>();
        for (JsonNode fork : rawData) {
            double sum = 0;
            for (JsonNode v : fork) {
                sum += v.asDouble();
            }
            means.add(fork.isEmpty() ? Double.NaN : sum / fork.size());
        }
        return means;
    }

    private static String method(JsonNode result) {
        String benchmark = result.get("benchmark").asString();
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    static <T> double median(List<T> values, ToDoubleFunction<T> f) {
        List<Double> xs = new ArrayList<>();
        for (T v : values) {
            xs.add(f.applyAsDouble(v));
        }
        return median(xs);
    }

    static double median(List<Double> values) {
        List<Double> xs = values.stream().filter(v -> !v.isNaN()).sorted().toList();
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        int n = xs.size();
        return n % 2 == 1 ? xs.get(n / 2) : (xs.get(n / 2 - 1) + xs.get(n / 2)) / 2;
    }

    private static Map<String, String> readEnv(Path file) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    env.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
            }
        }
        return env;
    }

    // ------------------------------------------------------------------ markdown

    static String markdown(Map<Integer, Map<Key, Latency>> latency, Map<Key, Throughput> throughput,
            List<JsonNode> delivery, JsonNode isolation, JsonNode memory, Map<String, String> env,
            Map<String, String> samples, Path chart, Path markdown) {
        StringBuilder md = new StringBuilder();
        md.append(START).append('\n');
        md.append("_Generated by `benchmarks/run.sh` on ").append(env.getOrDefault("date", "?"))
                .append("; do not edit by hand._\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| machine | ").append(env.getOrDefault("cpu", "?")).append(", ")
                .append(env.getOrDefault("cores", "?")).append(" cores, ").append(env.getOrDefault("memory", "?"))
                .append(" |\n");
        md.append("| load (`uptime` 1/5/15 min) | before ").append(env.getOrDefault("load.before", "?"))
                .append("; after latency ").append(env.getOrDefault("load.latency.done", "?"))
                .append("; after throughput ").append(env.getOrDefault("load.throughput.done", "?"))
                .append("; at the end ").append(env.getOrDefault("load.after", "?")).append(" |\n");
        md.append("| conditions | ").append(env.getOrDefault("conditions", "?")).append(" |\n");
        md.append("| JDK | ").append(env.getOrDefault("java", "?")).append(" |\n");
        md.append("| versions | ").append(env.getOrDefault("versions", "?")).append(" |\n");
        md.append("| command | `").append(env.getOrDefault("command", "benchmarks/run.sh")).append("` |\n");
        md.append("| JMH | ").append(env.getOrDefault("jmh", "?")).append(" |\n\n");

        Path relativeChart = markdown.toAbsolutePath().getParent().relativize(chart.toAbsolutePath());
        md.append("![benchmark chart](").append(relativeChart.toString().replace('\\', '/')).append(")\n\n");

        Map<Key, Latency> t1 = latency.getOrDefault(1, Map.of());
        md.append("### Caller latency, 1 producer (headline; ns per call, paced so that no queue fills)\n\n");
        latencyTable(md, t1, 0);
        md.append("\n`caller B` is what the calling thread allocates per call (the harness's own share is in the "
                + "`arguments only` row: the varargs array and boxes of the constant workload).\n");

        md.append("\n### Cost of the MDC on the starter's call (1 producer, constant workload)\n\n");
        md.append("| configuration | MDC entries | mean | p50 | p99 | p99.9 | caller B |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String c : List.of("starter-echo-async", "starter-echo-off")) {
            for (int mdc : new int[] {0, 3}) {
                Latency l = t1.get(new Key(c, "constant", mdc));
                if (l != null) {
                    md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %.0f |%n", LABELS.get(c),
                            mdc, ns(l.mean()), ns(l.p50()), ns(l.p99()), ns(l.p999()), l.callerBytes()));
                }
            }
        }

        Map<Key, Latency> t2 = latency.get(2);
        if (t2 != null) {
            md.append("\n### Caller latency, 2 producers (labelled: on 2 vCPUs shared with the drain threads, "
                    + "this mostly measures the scheduler)\n\n");
            latencyTable(md, t2, 0);
        }

        md.append("\n### End-to-end throughput (events per second until all are in the file; lines counted)\n\n");
        md.append("| producers | workload | configuration | median | slowest | fastest |\n");
        md.append("| ---: | --- | --- | ---: | ---: | ---: |\n");
        for (int producers : new int[] {1, 2}) {
            for (String w : List.of("constant", "varied")) {
                for (String c : CONFIGS) {
                    Throughput t = throughput.get(new Key(c, w, producers));
                    if (t != null) {
                        md.append(String.format(Locale.ROOT, "| %d%s | %s | %s | %,.0f | %,.0f | %,.0f |%n",
                                producers, producers > 1 ? " (scheduler-bound)" : "", w, LABELS.get(c), t.median(),
                                t.min(), t.max()));
                    }
                }
            }
        }

        if (!delivery.isEmpty()) {
            md.append("\n### Delivery latency, open loop (call's scheduled time -> line readable in the file; "
                    + "Poisson arrivals, 1 producer; ms)\n\n");
            md.append("| rate (events/s) | configuration | p50 | p99 | p99.9 | max | events | missing |\n");
            md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            List<JsonNode> sorted = new ArrayList<>(delivery);
            sorted.sort(java.util.Comparator.comparingInt((JsonNode n) -> n.get("rate").asInt())
                    .thenComparingInt(n -> CONFIGS.indexOf(n.get("config").asString())));
            for (JsonNode row : sorted) {
                md.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s | %s | %,d | %,d |%n",
                        row.get("rate").asInt(), LABELS.getOrDefault(row.get("config").asString(),
                                row.get("config").asString()), ms(row.get("p50Us").asDouble()),
                        ms(row.get("p99Us").asDouble()), ms(row.get("p999Us").asDouble()),
                        ms(row.get("maxUs").asDouble()), row.get("events").asLong(), row.get("missing").asLong()));
            }
        }

        double alone = Double.NaN;
        if (isolation != null) {
            md.append("\n### Isolation under load (file backend throughput with other backends selected)\n\n");
            md.append("| backends | file events/s | vs file alone | dropped at the queue | dropped by the file lane "
                    + "| other lanes |\n");
            md.append("| --- | ---: | ---: | ---: | ---: | --- |\n");
            for (JsonNode row : isolation) {
                if (row.get("backends").asString().equals("file") && Double.isNaN(alone)) {
                    alone = row.get("fileEventsPerSecond").asDouble(); // the first; the last shows the drift
                }
            }
            for (JsonNode row : isolation) {
                double v = row.get("fileEventsPerSecond").asDouble();
                JsonNode fileDropped = row.get("fileDropped");
                md.append(String.format(Locale.ROOT, "| %s | %,.0f | %s | %s | %s | %s |%n", row.get("backends").asString(),
                        v, ratio(v / alone), row.get("dropped").asString(),
                        fileDropped == null ? "not measured" : fileDropped.asString(), row.get("others").asString()));
            }
        }

        md.append("\n### The capture path (the same SLF4J events: starter capture vs AsyncAppender + "
                + "logstash-logback-encoder)\n\n");
        md.append("| workload | figure | starter capture | Logback + logstash encoder | ratio |\n");
        md.append("| --- | --- | ---: | ---: | ---: |\n");
        for (String w : List.of("constant", "varied")) {
            Throughput a = throughput.get(new Key("starter-capture", w, 1));
            Throughput b = throughput.get(new Key("logback-logstash", w, 1));
            if (a != null && b != null) {
                md.append(String.format(Locale.ROOT, "| %s | throughput, events/s | %,.0f | %,.0f | %s |%n", w,
                        a.median(), b.median(), ratio(a.median() / b.median())));
            }
            Latency la = t1.get(new Key("starter-capture", w, 0));
            Latency lb = t1.get(new Key("logback-logstash", w, 0));
            if (la != null && lb != null) {
                md.append(String.format(Locale.ROOT, "| %s | caller p99, ns | %s | %s | %s |%n", w, ns(la.p99()),
                        ns(lb.p99()), ratio(la.p99() / lb.p99())));
            }
        }

        if (memory != null) {
            md.append("\n### Memory under overload\n\n");
            md.append(String.format(Locale.ROOT, "%,d entries (10 x queue capacity %,d) logged against a backend "
                    + "that never returns (policy `drop`): %,d held, %,d dropped and counted. Heap growth %.1f MiB "
                    + "(%.1f MiB after another 10 x); bound = (queue capacity + lane capacity) x %d B per entry + "
                    + "%d MiB = %.1f MiB, heap limit %d MiB: **%s**.%n", memory.get("logged").asLong(),
                    memory.get("capacity").asLong(), memory.get("held").asLong(), memory.get("dropped").asLong(),
                    memory.get("heapGrowthBytes").asLong() / 1048576.0,
                    memory.get("heapGrowthAfterTwiceBytes").asLong() / 1048576.0, memory.get("entryBytes").asLong(),
                    memory.get("constantBytes").asLong() >> 20, memory.get("boundBytes").asLong() / 1048576.0,
                    memory.get("maxHeapBytes").asLong() >> 20,
                    memory.get("withinBound").asBoolean() ? "within the bound" : "NOT within the bound"));
        }

        md.append("\n### Targets (ratios from this run)\n\n");
        md.append("| target | measured | met |\n| --- | --- | :---: |\n");
        Latency args = t1.get(new Key("argumentsOnly", "constant", 0));
        for (String w : List.of("constant", "varied")) {
            Latency async = t1.get(new Key("starter-echo-async", w, 0));
            Latency off = t1.get(new Key("starter-echo-off", w, 0));
            Latency tuned = t1.get(new Key("log4j2-tuned", w, 0));
            Latency bestLogback = null;
            String bestLogbackName = null;
            for (String c : LOGBACKS) {
                Latency l = t1.get(new Key(c, w, 0));
                if (l != null && (bestLogback == null || l.p99() < bestLogback.p99())) {
                    bestLogback = l;
                    bestLogbackName = c;
                }
            }
            if (async != null && off != null) {
                target(md, "default call (echo async) p99 <= 1 us and no more than echo off (" + w + ")",
                        ns(async.p99()) + " vs " + ns(off.p99()) + " ns (" + ratio(async.p99() / off.p99()) + ")",
                        async.p99() <= 1_000 && async.p99() <= off.p99() * 1.1);
            }
            if (async != null && tuned != null) {
                target(md, "caller p99 <= tuned Log4j2's (" + w + ")", ns(async.p99()) + " vs " + ns(tuned.p99())
                        + " ns (" + ratio(async.p99() / tuned.p99()) + ")", async.p99() <= tuned.p99());
            }
            if (async != null && bestLogback != null) {
                target(md, "caller p99 <= 0.5 x best Logback's (" + w + "; best: " + bestLogbackName + ")",
                        ns(async.p99()) + " vs " + ns(bestLogback.p99()) + " ns (" + ratio(async.p99()
                                / bestLogback.p99()) + ")", async.p99() <= 0.5 * bestLogback.p99());
            }
            if (w.equals("constant") && async != null && args != null) {
                double own = async.callerBytes() - args.callerBytes();
                target(md, "default call allocates <= 64 B beyond the arguments", String.format(Locale.ROOT,
                        "%.0f B (%.0f total - %.0f arguments)", own, async.callerBytes(), args.callerBytes()),
                        own <= 64);
            }
            Throughput starter = throughput.get(new Key("starter-echo-off", w, 1));
            Throughput best = null;
            String bestName = null;
            for (String c : OTHERS) {
                Throughput t = throughput.get(new Key(c, w, 1));
                if (t != null && (best == null || t.median() > best.median())) {
                    best = t;
                    bestName = c;
                }
            }
            if (starter != null && best != null) {
                target(md, "throughput >= 1.5 x best of the others (" + w + ", echo off; best: " + bestName + ")",
                        String.format(Locale.ROOT, "%,.0f vs %,.0f events/s (%s)", starter.median(), best.median(),
                                ratio(starter.median() / best.median())), starter.median() >= 1.5 * best.median());
            }
        }
        Latency mdc0 = t1.get(new Key("starter-echo-async", "constant", 0));
        Latency mdc3 = t1.get(new Key("starter-echo-async", "constant", 3));
        if (mdc0 != null && mdc3 != null) {
            md.append(String.format(Locale.ROOT, "| three-key MDC cost (reported, no target) | p99 %s -> %s ns, "
                    + "%.0f -> %.0f B per call | - |%n", ns(mdc0.p99()), ns(mdc3.p99()), mdc0.callerBytes(),
                    mdc3.callerBytes()));
        }
        for (JsonNode row : delivery) {
            String config = row.get("config").asString();
            if (row.get("rate").asInt() == 100_000 && config.startsWith("starter-echo-")) {
                // The others write no console: the echo-off row is the like-for-like one (as for throughput);
                // the default (echo async) is judged too.
                target(md, "delivery p99 <= 5 ms at 100 k events/s (" + LABELS.get(config) + ")",
                        ms(row.get("p99Us").asDouble()) + " ms",
                        row.get("p99Us").asDouble() <= 5_000 && row.get("missing").asLong() == 0);
            }
        }
        if (isolation != null) {
            for (JsonNode row : isolation) {
                String b = row.get("backends").asString();
                if (b.startsWith("file,") && !b.contains("warm-up")) {
                    double v = row.get("fileEventsPerSecond").asDouble();
                    target(md, "file throughput with " + b + " >= 0.9 x file alone", ratio(v / alone), v >= 0.9 * alone);
                }
            }
        }
        for (String w : List.of("constant", "varied")) {
            Throughput a = throughput.get(new Key("starter-capture", w, 1));
            Throughput b = throughput.get(new Key("logback-logstash", w, 1));
            if (a != null && b != null) {
                target(md, "capture path throughput >= Logback + logstash encoder's (" + w + ")",
                        ratio(a.median() / b.median()), a.median() >= b.median());
            }
        }
        if (memory != null) {
            target(md, "heap bounded under 10 x overload", String.format(Locale.ROOT, "%.1f MiB <= %.1f MiB",
                    memory.get("heapGrowthBytes").asLong() / 1048576.0,
                    memory.get("boundBytes").asLong() / 1048576.0), memory.get("withinBound").asBoolean());
        }

        if (!samples.isEmpty()) {
            md.append("\n### The line each configuration writes (constant workload)\n\n```\n");
            samples.forEach((c, line) -> md.append(line).append('\n'));
            md.append("```\n");
        }
        md.append(END).append('\n');
        return md.toString();
    }

    private static void latencyTable(StringBuilder md, Map<Key, Latency> rows, int mdc) {
        md.append("| workload | configuration | mean | p50 | p99 | p99.9 | caller B | samples |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (String w : List.of("constant", "varied")) {
            for (String c : CONFIGS) {
                Latency l = rows.get(new Key(c, w, mdc));
                if (l != null) {
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.0f | %,d |%n", w,
                            LABELS.get(c), ns(l.mean()), ns(l.p50()), ns(l.p99()), ns(l.p999()), l.callerBytes(),
                            l.samples()));
                }
            }
        }
        Latency args = rows.get(new Key("argumentsOnly", "constant", 0));
        if (args != null) {
            md.append(String.format(Locale.ROOT, "| constant | arguments only (baseline) | %s | %s | %s | %s | %.0f | "
                    + "%,d |%n", ns(args.mean()), ns(args.p50()), ns(args.p99()), ns(args.p999()), args.callerBytes(),
                    args.samples()));
        }
    }

    private static String ms(double micros) {
        if (Double.isNaN(micros)) {
            return "-";
        }
        return micros >= 10_000 ? String.format(Locale.ROOT, "%,.0f", micros / 1000)
                : String.format(Locale.ROOT, "%.2f", micros / 1000);
    }

    private static void target(StringBuilder md, String what, String measured, boolean met) {
        md.append("| ").append(what).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    private static String ns(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.2f x", r);
    }

    private static void writeSection(Path markdown, String section) throws IOException {
        String existing = Files.exists(markdown) ? Files.readString(markdown) : "";
        int start = existing.indexOf(START);
        int end = existing.indexOf(END);
        String updated;
        if (start >= 0 && end > start) {
            updated = existing.substring(0, start) + section + existing.substring(end + END.length()).replaceFirst(
                    "^\\n", "");
        }
        else {
            updated = existing.isEmpty() ? section : existing + "\n" + section;
        }
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, updated);
    }

    // ------------------------------------------------------------------ chart

    static BufferedImage chart(Map<Integer, Map<Key, Latency>> latency, Map<Key, Throughput> throughput,
            Map<String, String> env) {
        int width = 1400;
        int height = 1000;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("persistence-log vs Log4j2 and Logback, 1 producer (" + env.getOrDefault("date", "?")
                + "; shared 2 cores, load " + firstLoad(env.get("load.before")) + " -> "
                + firstLoad(env.get("load.after")) + ")", 30, 34);
        int legendBottom = legend(g, 30, 52, width - 60);

        Map<Key, Latency> t1 = latency.getOrDefault(1, Map.of());
        List<String> groups = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        List<double[]> tput = new ArrayList<>();
        for (String w : List.of("constant", "varied")) {
            double[] l = new double[CONFIGS.size()];
            double[] t = new double[CONFIGS.size()];
            for (int c = 0; c < CONFIGS.size(); c++) {
                Latency x = t1.get(new Key(CONFIGS.get(c), w, 0));
                l[c] = x == null ? Double.NaN : x.p99();
                Throughput y = throughput.get(new Key(CONFIGS.get(c), w, 1));
                t[c] = y == null ? Double.NaN : y.median();
            }
            groups.add(w + " workload");
            p99.add(l);
            tput.add(t);
        }
        int top = legendBottom + 10;
        int panel = (height - top - 20) / 2;
        bars(g, 30, top, width - 60, panel, "Caller p99 per call, ns (log scale; lower is better)", groups, p99,
                PALETTE, true, "%,.0f");
        bars(g, 30, top + panel + 10, width - 60, panel,
                "End-to-end throughput to the file, events/s (higher is better)", groups, tput, PALETTE, false,
                "%,.0f");
        g.dispose();
        return image;
    }

    private static String firstLoad(String load) {
        return load == null ? "?" : load.split(",")[0].strip();
    }

    private static int legend(Graphics2D g, int x, int y, int maxWidth) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int cx = x;
        int cy = y;
        for (int i = 0; i < CONFIGS.size(); i++) {
            String label = LABELS.get(CONFIGS.get(i));
            int w = g.getFontMetrics().stringWidth(label) + 46;
            if (cx + w > x + maxWidth) {
                cx = x;
                cy += 22;
            }
            g.setColor(PALETTE.get(i));
            g.fillRect(cx, cy, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(label, cx + 22, cy + 13);
            cx += w;
        }
        return cy + 22;
    }

    private static void bars(Graphics2D g, int x, int y, int w, int h, String title, List<String> groups,
            List<double[]> values, List<Color> colors, boolean log, String format) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, x, y + 16);
        int left = x + 70;
        int top = y + 40;
        int bottom = y + h - 40;
        int right = x + w - 10;
        double max = 0;
        double min = Double.MAX_VALUE;
        for (double[] row : values) {
            for (double v : row) {
                if (!Double.isNaN(v) && v > 0) {
                    max = Math.max(max, v);
                    min = Math.min(min, v);
                }
            }
        }
        if (max == 0) {
            return;
        }
        double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        List<Double> ticks = new ArrayList<>();
        if (log) {
            for (double t = lo; t <= hi * 1.001; t *= 10) {
                ticks.add(t);
            }
        }
        else {
            for (int i = 0; i <= 5; i++) {
                ticks.add(hi * i / 5);
            }
        }
        for (double t : ticks) {
            int ty = scale(t, lo, hi, log, top, bottom);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(left, ty, right, ty);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", t);
            g.drawString(label, left - 6 - fm.stringWidth(label), ty + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, bottom, right, bottom);
        int groupWidth = (right - left) / Math.max(1, groups.size());
        int barWidth = Math.max(4, (groupWidth - 16) / Math.max(1, colors.size()));
        for (int i = 0; i < groups.size(); i++) {
            int gx = left + i * groupWidth + 8;
            double[] row = values.get(i);
            for (int f = 0; f < row.length; f++) {
                double v = row[f];
                if (Double.isNaN(v) || v <= 0) {
                    continue;
                }
                int by = scale(Math.max(v, lo), lo, hi, log, top, bottom);
                int bx = gx + f * barWidth;
                g.setColor(colors.get(f));
                g.fillRect(bx, by, barWidth - 2, bottom - by);
                g.setColor(Color.BLACK);
                String label = String.format(Locale.ROOT, format, v);
                if (fm.stringWidth(label) <= barWidth + 8) {
                    g.drawString(label, bx + (barWidth - 2 - fm.stringWidth(label)) / 2, by - 3);
                }
                else {
                    Graphics2D rotated = (Graphics2D) g.create();
                    rotated.translate(bx + barWidth / 2 + 4, by - 4);
                    rotated.rotate(-Math.PI / 2);
                    rotated.drawString(label, 0, 0);
                    rotated.dispose();
                }
            }
            String name = groups.get(i);
            g.drawString(name, gx + (groupWidth - 16 - fm.stringWidth(name)) / 2, bottom + 18);
        }
    }

    private static int scale(double v, double lo, double hi, boolean log, int top, int bottom) {
        double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return (int) Math.round(bottom - f * (bottom - top));
    }

    private static double niceCeiling(double v) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
            if (step * magnitude >= v * 1.12) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
