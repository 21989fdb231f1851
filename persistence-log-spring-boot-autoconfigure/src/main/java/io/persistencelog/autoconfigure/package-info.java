/** Spring Boot auto-configuration, properties, endpoint and health of persistence-log. */
@NullMarked
package io.persistencelog.autoconfigure;

import org.jspecify.annotations.NullMarked;
