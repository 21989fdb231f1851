/**
 * Capture of the application's own SLF4J/Logback logging: a Logback appender that turns events into
 * {@link io.persistencelog.LogEntry entries} for the pipeline. Logback types are allowed here, Spring types
 * are not.
 */
@NullMarked
package io.persistencelog.capture;

import org.jspecify.annotations.NullMarked;
