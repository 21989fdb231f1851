/**
 * The built-in {@code prometheus} backend: counts log entries in Micrometer counters tagged by level and
 * (bounded) logger, scraped through whatever {@code MeterRegistry} the application has.
 */
@NullMarked
package io.persistencelog.backend.prometheus;

import org.jspecify.annotations.NullMarked;
