package io.persistencelog.config;

import io.persistencelog.engine.ConsoleEchoMode;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How AppLogger calls reach the console.
 *
 * @param consoleEcho How AppLogger calls are echoed to the console: "async" (default: the pipeline's echo
 *     thread hands each call to the logger's Logback appenders with the caller's thread name, the entry's
 *     timestamp and MDC, so the caller pays only the enqueue), "sync" (the calling thread writes the line
 *     before returning, so console order matches call order exactly, at the cost of formatting and writing
 *     it on the caller's thread) or "off" (backends only)
 */
@ConfigurationProperties("log-persistence")
public record ConsoleEchoProperties(@DefaultValue("async") ConsoleEchoMode consoleEcho) {
}
