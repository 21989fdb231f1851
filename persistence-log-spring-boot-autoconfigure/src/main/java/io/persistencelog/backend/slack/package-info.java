/**
 * The built-in {@code slack} backend: alerts posted to a Slack incoming webhook, bursts summarised into one
 * message and paced to Slack's rate limit.
 */
@NullMarked
package io.persistencelog.backend.slack;

import org.jspecify.annotations.NullMarked;
