/**
 * Shared support for backends and the engine: the entry built on the caller's thread, the JSON line
 * encoder (bounded values, safe text), redaction and the process-wide secrets masker. Depends only on the
 * public API.
 */
@NullMarked
package io.persistencelog.codec;

import org.jspecify.annotations.NullMarked;
