/**
 * The pipeline of a plain {@code main} (no Spring context): built on the first persisted call from system
 * properties and environment variables, drained by a JVM shutdown hook. Sits above the engine.
 */
@NullMarked
package io.persistencelog.standalone;

import org.jspecify.annotations.NullMarked;
