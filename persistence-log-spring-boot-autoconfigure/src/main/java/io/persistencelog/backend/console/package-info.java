/** The built-in `console` backend. */
@NullMarked
package io.persistencelog.backend.console;

import org.jspecify.annotations.NullMarked;
