package io.persistencelog.engine;

/**
 * What a lane receives: a batch to write, or (when the lane was full) a note that the batch was dropped
 * for this lane, so the lane settles its books in queue order.
 */
record Delivery(Batch batch, boolean droppedHere) {
}
