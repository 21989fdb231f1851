/**
 * The {@code logsearch} actuator endpoint and the explorer page: Spring adapters over
 * {@link io.persistencelog.search.LogSearch}.
 */
@NullMarked
package io.persistencelog.autoconfigure.search;

import org.jspecify.annotations.NullMarked;
