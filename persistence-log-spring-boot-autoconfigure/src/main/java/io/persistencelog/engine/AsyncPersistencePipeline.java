package io.persistencelog.engine;

import io.persistencelog.codec.QueuedLogEntry;

import io.persistencelog.codec.Redactor;

import io.persistencelog.LogBackend;
import io.persistencelog.LogEntry;
import io.persistencelog.LogLevel;
import io.persistencelog.LogPersistenceHandler;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import io.persistencelog.engine.spool.Spool;
import io.persistencelog.engine.spool.SpoolSettings;
import org.jctools.queues.MpscArrayQueue;
import org.jspecify.annotations.Nullable;

// Longer than 350 lines on purpose: the queue, the dispatcher thread, overflow policies, flush and shutdown accounting share one
// set of counters; keeping them together is what makes accepted = persisted + dropped + failed + inFlight checkable.
/**
 * The pipeline: a bounded lock-free multi-producer queue, one dispatcher thread that drains it in batches,
 * and one {@link Lane} per active backend.
 *
 * <p>The caller's side is an allocation of one entry and a lock-free offer; it never touches a lock or a
 * file. While entries keep arriving the dispatcher polls with short timed parks, so callers do not pay a
 * wake-up system call; only after it has been idle for {@link #DEEP_IDLE_AFTER_NANOS} does it park for long,
 * and then the one producer that finds it parked wakes it.
 */
