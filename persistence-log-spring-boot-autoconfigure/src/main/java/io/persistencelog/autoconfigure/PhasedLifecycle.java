package io.persistencelog.autoconfigure;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * A piece of the starter that begins when the context starts and ends, in its phase, when it stops; ending
 * again on destroy covers a context that failed before it started, so nothing outlives its context.
 */
abstract class PhasedLifecycle implements SmartLifecycle, DisposableBean {

    private final int phase;
    private volatile boolean running;

    PhasedLifecycle(int phase) {
        this.phase = phase;
    }

    /** Called on start. */
    abstract void begin();

    /** Called on stop and on destroy; must tolerate being called twice. */
    abstract void end();

    @Override
    public final void start() {
        begin();
        running = true;
    }

    @Override
    public final void stop() {
        running = false;
        end();
    }

    @Override
    public final void destroy() {
        stop();
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
