package io.persistencelog.standalone;

import io.persistencelog.BackendContext;
import io.persistencelog.config.BackendProviders;
import io.persistencelog.config.ConsoleEchoProperties;
import io.persistencelog.config.LogPersistenceProperties;
import io.persistencelog.config.PipelineAssembly;
import io.persistencelog.config.ResilienceProperties;
import io.persistencelog.config.SettingsSource;
import io.persistencelog.config.SpoolProperties;
import io.persistencelog.engine.AsyncPersistencePipeline;
import io.persistencelog.engine.DefaultBackendRegistry;
import java.time.Clock;
import java.util.Optional;

/**
 * Builds the pipeline a plain {@code main} uses: the same settings records, providers and assembly as the
 * Spring auto-configuration, bound from system properties and environment variables.
 */
public final class StandalonePipeline {

    private StandalonePipeline() {
    }

    /** The started pipeline of this JVM's system properties and environment variables. */
    public static AsyncPersistencePipeline fromEnvironment() {
        AsyncPersistencePipeline pipeline = build(SettingsSource.system(),
                BackendProviders.load(StandalonePipeline.class.getClassLoader()), Clock.systemUTC());
        pipeline.start();
        return pipeline;
    }

    /** The pipeline of the given settings, not yet started. */
    public static AsyncPersistencePipeline build(SettingsSource source, BackendProviders providers, Clock clock) {
        return PipelineAssembly.build(source, providers, clock);
    }
}
