package io.persistencelog;

import java.util.BitSet;
import org.jspecify.annotations.Nullable;

/** Outcome of {@link LogBackend#writeBatch}: which entries of the batch failed, and why. */
public final class BatchResult {

    private final int size;
    private final @Nullable BitSet failed;
    private final @Nullable BitSet permanent;
    private final @Nullable String failureReason;

    private BatchResult(int size, @Nullable BitSet failed, @Nullable BitSet permanent, @Nullable String failureReason) {
        this.size = size;
        this.failed = failed;
        this.permanent = permanent;
        this.failureReason = failureReason;
    }

    public static BatchResult persisted(int size) {
        return new BatchResult(size, null, null, null);
    }

    public static BatchResult failed(int size, String reason) {
        BitSet all = new BitSet(size);
        all.set(0, size);
        return new BatchResult(size, all, null, reason);
    }

    public static Builder builder(int size) {
        return new Builder(size);
    }

    public int size() {
        return size;
    }

    public int failedCount() {
        return failed == null ? 0 : failed.cardinality();
    }

    public int persistedCount() {
        return size - failedCount();
    }

    public boolean isFailed(int index) {
        return failed != null && failed.get(index);
    }

    /**
     * Whether the entry failed for good: the destination refused it (e.g. HTTP 400 or 413), so retrying or
     * spooling it would only fail again. The pipeline neither retries nor spools such entries.
     */
    public boolean isPermanent(int index) {
        return permanent != null && permanent.get(index);
    }

    /** Whether every failed entry failed for good (true when nothing failed). */
    public boolean allFailuresPermanent() {
        if (failed == null) {
            return true;
        }
        BitSet transientFailures = (BitSet) failed.clone();
        if (permanent != null) {
            transientFailures.andNot(permanent);
        }
        return transientFailures.isEmpty();
    }

    /** Why the last failed entry failed; null when all were persisted. Must not contain secrets. */
    public @Nullable String failureReason() {
        return failureReason;
    }

    /** Collects per-entry failures. */
    public static final class Builder {
        private final int size;
        private @Nullable BitSet failed;
        private @Nullable BitSet permanent;
        private @Nullable String reason;

        private Builder(int size) {
            this.size = size;
        }

        public Builder failed(int index, String why) {
            BitSet set = failed;
            if (set == null) {
                set = new BitSet(size);
                failed = set;
            }
            set.set(index);
            reason = why;
            return this;
        }

        /** The entry failed for good (see {@link BatchResult#isPermanent}). */
        public Builder rejected(int index, String why) {
            failed(index, why);
            BitSet set = permanent;
            if (set == null) {
                set = new BitSet(size);
                permanent = set;
            }
            set.set(index);
            return this;
        }

        public BatchResult build() {
            return new BatchResult(size, failed, permanent, reason);
        }
    }
}
