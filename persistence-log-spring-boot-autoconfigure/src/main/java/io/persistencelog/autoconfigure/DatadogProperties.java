package io.persistencelog.autoconfigure;

import io.persistencelog.engine.Secrets;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Datadog backend ({@code datadog} in LOG_BACKENDS / log-persistence.backends).
 *
 * @param apiKey Datadog API key; when unset, the DD_API_KEY environment variable is used. Required when the
 *     datadog backend is selected; never shown in logs, the endpoint or exceptions
 * @param site Datadog site whose intake receives the logs: datadoghq.com, us3.datadoghq.com,
 *     us5.datadoghq.com, datadoghq.eu, uk1.datadoghq.com, ap1.datadoghq.com, ap2.datadoghq.com, ddog-gov.com or
 *     us2.ddog-gov.com; when unset, the DD_SITE environment variable, else datadoghq.com
 * @param url Full intake URL, overriding the one derived from the site (a proxy, a test server)
 * @param service Value of the service attribute of every log; when unset, DD_SERVICE, else spring.application.name, else
 *     "app"
 * @param source Value of the ddsource attribute of every log, which picks Datadog's integration pipeline
 * @param tags Tags added to every log (ddtags), e.g. "env:prod,team:payments"; env and version are added
 *     from DD_ENV and DD_VERSION, and the tags of DD_TAGS, when their keys are not listed
 * @param hostname Value of the hostname attribute of every log; when unset, DD_HOSTNAME, else this machine's
 *     name
 * @param connectTimeout How long to wait for a connection to the intake
 * @param requestTimeout How long to wait for the intake's answer to one request
 * @param maxRetries How often one request is retried after a 408, 429, 5xx or a connection failure; 0 never
 *     retries
 * @param backoff Wait before the first retry, doubled for each further retry, with jitter
 * @param maxBackoff Longest wait between two attempts; also caps a server's Retry-After
 * @param batchWait How long logs may wait to fill a request of up to 1000 logs before it is sent anyway
 * @param rejectedPause After Datadog rejected the API key (401, 403), how long nothing is sent before one request
 *     probes again; 0 probes with every batch
 */
@ConfigurationProperties("log-persistence.datadog")
public record DatadogProperties(
        @Nullable String apiKey,
        @Nullable String site,
        @Nullable URI url,
        @Nullable String service,
        @DefaultValue("java") String source,
        @DefaultValue List<String> tags,
        @Nullable String hostname,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("10s") Duration requestTimeout,
        @DefaultValue("5") int maxRetries,
        @DefaultValue("500ms") Duration backoff,
        @DefaultValue("30s") Duration maxBackoff,
        @DefaultValue("3s") Duration batchWait,
        @DefaultValue("5m") Duration rejectedPause) {

    @Override
    public String toString() {
        return "DatadogProperties[apiKey=" + Secrets.describe(apiKey) + ", site=" + site + ", url="
                + (url == null ? null : Secrets.mask(url.getScheme() + "://" + url.getHost()
                        + (url.getPort() == -1 ? "" : ":" + url.getPort()) + url.getRawPath()))
                + ", service=" + service + ", source=" + source + ", tags=" + tags + ", hostname=" + hostname
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + ", maxRetries="
                + maxRetries + ", backoff=" + backoff + ", maxBackoff=" + maxBackoff + ", batchWait=" + batchWait
                + ", rejectedPause=" + rejectedPause + "]";
    }
}
