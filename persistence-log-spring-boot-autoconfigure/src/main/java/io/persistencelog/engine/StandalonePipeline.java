package io.persistencelog.engine;

import io.persistencelog.BackendNames;
import io.persistencelog.backend.console.ConsoleBackend;
import io.persistencelog.backend.datadog.DatadogBackend;
import io.persistencelog.backend.datadog.DatadogSettings;
import io.persistencelog.backend.file.FileBackend;
import io.persistencelog.backend.file.FileBackendSettings;
import io.persistencelog.backend.slack.SlackBackend;
import io.persistencelog.backend.slack.SlackSettings;
import io.persistencelog.backend.kafka.KafkaBackendSettings;
import io.persistencelog.backend.kafka.KafkaLoopGuard;

/** Builds the pipeline a plain {@code main} uses, from system properties and environment variables. */
final class StandalonePipeline {

    private StandalonePipeline() {
    }

    static AsyncPersistencePipeline fromEnvironment() {
        EnvironmentSettings env = EnvironmentSettings.current();
        PipelineSettings settings = env.pipelineSettings();
        DefaultBackendRegistry registry = new DefaultBackendRegistry(
                BackendNames.select(env.variable("LOG_BACKENDS"), env.get("log-persistence.backends")));
        FileBackendSettings fileSettings = FileBackendSettings.fromEnvironment(env, settings.maxValueLength());
        registry.register(BackendNames.FILE, () -> new FileBackend(fileSettings));
        registry.register(BackendNames.CONSOLE, () -> new ConsoleBackend(System.out, settings.maxValueLength()));
        // Read (and validated) only when datadog is selected: a missing DD_API_KEY fails only then.
        registry.register(BackendNames.DATADOG,
                () -> new DatadogBackend(DatadogSettings.fromEnvironment(env, settings.maxValueLength())));
        // Built only when selected; throws naming SLACK_WEBHOOK_URL when the webhook is missing.
        registry.register(BackendNames.SLACK, () -> new SlackBackend(SlackSettings.fromEnvironment(env)));
        registerKafka(registry, env, settings);
        AsyncPersistencePipeline pipeline = new AsyncPersistencePipeline(settings, registry);
        pipeline.setRedactor(env.redactor());
        pipeline.setGuardSettings(env.guardSettings(settings.maxValueLength()));
        pipeline.setConsoleEcho(ConsoleEchoMode.parse(env.get(ConsoleEchoMode.PROPERTY), ConsoleEchoMode.PROPERTY));
        pipeline.start();
        return pipeline;
    }

    /** The kafka backend needs kafka-clients; without it, selecting {@code kafka} reports why it is missing. */
    private static void registerKafka(DefaultBackendRegistry registry, EnvironmentSettings env,
            PipelineSettings settings) {
        if (!registry.selectedNames().contains(BackendNames.KAFKA)) {
            return;
        }
        if (!KafkaLoopGuard.kafkaClientsPresent(StandalonePipeline.class.getClassLoader())) {
            registry.register(KafkaBackendSettings.unavailableFactory());
            return;
        }
        KafkaBackendSettings kafka = KafkaBackendSettings.fromEnvironment(env, System.getProperties(), System.getenv(),
                settings.maxValueLength(), settings.shutdownTimeout());
        registry.register(KafkaBackendSettings.factory(kafka));
    }
}
