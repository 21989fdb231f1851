package io.persistencelog.backend.prometheus;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a real scrape of a {@link PrometheusMeterRegistry} (the Prometheus text format). */
public final class PrometheusScrape {

    /** One sample line, e.g. {@code name{level="error",logger="a"} 4.0}. */
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)\\{([^}]*)\\} (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private PrometheusScrape() {
    }

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public static List<Sample> scrape(PrometheusMeterRegistry registry, String metric) {
        return registry.scrape().lines().map(SAMPLE::matcher).filter(Matcher::matches)
                .filter(m -> m.group(1).equals(metric))
                .map(m -> {
                    Map<String, String> labels = new HashMap<>();
                    Matcher l = LABEL.matcher(m.group(2));
                    while (l.find()) {
                        labels.put(l.group(1), l.group(2));
                    }
                    return new Sample(m.group(1), labels, Double.parseDouble(m.group(3)));
                })
                .toList();
    }

    /** Sum of the samples' values by one label's value. */
    public static Map<String, Double> sumBy(List<Sample> samples, String label) {
        Map<String, Double> sums = new HashMap<>();
        for (Sample s : samples) {
            sums.merge(s.labels().get(label), s.value(), Double::sum);
        }
        return sums;
    }
}
