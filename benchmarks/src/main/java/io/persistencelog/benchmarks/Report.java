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
 * Turns the JMH JSON results (and the overload check's JSON) into a chart PNG and a markdown section with
 * the tables and the target verdicts. Every figure is the median over forks of a per-fork figure, because
 * this machine is shared and noisy.
 *
 * <p>Usage: {@code Report <results-dir> <chart.png> <markdown-file>}. The results directory holds
 * {@code latency-t1.json}, {@code latency-t2.json}, {@code throughput.json}, {@code memory.json},
 * {@code env.properties} and {@code sample-<framework>.txt}. When the markdown file contains the markers
 * {@code <!-- benchmark-results:start -->} and {@code <!-- benchmark-results:end -->}, only the text
 * between them is replaced; otherwise the whole file is written.
 */
public final class Report {

    static final String START = "<!-- benchmark-results:start -->";
    static final String END = "<!-- benchmark-results:end -->";
    static final List<String> FRAMEWORKS = List.of("starter", "log4j2", "logback");
    static final Map<String, String> LABELS = Map.of("starter", "persistence-log (this starter)", "log4j2",
            "Log4j2 async loggers", "logback", "Logback AsyncAppender", "argumentsOnly",
            "arguments only (baseline)");
    static final Map<String, Color> COLORS = Map.of("starter", new Color(0x1B9E77), "log4j2", new Color(0xD95F02),
            "logback", new Color(0x7570B3));

    private Report() {
    }

    /** Median-of-forks figures of one latency benchmark at one thread count. */
    record Latency(double mean, double p50, double p99, double p999, double callerBytes, double allocNorm,
            int forks, long samples) {
    }

    /** Median-of-forks throughput, with the slowest and fastest fork. */
    record Throughput(double median, double min, double max, int forks) {
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "benchmarks/results");
        Path chart = Path.of(args.length > 1 ? args[1] : "docs/benchmark.png");
        Path markdown = Path.of(args.length > 2 ? args[2] : "docs/performance.md");
        JsonMapper json = JsonMapper.builder().build();

        Map<Integer, Map<String, Latency>> latency = new TreeMap<>();
        for (int threads : new int[] {1, 2}) {
            Path file = results.resolve("latency-t" + threads + ".json");
            if (Files.exists(file)) {
                latency.put(threads, latencies(json.readTree(file.toFile())));
            }
        }
        Map<Integer, Map<String, Throughput>> throughput = new TreeMap<>();
        Path throughputFile = results.resolve("throughput.json");
        if (Files.exists(throughputFile)) {
            throughput = throughputs(json.readTree(throughputFile.toFile()));
        }
        JsonNode memory = null;
        Path memoryFile = results.resolve("memory.json");
        if (Files.exists(memoryFile)) {
            memory = json.readTree(memoryFile.toFile());
        }
        Map<String, String> env = readEnv(results.resolve("env.properties"));
        Map<String, String> samples = new LinkedHashMap<>();
        for (String f : FRAMEWORKS) {
            Path sample = results.resolve("sample-" + f + ".txt");
            if (Files.exists(sample)) {
                samples.put(f, Files.readString(sample).strip());
            }
        }

        String section = markdown(latency, throughput, memory, env, samples, chart, markdown);
        Files.createDirectories(chart.toAbsolutePath().getParent());
        ImageIO.write(chart(latency, throughput), "png", chart.toFile());
        writeSection(markdown, section);
        Files.writeString(results.resolve("summary.md"), section);
        System.out.println(section);
    }

    // ------------------------------------------------------------------ reading JMH results

    static Map<String, Latency> latencies(JsonNode root) {
        Map<String, Latency> byFramework = new LinkedHashMap<>();
        for (JsonNode result : root) {
            String name = method(result);
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

    static Map<Integer, Map<String, Throughput>> throughputs(JsonNode root) {
        Map<Integer, Map<String, Throughput>> byProducers = new TreeMap<>();
        for (JsonNode result : root) {
            int producers = result.path("params").path("producers").asInt(1);
            List<Double> eventsPerSecond = new ArrayList<>();
            for (double nanosPerEvent : forkMeans(result.get("primaryMetric").get("rawData"))) {
                eventsPerSecond.add(1e9 / nanosPerEvent);
            }
            double min = eventsPerSecond.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
            double max = eventsPerSecond.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
            byProducers.computeIfAbsent(producers, p -> new LinkedHashMap<>()).put(method(result),
                    new Throughput(median(eventsPerSecond), min, max, eventsPerSecond.size()));
        }
        return byProducers;
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

    static String markdown(Map<Integer, Map<String, Latency>> latency, Map<Integer, Map<String, Throughput>> throughput,
            JsonNode memory, Map<String, String> env, Map<String, String> samples, Path chart, Path markdown) {
        StringBuilder md = new StringBuilder();
        md.append(START).append('\n');
        md.append("_Generated by `benchmarks/run.sh` on ").append(env.getOrDefault("date", "?"))
                .append("; do not edit by hand._\n\n");
        md.append("| | |\n| --- | --- |\n");
        md.append("| machine | ").append(env.getOrDefault("cpu", "?")).append(", ")
                .append(env.getOrDefault("cores", "?")).append(" cores, ").append(env.getOrDefault("memory", "?"))
                .append(" |\n");
        md.append("| JDK | ").append(env.getOrDefault("java", "?")).append(" |\n");
        md.append("| versions | ").append(env.getOrDefault("versions", "?")).append(" |\n");
        md.append("| load (`uptime`) before / after | ").append(env.getOrDefault("load.before", "?"))
                .append(" / ").append(env.getOrDefault("load.after", "?")).append(" |\n");
        md.append("| command | `").append(env.getOrDefault("command", "benchmarks/run.sh")).append("` |\n");
        md.append("| JMH | ").append(env.getOrDefault("jmh", "?")).append(" |\n\n");

        Path relativeChart = markdown.toAbsolutePath().getParent().relativize(chart.toAbsolutePath());
        md.append("![benchmark chart](").append(relativeChart.toString().replace('\\', '/')).append(")\n\n");

        md.append("### Caller latency (ns per call, paced so that no queue fills; median of forks)\n\n");
        md.append("| producers | framework | mean | p50 | p99 | p99.9 | samples |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
        latency.forEach((threads, byFramework) -> {
            for (String f : FRAMEWORKS) {
                Latency l = byFramework.get(f);
                if (l != null) {
                    md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %,d |%n", threads,
                            LABELS.get(f), ns(l.mean()), ns(l.p50()), ns(l.p99()), ns(l.p999()), l.samples()));
                }
            }
        });

        md.append("\n### End-to-end throughput (events per second until all are in the file; lines counted)\n\n");
        md.append("| producers | framework | median | slowest fork | fastest fork |\n");
        md.append("| ---: | --- | ---: | ---: | ---: |\n");
        throughput.forEach((producers, byFramework) -> {
            for (String f : FRAMEWORKS) {
                Throughput t = byFramework.get(f);
                if (t != null) {
                    md.append(String.format(Locale.ROOT, "| %d | %s | %,.0f | %,.0f | %,.0f |%n", producers,
                            LABELS.get(f), t.median(), t.min(), t.max()));
                }
            }
        });

        md.append("\n### Allocation per call (bytes)\n\n");
        md.append("| producers | framework | caller thread | all threads (`-prof gc` gc.alloc.rate.norm) |\n");
        md.append("| ---: | --- | ---: | ---: |\n");
        latency.forEach((threads, byFramework) -> {
            for (String f : List.of("starter", "log4j2", "logback", "argumentsOnly")) {
                Latency l = byFramework.get(f);
                if (l != null) {
                    md.append(String.format(Locale.ROOT, "| %d | %s | %.0f | %.0f |%n", threads, LABELS.get(f),
                            l.callerBytes(), l.allocNorm()));
                }
            }
        });
        md.append("\n`arguments only` is what the starter's call site allocates before the logger runs: the "
                + "varargs array (40 B) and the boxed int and long (16 B + 24 B). The other frameworks box the "
                + "same two values; Log4j2 needs no array (it has 3-parameter overloads).\n");

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
        latency.forEach((threads, byFramework) -> {
            Latency s = byFramework.get("starter");
            Latency l4 = byFramework.get("log4j2");
            Latency lb = byFramework.get("logback");
            if (s != null && l4 != null) {
                target(md, "caller p99 <= Log4j2's (" + threads + " producer" + (threads > 1 ? "s" : "") + ")",
                        ns(s.p99()) + " vs " + ns(l4.p99()) + " ns", s.p99() <= l4.p99());
            }
            if (s != null && lb != null) {
                target(md, "caller mean <= half of Logback's (" + threads + " producer" + (threads > 1 ? "s" : "")
                        + ")", ns(s.mean()) + " vs " + ns(lb.mean()) + " ns (" + ratio(s.mean() / lb.mean()) + ")",
                        s.mean() <= lb.mean() / 2);
            }
        });
        throughput.forEach((producers, byFramework) -> {
            Throughput s = byFramework.get("starter");
            Throughput l4 = byFramework.get("log4j2");
            Throughput lb = byFramework.get("logback");
            String who = " (" + producers + " producer" + (producers > 1 ? "s" : "") + ")";
            if (s != null && l4 != null) {
                target(md, "throughput >= 1.2 x Log4j2's" + who, ratio(s.median() / l4.median()),
                        s.median() >= 1.2 * l4.median());
            }
            if (s != null && lb != null) {
                target(md, "throughput >= 2 x Logback's" + who, ratio(s.median() / lb.median()),
                        s.median() >= 2 * lb.median());
            }
        });
        latency.forEach((threads, byFramework) -> {
            Latency s = byFramework.get("starter");
            Latency args = byFramework.get("argumentsOnly");
            if (s != null && args != null) {
                double own = s.callerBytes() - args.callerBytes();
                target(md, "caller allocation <= 64 B per call beyond the arguments (" + threads + " producer"
                        + (threads > 1 ? "s" : "") + ")", String.format(Locale.ROOT, "%.0f B (%.0f total - %.0f "
                        + "arguments)", own, s.callerBytes(), args.callerBytes()), own <= 64);
            }
        });
        if (memory != null) {
            target(md, "heap bounded under 10 x overload", String.format(Locale.ROOT, "%.1f MiB <= %.1f MiB",
                    memory.get("heapGrowthBytes").asLong() / 1048576.0,
                    memory.get("boundBytes").asLong() / 1048576.0), memory.get("withinBound").asBoolean());
        }

        if (!samples.isEmpty()) {
            md.append("\n### The line each framework writes\n\n```\n");
            samples.forEach((f, line) -> md.append(line).append('\n'));
            md.append("```\n");
        }
        md.append(END).append('\n');
        return md.toString();
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

    static BufferedImage chart(Map<Integer, Map<String, Latency>> latency,
            Map<Integer, Map<String, Throughput>> throughput) {
        int width = 1400;
        int height = 980;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("persistence-log vs Log4j2 async loggers vs Logback AsyncAppender (median of forks)", 30, 34);
        legend(g, 30, 52);

        // Latency: one group per (producers, statistic), log scale.
        List<String> groups = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        latency.forEach((threads, byFramework) -> {
            String[] names = {"mean", "p50", "p99", "p99.9"};
            for (int k = 0; k < names.length; k++) {
                double[] row = new double[FRAMEWORKS.size()];
                for (int f = 0; f < FRAMEWORKS.size(); f++) {
                    Latency l = byFramework.get(FRAMEWORKS.get(f));
                    row[f] = l == null ? Double.NaN : switch (k) {
                        case 0 -> l.mean();
                        case 1 -> l.p50();
                        case 2 -> l.p99();
                        default -> l.p999();
                    };
                }
                groups.add(names[k] + " / " + threads + "p");
                values.add(row);
            }
        });
        bars(g, 30, 80, width - 60, 430, "Caller latency per call, ns (log scale; lower is better)", groups, values,
                true, "%,.0f");

        List<String> tGroups = new ArrayList<>();
        List<double[]> tValues = new ArrayList<>();
        throughput.forEach((producers, byFramework) -> {
            double[] row = new double[FRAMEWORKS.size()];
            for (int f = 0; f < FRAMEWORKS.size(); f++) {
                Throughput t = byFramework.get(FRAMEWORKS.get(f));
                row[f] = t == null ? Double.NaN : t.median();
            }
            tGroups.add(producers + " producer" + (producers > 1 ? "s" : ""));
            tValues.add(row);
        });
        bars(g, 30, 540, 820, 410, "End-to-end throughput, events/s (higher is better)", tGroups, tValues, false,
                "%,.0f");

        List<String> aGroups = new ArrayList<>();
        List<double[]> aValues = new ArrayList<>();
        latency.forEach((threads, byFramework) -> {
            double[] row = new double[FRAMEWORKS.size()];
            for (int f = 0; f < FRAMEWORKS.size(); f++) {
                Latency l = byFramework.get(FRAMEWORKS.get(f));
                row[f] = l == null ? Double.NaN : l.callerBytes();
            }
            aGroups.add(threads + "p");
            aValues.add(row);
        });
        bars(g, 880, 540, width - 910, 410, "Caller-thread bytes per call", aGroups, aValues, false, "%,.0f");
        g.dispose();
        return image;
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        int cx = x;
        for (String f : FRAMEWORKS) {
            g.setColor(COLORS.get(f));
            g.fillRect(cx, y, 16, 16);
            g.setColor(Color.BLACK);
            g.drawString(LABELS.get(f), cx + 22, y + 14);
            cx += g.getFontMetrics().stringWidth(LABELS.get(f)) + 50;
        }
    }

    private static void bars(Graphics2D g, int x, int y, int w, int h, String title, List<String> groups,
            List<double[]> values, boolean log, String format) {
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
        int barWidth = Math.max(4, (groupWidth - 16) / FRAMEWORKS.size());
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
                g.setColor(COLORS.get(FRAMEWORKS.get(f)));
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
