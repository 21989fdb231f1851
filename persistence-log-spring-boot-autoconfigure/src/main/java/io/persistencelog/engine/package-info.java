/**
 * The asynchronous pipeline: entries, the bounded queue, the dispatcher, one lane per backend, JSON
 * encoding and accounting. Free of Spring types so it runs (and is tested) on its own.
 */
@NullMarked
package io.persistencelog.engine;

import org.jspecify.annotations.NullMarked;