public final class AsyncPersistencePipeline implements LogPersistenceHandler, LogSink {

    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Timed parks while recently busy; each doubles up to the maximum. */
    private static final long SHORT_PARK_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
    private static final long SHORT_PARK_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);
    /** Idle time after which the dispatcher parks until a producer (or flush, or shutdown) wakes it. */
    private static final long DEEP_IDLE_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long BLOCK_BACKOFF_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final PipelineSettings settings;
    private final DefaultBackendRegistry registry;
    private final MpscArrayQueue<LogEntry> queue;
    private final OverflowConsole overflowConsole;
    private final PrintStream stderr;
    /** Replaced when the pipeline starts again after a stop. */
    private volatile Thread dispatcher;

    private final LongAdder enqueued = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder blockedCalls = new LongAdder();
    private final AtomicLong persisted = new AtomicLong();
    private final AtomicLong failedLogs = new AtomicLong();
    private final AtomicLong lostOnShutdown = new AtomicLong();
    /** Per backend: entries each abandoned lane still held when shutdown gave up (one entry may count twice). */
    private final Map<String, AtomicLong> lostByBackend = new java.util.concurrent.ConcurrentHashMap<>();
    /** Guards every poll of the queue made once the dispatcher has stopped (the queue has one consumer). */
    private final Object strandedLock = new Object();
    private final AtomicLong batches = new AtomicLong();
    private final LatencyHistogram dispatchLatency = new LatencyHistogram();
    /** Queue position up to which the dispatcher has taken entries. */
    private volatile long dispatched;
    private final AtomicInteger flushRequests = new AtomicInteger();
    private final Object progress = new Object();

    private volatile Redactor redactor = Redactor.defaults();
    private volatile GuardSettings guardSettings = GuardSettings.defaults();
    private volatile Lane[] lanes = new Lane[0];
    private volatile ConsoleEchoMode consoleEcho = ConsoleEchoMode.SYNC;
    private volatile @Nullable ConsoleEcho echo;
    private final List<Consumer<String>> laneListeners = new ArrayList<>();
    private volatile boolean dispatcherParked;
    private volatile boolean accepting = true;
    private volatile boolean started;
    private volatile boolean stopping;
    private volatile boolean stopped;
    /** Set when shutdown reached its deadline: the dispatcher ends its current batch and stops. */
    private volatile boolean abortDispatch;
    private volatile long shutdownDeadline = Long.MAX_VALUE;

    public AsyncPersistencePipeline(PipelineSettings settings, DefaultBackendRegistry registry) {
        this(settings, registry, System.err, System.out);
    }

    AsyncPersistencePipeline(PipelineSettings settings, DefaultBackendRegistry registry, PrintStream stderr,
            PrintStream console) {
        this.settings = settings;
        this.registry = registry;
        this.queue = new MpscArrayQueue<>(settings.queueCapacity());
        this.overflowConsole = new OverflowConsole(console, settings.maxValueLength());
        this.stderr = stderr;
        this.dispatcher = newDispatcher();
    }

    private Thread newDispatcher() {
        return new PipelineThread(this::dispatchLoop, "persistence-log-dispatcher");
    }

    /**
     * The pipeline's own threads. A log call made on one of them (a backend that logs, a {@code toString()}
     * that logs) never waits for room under {@code block}: the thread it would wait for may be itself.
     */
    static final class PipelineThread extends Thread {
        PipelineThread(Runnable task, String name) {
            super(task, name);
            setDaemon(true);
        }
    }

    public PipelineSettings settings() {
        return settings;
    }

    public DefaultBackendRegistry registry() {
        return registry;
    }

    /** Retry, circuit breaker and spool of every backend started from now on. */
    public void setGuardSettings(GuardSettings guardSettings) {
        this.guardSettings = guardSettings;
    }

    private BackendGuard newGuard(LogBackend backend) {
        GuardSettings g = guardSettings;
        SpoolSettings spoolSettings = g.spool();
        Spool spool = spoolSettings != null && g.spoolBackends().contains(backend.name())
                ? new Spool(spoolSettings.directory().resolve(backend.name()), spoolSettings) : null;
        return new BackendGuard(backend, g, spool);
    }

    /**
     * How {@code AppLogger} calls reach the console. {@link ConsoleEchoMode#ASYNC} needs SLF4J bound to
     * Logback; without it the echo stays synchronous ({@link #consoleEcho()} then says {@code SYNC}). A
     * pipeline built by hand echoes synchronously until told otherwise; the auto-configuration and a plain
     * {@code main} use {@code log-persistence.console-echo} (default {@code async}).
     */
    public synchronized void setConsoleEcho(ConsoleEchoMode mode) {
        ConsoleEcho previous = echo;
        ConsoleEcho next = null;
        ConsoleEchoMode effective = mode;
        if (mode == ConsoleEchoMode.ASYNC) {
            EchoWriter writer = ConsoleEcho.forCurrentBinding();
            if (writer == null) {
                effective = ConsoleEchoMode.SYNC;
            }
            else {
                // A restart (or a second call) carries the skipped-lines count on: it is a counter like the others.
                next = previous != null ? previous.restartedWith(writer)
                        : new ConsoleEcho(writer, this::redactor, settings.laneCapacity());
                if (started && !stopping) {
                    next.start();
                }
            }
        }
        echo = next;
        consoleEcho = effective;
        if (previous != null) {
            previous.stop(System.nanoTime() + settings.shutdownTimeout().toNanos());
        }
    }

    @Override
    public ConsoleEchoMode consoleEcho() {
        return consoleEcho;
    }

    @Override
    public Redactor redactor() {
        return redactor;
    }

    /** Field-name patterns whose values are masked before any backend sees them (defaults apply otherwise). */
    public void setRedactor(Redactor redactor) {
        this.redactor = redactor;
    }

    /**
     * Builds the selected backends and starts draining. Entries logged before this call wait in the queue,
     * so nothing logged during application start-up is lost.
     */
    public synchronized void start() {
        if (stopping) {
            if (!stopped) {
                return; // a shutdown is still in progress
            }
            restartAfterStop();
        }
        else if (started) {
            return;
        }
        try {
            registry.activate(this::addLane, this::laneMetrics);
        }
        catch (RuntimeException | Error ex) {
            // e.g. a spool or file directory locked by another context: the lanes started before the
            // failure must not keep running (nor keep their locks) behind a pipeline that reports stopped.
            undoFailedStart();
            throw ex;
        }
        started = true;
        ConsoleEcho e = echo;
        if (e != null) {
            e.start();
        }
        dispatcher.start();
    }

    /**
     * {@code context.stop()} then {@code context.start()} (and a CRaC checkpoint/restore) shut the pipeline
     * down and start it again: fresh lanes with backends built anew by their factories, a fresh dispatcher.
     * The counters carry on.
     */
    private void restartAfterStop() {
        registry.deactivate();
        lanes = new Lane[0];
        dispatcher = newDispatcher();
        ConsoleEcho previous = echo;
        if (previous != null) {
            echo = previous.restarted(); // started below with the dispatcher
        }
        shutdownDeadline = Long.MAX_VALUE;
        abortDispatch = false;
        stopped = false;
        started = false;
        stopping = false;
        accepting = true;
        // The shutdown ended the echo's thread: a fresh one (started with the dispatcher) or the console
        // would stay silent and every flush would wait for it in vain.
        setConsoleEcho(consoleEcho);
    }

    /**
     * Stops the lanes a failed {@link #start()} had started and closes the backends it had built without a
     * lane, so a later start (once the conflict is gone) builds everything anew. The dispatcher never ran,
     * so no lane holds an entry: what was logged stays in the queue for the next start.
     */
    private void undoFailedStart() {
        long deadline = System.nanoTime() + settings.shutdownTimeout().toNanos();
        Lane[] started = lanes;
        Set<LogBackend> laned = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Lane lane : started) {
            laned.add(lane.backend);
            lane.finish();
        }
        for (Lane lane : started) {
            if (!lane.awaitTermination(deadline)) {
                lane.abandon();
            }
        }
        for (LogBackend backend : registry.getActiveBackends()) {
            if (!laned.contains(backend)) {
                try {
                    backend.close();
                }
                catch (Throwable ex) {
                    stderr.println("persistence-log: closing backend '" + backend.name()
                            + "' after a failed start failed: " + Lane.describe(ex));
                }
            }
        }
        registry.deactivate();
        lanes = new Lane[0];
    }

    private synchronized void addLane(LogBackend backend) {
        Lane lane = new Lane(backend, newGuard(backend), this, dispatched);
        List<Lane> next = new ArrayList<>(Arrays.asList(lanes));
        next.add(lane);
        lanes = next.toArray(new Lane[0]);
        lane.start();
        for (Consumer<String> listener : laneListeners) {
            listener.accept(backend.name());
        }
    }

    /**
     * Calls the listener with the name of every running backend now and of every backend started later
     * (e.g. to publish its meters once it exists).
     */
    public synchronized void onBackendStarted(Consumer<String> listener) {
        laneListeners.add(listener);
        for (Lane lane : lanes) {
            listener.accept(lane.name());
        }
    }

    // ---------------------------------------------------------------- caller side

    @Override
    public boolean isEnabled(LogLevel level) {
        return level.compareTo(settings.minLevel()) >= 0;
    }

    @Override
    public void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues) {
        log(level, logger, message, keyValues, false);
    }

    @Override
    public void log(LogLevel level, String logger, @Nullable String message, @Nullable Object @Nullable [] keyValues,
            boolean echoToConsole) {
        submit(new QueuedLogEntry(settings.clock().millis(), level, logger, message,
                Thread.currentThread().getName(), keyValues, redactor, MdcSnapshot.capture(), echoToConsole));
    }

    @Override
    public boolean submit(LogEntry entry) {
        if (!accepting) {
            reject(entry);
            return false;
        }
        if (queue.offer(entry) || (settings.whenFull() == OverflowPolicy.BLOCK
                && !(Thread.currentThread() instanceof PipelineThread) && offerBlocking(entry))) {
            accepted();
            return true;
        }
        reject(entry);
        return false;
    }

    private void accepted() {
        enqueued.increment();
        if (stopped) {
            // Offered after shutdown's last look at the queue (the caller saw it still accepting): nobody
            // would ever take it, so it is taken and counted here.
            drainStranded();
        }
        else if (dispatcherParked) {
            LockSupport.unpark(dispatcher);
        }
    }

    @Override
    public boolean offer(LogEntry entry) {
        if (accepting && queue.offer(entry)) {
            accepted();
            return true;
        }
        reject(entry);
        return false;
    }

    @Override
    public Clock clock() {
        return settings.clock();
    }

    private boolean offerBlocking(LogEntry entry) {
        blockedCalls.increment();
        long backoff = 1_000;
        while (accepting) {
            if (dispatcherParked) {
                LockSupport.unpark(dispatcher);
            }
            LockSupport.parkNanos(backoff);
            if (queue.offer(entry)) {
                return true;
            }
            backoff = Math.min(backoff * 2, BLOCK_BACKOFF_MAX_NANOS);
        }
        return false;
    }

    private void reject(LogEntry entry) {
        dropped.increment();
        // Printed raw, a captured entry would show what every backend sees masked.
        overflowConsole.print(redactor.wrap(entry));
    }

    // ---------------------------------------------------------------- drain side

    private void dispatchLoop() {
        int batchSize = settings.batchSize();
        LogEntry[] buffer = new LogEntry[batchSize];
        long idleSince = 0;
        long shortPark = SHORT_PARK_MIN_NANOS;
        while (!abortDispatch) {
            int count = drainInto(buffer, 0);
            if (count == 0) {
                if (stopping && queue.isEmpty()) {
                    break;
                }
                if (idleSince == 0) {
                    idleSince = System.nanoTime();
                    shortPark = SHORT_PARK_MIN_NANOS;
                }
                if (System.nanoTime() - idleSince < DEEP_IDLE_AFTER_NANOS) {
                    idleBriefly(shortPark);
                    shortPark = Math.min(shortPark * 2, SHORT_PARK_MAX_NANOS);
                }
                else {
                    idle();
                }
                continue;
            }
            idleSince = 0;
            if (count < batchSize && !settings.batchMaxWait().isZero()) {
                count = linger(buffer, count);
            }
            dispatch(Arrays.copyOf(buffer, count));
            Arrays.fill(buffer, 0, count, null);
        }
        if (!abortDispatch) {
            finishLanes();
        }
    }

    private int drainInto(LogEntry[] buffer, int from) {
        int count = from;
        while (count < buffer.length) {
            LogEntry e = queue.relaxedPoll();
            if (e == null) {
                if (queue.isEmpty()) {
                    break;
                }
                Thread.onSpinWait(); // a producer claimed a slot and is about to fill it
                continue;
            }
            buffer[count++] = e;
        }
        return count;
    }

    private int linger(LogEntry[] buffer, int count) {
        long deadline = System.nanoTime() + settings.batchMaxWait().toNanos();
        int filled = count;
        while (filled < buffer.length && !stopping && !abortDispatch && flushRequests.get() == 0) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                break;
            }
            LockSupport.parkNanos(Math.min(remaining, 200_000));
            filled = drainInto(buffer, filled);
        }
        return filled;
    }

    /** A short timed park that producers do not cut short: they see {@code dispatcherParked} false. */
    private void idleBriefly(long nanos) {
        for (int i = 0; i < 64; i++) {
            if (!queue.isEmpty() || stopping) {
                return;
            }
            Thread.onSpinWait();
        }
        LockSupport.parkNanos(this, nanos);
    }

    private void idle() {
        dispatcherParked = true;
        try {
            if (queue.isEmpty() && !stopping) {
                LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            }
        }
        finally {
            dispatcherParked = false;
        }
    }

    private void dispatch(LogEntry[] entries) {
        long start = System.nanoTime();
        long end = dispatched + entries.length;
        Redactor r = redactor;
        try {
            if (r.isActive()) {
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = r.wrap(entries[i]); // cheap view; masking happens when the fields are read
                }
            }
            // Parse and mask here, while the lanes write the previous batch: two threads share the work.
            for (LogEntry entry : entries) {
                Redactor.prepareFields(entry);
            }
        }
        catch (Throwable ex) {
            // Never hand unredacted entries on, and never let the dispatcher die: this batch is counted as
            // failed and the next one goes on.
            InternalErrors.report("dispatcher", ex);
            dispatched = end;
            settle(new Batch(entries, end, 0), entries.length);
            return;
        }
        Lane[] current = lanes;
        Batch batch = new Batch(entries, end, current.length);
        batches.incrementAndGet();
        if (current.length == 0) {
            echo(entries);
            dispatched = end;
            // No backend is running (only unknown names were selected): nobody persisted these.
            settle(batch, entries.length);
            return;
        }
        boolean echoed = false;
        for (Lane lane : current) {
            if (!echoed && settings.whenFull() == OverflowPolicy.BLOCK && !lane.hasRoomFor(batch.size(),
                    settings.laneCapacity())) {
                // The hand-off is about to wait for a stalled backend: the console must not wait with it (the
                // line logged just before a hang is the one a developer looks for).
                echo(entries);
                echoed = true;
            }
            handTo(lane, batch);
        }
        if (!echoed) {
            // After the lanes: the backends are woken first, the console line is the less urgent copy.
            echo(entries);
        }
        dispatched = end;
        dispatchLatency.recordNanos(System.nanoTime() - start);
    }

    private void echo(LogEntry[] entries) {
        ConsoleEcho echoNow = echo;
        if (echoNow != null) {
            echoNow.accept(entries);
        }
    }

    private void handTo(Lane lane, Batch batch) {
        int capacity = settings.laneCapacity();
        int size = batch.size();
        if (settings.whenFull() == OverflowPolicy.BLOCK) {
            long backoff = 1_000;
            while (!lane.hasRoomFor(size, capacity) && !(stopping && System.nanoTime() > shutdownDeadline)) {
                LockSupport.parkNanos(backoff);
                backoff = Math.min(backoff * 2, BLOCK_BACKOFF_MAX_NANOS);
            }
        }
        // A batch never exceeds a lane's capacity (PipelineSettings refuses lane.capacity < batch.size).
        if (lane.hasRoomFor(size, capacity)) {
            lane.deliver(batch);
        }
        else {
            lane.dropForLane(batch);
        }
    }

    /**
     * Called by a lane when it has settled its part of a batch, before it moves its position past the batch
     * and then calls {@link #signalProgress()}: a flush that sees every lane past an entry must also see that
     * entry in the pipeline's counts.
     */
    void laneFinished(Batch batch) {
        int failed = batch.laneDone();
        if (failed >= 0) {
            settle(batch, failed);
        }
    }

    private void settle(Batch batch, int failed) {
        if (batch.isLost()) {
            // Some backend never got to write it before shutdown gave up: lost, whatever the others did.
            lostOnShutdown.addAndGet(batch.size());
        }
        else {
            persisted.addAndGet(batch.size() - failed);
            failedLogs.addAndGet(failed);
        }
    }

    /** Called by a lane that shutdown abandoned, once per batch it still held. */
    void lostByLane(String backendName, int entries) {
        lostByBackend.computeIfAbsent(backendName, n -> new AtomicLong()).addAndGet(entries);
    }

    /** Wakes the flushes waiting for positions to move. */
    void signalProgress() {
        if (flushRequests.get() > 0) {
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    boolean isFlushRequested() {
        return flushRequests.get() > 0;
    }

    // ---------------------------------------------------------------- flush and shutdown

    @Override
    public boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean settled = awaitSettled(timeout, null);
        ConsoleEcho e = echo;
        // The echo has every batch dispatched so far: wait for its console lines too.
        return settled && (e == null || e.awaitIdle(deadline));
    }

    /** Like {@link #flush} but waits only for one backend's lane: a stalled backend does not hold it up. */
    public boolean flushBackend(String backendName, Duration timeout) {
        return awaitSettled(timeout, backendName);
    }

    private boolean awaitSettled(Duration timeout, @Nullable String onlyBackend) {
        long target = queue.currentProducerIndex();
        long deadline = System.nanoTime() + timeout.toNanos();
        flushRequests.incrementAndGet();
        try {
            LockSupport.unpark(dispatcher);
            while (!settledThrough(target, onlyBackend)) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0 || (!started && !stopping)) {
                    return false;
                }
                synchronized (progress) {
                    if (!settledThrough(target, onlyBackend)) {
                        TimeUnit.NANOSECONDS.timedWait(progress, Math.min(remaining, 10_000_000));
                    }
                }
            }
            return true;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        finally {
            flushRequests.decrementAndGet();
        }
    }

    private boolean settledThrough(long target, @Nullable String onlyBackend) {
        if (dispatched < target) {
            return false;
        }
        for (Lane lane : lanes) {
            if ((onlyBackend == null || lane.name().equals(onlyBackend)) && lane.doneThrough() < target) {
                return false;
            }
        }
        return true;
    }

    /**
     * Drains, then stops. Order matters at the deadline: the dispatcher is stopped (and joined) before
     * anything else touches the queue, which has a single consumer. Then every lane that has not finished
     * is abandoned: its batches count as {@code lostOnShutdown} once per entry (the per-backend split is
     * {@code lostOnShutdownByBackend}), and what is still in the queue counts as lost too.
     */
    @Override
    public void shutdown(Duration timeout) {
        synchronized (this) {
            if (stopping) {
                return;
            }
            stopping = true;
            accepting = false;
        }
        long lostBefore = lostOnShutdown.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        shutdownDeadline = deadline;
        Thread dispatch = dispatcher;
        if (started) {
            LockSupport.unpark(dispatch);
            Lane.joinUntil(dispatch, deadline);
            if (dispatch.isAlive()) {
                abortDispatch = true;
                LockSupport.unpark(dispatch);
                joinUninterruptibly(dispatch); // ends after its current hand-off, which the deadline bounds
            }
        }
        finishLanes();
        ConsoleEcho e = echo;
        if (e != null) {
            e.stop(deadline);
        }
        StringBuilder where = new StringBuilder();
        for (Lane lane : lanes) {
            if (!lane.awaitTermination(deadline)) {
                long laneLost = lane.abandon();
                where.append(' ').append(lane.name()).append('=').append(laneLost);
            }
        }
        long stranded;
        synchronized (strandedLock) {
            stopped = true;
            stranded = drainStrandedLocked();
        }
        if (stranded > 0) {
            where.append(" queue=").append(stranded);
        }
        long total = lostOnShutdown.get() - lostBefore;
        if (total > 0) {
            stderr.println("persistence-log: shutdown timed out after " + timeout + "; " + total
                    + " accepted entries were not persisted (" + where.toString().trim() + ")");
        }
        signalProgress();
    }

    /** Takes what was offered after shutdown's final drain; called by such a late producer. */
    private void drainStranded() {
        synchronized (strandedLock) {
            drainStrandedLocked();
        }
    }

    private long drainStrandedLocked() {
        long count = 0;
        while (queue.poll() != null) { // poll, not relaxedPoll: waits for a producer that claimed a slot
            count++;
        }
        if (count > 0) {
            lostOnShutdown.addAndGet(count);
            lostByBackend.computeIfAbsent("queue", n -> new AtomicLong()).addAndGet(count);
            dispatched += count; // lets a flush after a restart see these as settled
        }
        return count;
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the dispatcher thread is still running (tests). */
    boolean dispatcherAlive() {
        return dispatcher.isAlive();
    }

    /** Whether any lane's thread is still running (tests). */
    boolean anyLaneAlive() {
        for (Lane lane : lanes) {
            if (lane.isAlive()) {
                return true;
            }
        }
        return false;
    }

    private void finishLanes() {
        for (Lane lane : lanes) {
            lane.finish();
        }
    }

    @Override
    public boolean isRunning() {
        return started && !stopping;
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public Map<String, Object> getMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queueSize", queue.size());
        m.put("queueCapacity", queue.capacity());
        m.put("enqueued", enqueued.sum());
        m.put("persisted", persisted.get());
        m.put("dropped", dropped.sum());
        m.put("failedLogs", failedLogs.get());
        m.put("lostOnShutdown", lostOnShutdown.get());
        Map<String, Long> lostSplit = new java.util.TreeMap<>();
        lostByBackend.forEach((name, count) -> lostSplit.put(name, count.get()));
        m.put("lostOnShutdownByBackend", lostSplit);
        m.put("blockedCalls", blockedCalls.sum());
        m.put("batches", batches.get());
        m.put("lastBatchWriteMs", lastBatchWriteMs());
        m.put("consoleEcho", consoleEcho.name().toLowerCase(java.util.Locale.ROOT));
        ConsoleEcho e = echo;
        m.put("consoleEchoSkipped", e == null ? 0L : e.dropped());
        m.put("overflowPolicy", settings.whenFull().name().toLowerCase(java.util.Locale.ROOT));
        m.put("running", isRunning());
        // AppLogger calls that found no running pipeline (e.g. between context.stop() and start()): they
        // reached only the console. JVM-wide, like the loggers.
        m.put("callsWithoutPipeline", PipelineHolder.unpersistedCalls());
        return m;
    }

    /** How long the slowest lane took to write its most recent batch. */
    private double lastBatchWriteMs() {
        long slowest = 0;
        for (Lane lane : lanes) {
            slowest = Math.max(slowest, lane.stats.lastWriteNanos);
        }
        return slowest / 1_000_000.0;
    }

    public long enqueuedCount() {
        return enqueued.sum();
    }

    public long droppedCount() {
        return dropped.sum();
    }

    public long persistedCount() {
        return persisted.get();
    }

    public long failedCount() {
        return failedLogs.get();
    }

    public int queueSize() {
        return queue.size();
    }

    /** Counters of one running backend's lane, or null when it is not running. */
    public @Nullable LaneStats laneStats(String backendName) {
        for (Lane lane : lanes) {
            if (lane.name().equals(backendName)) {
                return lane.stats;
            }
        }
        return null;
    }

    /**
     * One numeric figure of a running backend's metrics (e.g. {@code retries}, {@code spooled}), or 0 when
     * it has none. Reads the whole metrics map: meant for scrapes, not for hot paths.
     */
    public double backendFigure(String backendName, String key) {
        Object value = laneMetrics(backendName).get(key);
        return value instanceof Number number ? number.doubleValue() : 0;
    }

    private Map<String, Object> laneMetrics(String backendName) {
        for (Lane lane : lanes) {
            if (lane.name().equals(backendName)) {
                return lane.metrics();
            }
        }
        return Map.of("backend", backendName);
    }

    @Override
    public String toString() {
        return "AsyncPersistencePipeline[queue=" + queue.size() + "/" + queue.capacity() + ", backends="
                + registry.selectedNames() + "]";
    }
}
