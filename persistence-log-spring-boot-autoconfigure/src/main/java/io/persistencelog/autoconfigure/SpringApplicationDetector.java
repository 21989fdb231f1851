package io.persistencelog.autoconfigure;

import io.persistencelog.engine.PipelineHolder;
import org.springframework.boot.context.event.ApplicationStartingEvent;
import org.springframework.context.ApplicationListener;

/**
 * Tells the engine this JVM runs a Spring Boot application, so an early {@code AppLogger} call never builds
 * the standalone pipeline meant for plain {@code main} programs.
 */
class SpringApplicationDetector implements ApplicationListener<ApplicationStartingEvent> {

    @Override
    public void onApplicationEvent(ApplicationStartingEvent event) {
        PipelineHolder.markSpringManaged();
    }
}
