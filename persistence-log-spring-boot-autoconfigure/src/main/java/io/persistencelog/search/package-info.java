/**
 * Search over the weekly JSON files the file backend writes: newest first, streaming, with bounded memory.
 * Free of Spring types so it runs (and is tested and benchmarked) on its own; the actuator endpoint and the
 * explorer page in {@code io.persistencelog.autoconfigure.search} only adapt it.
 */
@NullMarked
package io.persistencelog.search;

import org.jspecify.annotations.NullMarked;
