/**
 * The {@code datadog} backend: sends entries to Datadog's Logs HTTP intake (v2) as gzip-compressed JSON
 * arrays, within Datadog's size limits, with retries for transient failures. Free of Spring types.
 */
@NullMarked
package io.persistencelog.backend.datadog;

import org.jspecify.annotations.NullMarked;
