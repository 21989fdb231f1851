package io.persistencelog.backend.kafka;

import io.persistencelog.BatchLogBackend;
import io.persistencelog.BatchResult;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.codec.ByteSink;
import io.persistencelog.codec.JsonLineEncoder;
import io.persistencelog.codec.SafeText;
import io.persistencelog.codec.Secrets;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: the producer's asynchronous acknowledgements, per-batch accounting, the send timeout and the
// loop guard against the client's own logging only make sense side by side.
/**
 * Writes each entry as one Kafka record: the value is the entry's JSON object exactly as in the weekly file
 * (without the line break), the key is chosen by {@link KafkaKey}, and the headers {@code level} and
 * {@code logger} let consumers route without parsing the value.
 *
 * <p>{@link #writeBatch} hands every record of the batch to the producer, then waits for their
 * acknowledgements, at most {@link KafkaBackendSettings#effectiveSendTimeout()}. By default that is longer
 * than the producer's {@code delivery.timeout.ms}, after which Kafka has reported every record either way:
 * so "persisted" means acknowledged by the brokers and "failed" means Kafka gave up on it.
 *
 * <p>Errors that can never succeed ({@link #isPermanent}: a record over {@code max.request.size} or the
 * broker's limit, an invalid topic name, a missing authorization) are rejections: counted in
 * {@code rejected}, never retried nor spooled. Every other failure is retryable.
 *
 * <p>This backend says it retries internally, so the pipeline does not retry it: a record the producer
 * accepted is retried by the producer until {@code delivery.timeout.ms}; a record {@code send} could not
 * even accept (no metadata or no buffer within {@code max.block.ms}, a broker down) is offered again, each
 * try waiting {@code max.block.ms}, until the batch's send timeout. Only then is the rest of the batch failed
 * at once (retryable: a spool keeps it) without trying each record. The lane keeps going; once the broker
 * is back, new entries flow again.
 *
 * <p>This class logs nothing itself. The producer logs through SLF4J under {@code org.apache.kafka}; see
 * {@link KafkaLoopGuard} for keeping those events out of the capture. As a second guard, entries from the
 * Kafka client's loggers that reach this backend anyway are not sent (they count as persisted here and
 * show up in {@code skippedClientEvents}).
 */
public final class KafkaBackend extends BatchLogBackend {

    /** The backend's name in {@code LOG_BACKENDS}. */
    public static final String NAME = "kafka";

    private static final AtomicInteger CLIENT_NUMBERS = new AtomicInteger();
    private static final int MAX_CACHED_LOGGERS = 4096;
    private static final byte[][] LEVEL_BYTES = new byte[LogLevel.values().length][];

    static {
        for (LogLevel level : LogLevel.values()) {
            LEVEL_BYTES[level.ordinal()] = level.name().getBytes(StandardCharsets.UTF_8);
        }
    }

    private final KafkaBackendSettings settings;
    private final Producer<byte[], byte[]> producer;
    private final JsonLineEncoder encoder;
    private final String topic;
    private final Duration sendTimeout;
    private final @Nullable String clientId;
    private final Map<String, byte[]> loggerBytes = new HashMap<>();
    private final byte @Nullable [] serviceBytes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong sendErrors = new AtomicLong();
    private final AtomicLong notSent = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicLong lateAcks = new AtomicLong();
    private final AtomicLong skippedClientEvents = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong sendRetries = new AtomicLong();
    /** Records handed to the producer whose callback has not run yet. */
    private final AtomicLong pending = new AtomicLong();
    /** Whether the lane's thread was interrupted during the current batch (lane thread only). */
    private boolean interruptedInBatch;
    private volatile @Nullable String lastError;
    private volatile long lastErrorAt;

    /** Builds the producer from {@link KafkaBackendSettings#producerConfig()}. */
    public KafkaBackend(KafkaBackendSettings settings) {
        this(settings, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH);
    }

    public KafkaBackend(KafkaBackendSettings settings, int maxValueLength) {
        this(settings, withClientId(settings.producerConfig()), maxValueLength);
    }

