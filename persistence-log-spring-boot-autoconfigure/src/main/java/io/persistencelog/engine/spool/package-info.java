/**
 * The durable spool: when a network backend is down or slow its entries go to checksummed segment files
 * on disk and are replayed, in order, once it recovers, also after a restart.
 */
@NullMarked
package io.persistencelog.engine.spool;

import org.jspecify.annotations.NullMarked;
