/** Ahead-of-time processing and native-image hints of the starter. */
@NullMarked
package io.persistencelog.autoconfigure.aot;

import org.jspecify.annotations.NullMarked;