    private KafkaBackend(KafkaBackendSettings settings, Map<String, Object> config, int maxValueLength) {
        this(settings, createProducer(config), String.valueOf(config.get(KafkaBackendSettings.CLIENT_ID)),
                maxValueLength);
    }

    /** Uses the given producer (tests); {@code clientId} is shown in the metrics. */
    KafkaBackend(KafkaBackendSettings settings, Producer<byte[], byte[]> producer, @Nullable String clientId) {
        this(settings, producer, clientId, JsonLineEncoder.DEFAULT_MAX_VALUE_LENGTH);
    }

    KafkaBackend(KafkaBackendSettings settings, Producer<byte[], byte[]> producer, @Nullable String clientId,
            int maxValueLength) {
        this.settings = settings;
        this.producer = producer;
        this.clientId = clientId;
        this.encoder = new JsonLineEncoder(maxValueLength);
        this.topic = settings.topic();
        this.sendTimeout = settings.effectiveSendTimeout();
        String service = settings.service();
        this.serviceBytes = service == null ? null : service.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> withClientId(Map<String, Object> config) {
        Map<String, Object> copy = new LinkedHashMap<>(config);
        Object id = copy.get(KafkaBackendSettings.CLIENT_ID);
        if (id == null || String.valueOf(id).isBlank()) {
            copy.put(KafkaBackendSettings.CLIENT_ID, KafkaLoopGuard.CLIENT_ID_PREFIX + CLIENT_NUMBERS.incrementAndGet());
        }
        // A log producer is never transactional: a transactional.id inherited from spring.kafka.* would
        // make every send fail until initTransactions().
        copy.remove("transactional.id");
        return copy;
    }

    private static Producer<byte[], byte[]> createProducer(Map<String, Object> config) {
        try {
            return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        }
        catch (RuntimeException ex) {
            Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
            throw new IllegalStateException("Cannot create the Kafka producer of the 'kafka' log backend: "
                    + Secrets.mask(SafeText.toText(cause.getMessage())) + ". Check spring.kafka.bootstrap-servers / "
                    + "log-persistence.kafka.bootstrap-servers (LOG_PERSISTENCE_KAFKA_BOOTSTRAP_SERVERS) and "
                    + "log-persistence.kafka.producer.*", null);
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Failed requests are already retried here with backoff; the pipeline must not retry them again. */
    @Override
    public boolean retriesInternally() {
        return true;
    }

    @Override
    public int maxBatchSize() {
        return settings.maxBatchSize();
    }

    @Override
    public BatchResult writeBatch(List<LogEntry> entries) {
        int size = entries.size();
        // The lane interrupts its thread to end idle waits when the pipeline stops. That must not fail the
        // records in hand (the wait below is bounded anyway), so the flag is set aside and restored.
        interruptedInBatch = Thread.interrupted();
        Outcomes outcomes = new Outcomes(size);
        long deadline = System.nanoTime() + sendTimeout.toNanos();
        @Nullable String abortReason = null;
        for (int i = 0; i < size; i++) {
            if (abortReason != null) {
                outcomes.fail(i, abortReason);
                notSent.incrementAndGet();
                continue;
            }
            LogEntry entry = entries.get(i);
            if (KafkaLoopGuard.isKafkaClientLogger(entry.logger())) {
                skippedClientEvents.incrementAndGet();
                outcomes.succeed(i);
                continue;
            }
            abortReason = send(entry, i, outcomes, deadline);
        }
        boolean interrupted = outcomes.await(deadline) | interruptedInBatch;
        int stillOpen = outcomes.expire("not acknowledged by Kafka within " + sendTimeout.toMillis()
                + " ms (may still arrive)");
        if (stillOpen > 0) {
            unconfirmed.addAndGet(stillOpen);
            recordError(outcomes.reason);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return outcomes.toResult();
    }

    /** Sends one entry; returns why the rest of the batch should not be tried, or null. */
    private @Nullable String send(LogEntry entry, int index, Outcomes outcomes, long deadlineNanos) {
        ProducerRecord<byte[], byte[]> record;
        try {
            record = toRecord(entry);
        }
        catch (RuntimeException ex) {
            sendErrors.incrementAndGet();
            outcomes.fail(index, "cannot build the record: " + describe(ex));
            recordError(outcomes.reason);
            return null;
        }
        pending.incrementAndGet();
        sent.incrementAndGet();
        Callback callback = outcomes.callback(index);
        try {
            while (true) {
                // send() reports a metadata or buffer timeout through the callback, on this thread, before it
                // returns: catch that one and offer the record again while the batch has time.
                SendAttempt attempt = new SendAttempt(callback);
                sendOnce(record, attempt, deadlineNanos);
                Exception timeout = attempt.finish();
                if (timeout == null) {
                    break;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0 || interruptedInBatch) {
                    // Out of time, or the pipeline is stopping (its lane interrupts us): this record fails,
                    // retryable, rather than holding the stop for the whole send timeout.
                    callback.onCompletion(null, timeout);
                    break;
                }
                sendRetries.incrementAndGet();
                recordError("retrying: " + describe(timeout));
                // max.block.ms already waited inside send(); this only keeps a zero max.block.ms from spinning.
                java.util.concurrent.locks.LockSupport.parkNanos(Math.min(remaining, RETRY_PAUSE_NANOS));
            }
        }
        catch (RuntimeException ex) {
            // Thrown (not passed to the callback): the producer is closed, the thread was interrupted, or
            // the record is unusable. The callback will not run.
            pending.decrementAndGet();
            sendErrors.incrementAndGet();
            String reason = describe(ex);
            if (isPermanent(ex)) {
                rejected.incrementAndGet();
                outcomes.reject(index, reason);
                recordError(reason);
                return null; // this record's fault: the others are still tried
            }
            outcomes.fail(index, reason);
            recordError(reason);
            return "not sent: " + reason;
        }
        @Nullable Exception failure = outcomes.failureOf(index);
        if (failure instanceof TimeoutException) {
            // Completed inside send(): no metadata for the topic or no buffer memory within max.block.ms.
            // The broker is unreachable, or it answers but the topic does not exist and auto-creation is off
            // (the two look alike to the producer); trying each remaining record would cost max.block.ms apiece.
            return "not sent: Kafka unreachable or topic '" + topic + "' missing (" + describe(failure) + ")";
        }
        return null;
    }

    /**
     * {@code send} waits (at most {@code max.block.ms}) for metadata or buffer space, and an interrupt ends
     * that wait with an {@link InterruptException}. The lane interrupts its thread (more than once) when the
     * pipeline stops, which is no reason to lose the record: the flag is set aside and the send tried
     * again, until the batch's deadline.
     */
    private void sendOnce(ProducerRecord<byte[], byte[]> record, Callback callback, long deadlineNanos) {
        while (true) {
            try {
                producer.send(record, callback);
                return;
            }
            catch (InterruptException ex) {
                Thread.interrupted(); // InterruptException sets the flag again
                interruptedInBatch = true;
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw ex;
                }
            }
        }
    }

    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Whether Kafka refused the record for a reason no retry can change: too large for the producer or the
     * broker, an invalid topic name, or no authorization (topic, cluster, transactional id).
     */
    static boolean isPermanent(@Nullable Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof RecordBatchTooLargeException
                || error instanceof InvalidTopicException || error instanceof AuthorizationException
                || error instanceof InvalidRecordException;
    }

    /**
     * One call of {@code send}: a {@link TimeoutException} reported on the calling thread while
     * {@code send} runs (no metadata or buffer within max.block.ms: the record was never accepted) is held
     * back; everything else goes to the record's callback.
     */
    private static final class SendAttempt implements Callback {
        private final Callback target;
        private final Thread caller = Thread.currentThread();
        private volatile boolean inSend = true;
        private @Nullable Exception heldTimeout;

        SendAttempt(Callback target) {
            this.target = target;
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception exception) {
            if (inSend && exception instanceof TimeoutException && Thread.currentThread() == caller) {
                heldTimeout = exception;
                return;
            }
            target.onCompletion(metadata, exception);
        }

        /** Ends the call; returns the held-back timeout, if any. */
        @Nullable Exception finish() {
            inSend = false;
            return heldTimeout;
        }
    }

    private ProducerRecord<byte[], byte[]> toRecord(LogEntry entry) {
        ByteSink line = encoder.encode(entry);
        byte[] value = Arrays.copyOf(line.array(), Math.max(0, line.size() - 1)); // without the '\n'
        byte[] logger = loggerBytes(entry.logger());
        Header[] headers = { new RecordHeader("level", LEVEL_BYTES[entry.level().ordinal()]),
                new RecordHeader("logger", logger) };
        return new ProducerRecord<>(topic, null, entry.epochMillis(), keyOf(entry, logger), value,
                new RecordHeaders(headers));
    }

    private byte @Nullable [] keyOf(LogEntry entry, byte[] logger) {
        switch (settings.key()) {
            case LOGGER:
                return logger;
            case SERVICE:
                Object service = entry.fields().get("service");
                if (service instanceof CharSequence text) {
                    return text.toString().getBytes(StandardCharsets.UTF_8);
                }
                return serviceBytes;
            default:
                return null;
        }
    }

    private byte[] loggerBytes(String logger) {
        byte[] bytes = loggerBytes.get(logger);
        if (bytes == null) {
            if (loggerBytes.size() >= MAX_CACHED_LOGGERS) {
                loggerBytes.clear();
            }
            bytes = logger.getBytes(StandardCharsets.UTF_8);
            loggerBytes.put(logger, bytes);
        }
        return bytes;
    }

    private void recordError(@Nullable String reason) {
        if (reason != null) {
            lastError = Secrets.mask(reason);
            lastErrorAt = System.currentTimeMillis();
        }
    }

    private static String describe(Throwable ex) {
        return Secrets.mask(ex.getClass().getSimpleName() + ": " + SafeText.toText(ex.getMessage()));
    }

    /**
     * Pushes out whatever the producer still holds. After a {@link #writeBatch} that waited its full send
     * timeout nothing is left; otherwise this waits at most the producer's {@code delivery.timeout.ms}.
     */
    @Override
    public void flush() {
        if (closed.get() || pending.get() == 0) {
            return;
        }
        long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
        withInterruptHeldBack("flush", () -> {
            boolean interrupted = false;
            while (true) {
                try {
                    producer.flush();
                    return interrupted;
                }
                catch (InterruptException ex) {
                    if (System.nanoTime() - deadline > 0) {
                        throw ex; // Kafka's InterruptException set the interrupt again; it is restored below
                    }
                    // The stopping lane's interrupt: keep flushing while there is time.
                    Thread.interrupted();
                    interrupted = true;
                }
            }
        });
    }

    /** Flushes and closes the producer, waiting at most the close timeout; safe to call twice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        withInterruptHeldBack("close", () -> {
            producer.close(settings.closeTimeout());
            return false;
        });
    }

    /**
     * Runs a producer call with the caller's interrupt held back: an interrupted flush or close (the stopping
     * lane interrupts its thread) would give up at once and fail what the producer still holds. The interrupt,
     * and one that arrived during the call (the call returns true, or Kafka set it again), is restored after.
     */
    private void withInterruptHeldBack(String what, BooleanSupplier call) {
        boolean interrupted = Thread.interrupted();
        try {
            interrupted |= call.getAsBoolean();
        }
        catch (RuntimeException ex) {
            recordError(what + " failed: " + describe(ex));
        }
        finally {
            if (Thread.interrupted() || interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("backend", name());
        m.put("topic", topic);
        m.put("bootstrapServers", settings.bootstrapServers());
        m.put("clientId", clientId);
        m.put("key", settings.key().name().toLowerCase(java.util.Locale.ROOT));
        m.put("sent", sent.get());
        m.put("acked", acked.get());
        m.put("sendErrors", sendErrors.get());
        m.put("notSent", notSent.get());
        m.put("unconfirmed", unconfirmed.get());
        m.put("lateAcks", lateAcks.get());
        m.put("pending", pending.get());
        m.put("skippedClientEvents", skippedClientEvents.get());
        m.put("rejected", rejected.get());
        m.put("sendRetries", sendRetries.get());
        m.put("sendTimeoutMs", sendTimeout.toMillis());
        m.put("lastError", lastError);
        long at = lastErrorAt;
        m.put("lastErrorAt", at == 0 ? null : Instant.ofEpochMilli(at).toString());
        m.put("truncatedValues", encoder.truncatedValues());
        return m;
    }

    @Override
    public String toString() {
        return "KafkaBackend[topic=" + topic + ", bootstrapServers=" + settings.bootstrapServers() + "]";
    }

    /** The outcome of each record of one batch, filled in by callbacks on the producer's I/O thread. */
    private final class Outcomes {

        private static final int OPEN = 0;
        private static final int OK = 1;
        private static final int FAILED = 2;
        private static final int REJECTED = 3;

        private final AtomicIntegerArray states;
        private final @Nullable Exception[] failures;
        private final CountDownLatch open;
        volatile @Nullable String reason;

        Outcomes(int size) {
            states = new AtomicIntegerArray(size);
            failures = new Exception[size];
            open = new CountDownLatch(size);
        }

        void succeed(int index) {
            if (states.compareAndSet(index, OPEN, OK)) {
                open.countDown();
            }
        }

        void fail(int index, String why) {
            if (states.compareAndSet(index, OPEN, FAILED)) {
                reason = why;
                open.countDown();
            }
        }

        void reject(int index, String why) {
            if (states.compareAndSet(index, OPEN, REJECTED)) {
                reason = why;
                open.countDown();
            }
        }

        Callback callback(int index) {
            return (RecordMetadata metadata, @Nullable Exception exception) -> {
                pending.decrementAndGet();
                if (exception == null) {
                    acked.incrementAndGet();
                    if (states.compareAndSet(index, OPEN, OK)) {
                        open.countDown();
                    }
                    else {
                        lateAcks.incrementAndGet();
                    }
                }
                else {
                    sendErrors.incrementAndGet();
                    failures[index] = exception;
                    String why = describe(exception);
                    recordError(why);
                    if (isPermanent(exception)) {
                        rejected.incrementAndGet();
                        reject(index, why + " (refused for good, not retried)");
                    }
                    else {
                        fail(index, why);
                    }
                }
            };
        }

        /** The exception a record failed with, when it is already known on this thread. */
        @Nullable Exception failureOf(int index) {
            int state = states.get(index);
            return state == FAILED || state == REJECTED ? failures[index] : null;
        }

        /** Waits until every record has an outcome or the deadline passes; returns whether it was interrupted. */
        boolean await(long deadlineNanos) {
            boolean interrupted = false;
            while (true) {
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0 || open.getCount() == 0) {
                    return interrupted;
                }
                try {
                    open.await(remaining, TimeUnit.NANOSECONDS);
                }
                catch (InterruptedException ex) {
                    interrupted = true;
                }
            }
        }

        /** Fails every record still open; returns how many there were. */
        int expire(String why) {
            int count = 0;
            for (int i = 0; i < states.length(); i++) {
                if (states.compareAndSet(i, OPEN, FAILED)) {
                    reason = why;
                    count++;
                }
            }
            return count;
        }

        BatchResult toResult() {
            BatchResult.Builder result = BatchResult.builder(states.length());
            String why = reason == null ? "failed" : reason;
            for (int i = 0; i < states.length(); i++) {
                int state = states.get(i);
                if (state == REJECTED) {
                    result.rejected(i, why);
                }
                else if (state != OK) {
                    result.failed(i, why);
                }
            }
            return result.build();
        }
    }
}
