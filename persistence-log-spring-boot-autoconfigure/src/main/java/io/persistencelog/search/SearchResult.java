package io.persistencelog.search;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a search found.
 *
 * @param entries matching entries as persisted, newest first, at most the query's limit
 * @param scannedFiles weekly files opened
 * @param scannedEntries lines read within those files
 * @param skippedLines lines that were not a log entry (a torn tail, foreign text, an oversized line): skipped
 * @param truncated whether more entries matched than were answered
 * @param from start of the searched range
 * @param to end of the searched range
 * @param bucketSize width of each histogram bucket
 * @param histogram matching entries per level over the range, oldest bucket first
 */
public record SearchResult(List<Map<String, @Nullable Object>> entries, int scannedFiles, long scannedEntries,
        long skippedLines, boolean truncated, Instant from, Instant to, Duration bucketSize,
        List<Map<String, Object>> histogram) {
}
