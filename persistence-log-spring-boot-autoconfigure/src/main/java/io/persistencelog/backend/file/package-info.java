/** The built-in `file` backend. */
@NullMarked
package io.persistencelog.backend.file;

import org.jspecify.annotations.NullMarked;
