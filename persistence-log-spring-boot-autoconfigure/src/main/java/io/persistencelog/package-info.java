/** Public API of persistence-log: loggers, entries, backends, registry and handler. */
@NullMarked
package io.persistencelog;

import org.jspecify.annotations.NullMarked;
