/** The Spring side of the kafka backend: SSL bundles for the log producer. */
@NullMarked
package io.persistencelog.backend.kafka.spring;

import org.jspecify.annotations.NullMarked;
