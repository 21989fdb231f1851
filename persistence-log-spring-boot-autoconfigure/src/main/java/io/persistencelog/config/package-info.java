/**
 * The one configuration model: settings records bound by Spring Boot's {@code Binder} in both modes, the
 * backend providers, and the assembly of the pipeline from them. Spring's binding types live here and in
 * the auto-configuration, never in the engine.
 */
@NullMarked
package io.persistencelog.config;

import org.jspecify.annotations.NullMarked;
