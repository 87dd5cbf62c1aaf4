package dev.jccl.nccl;

import java.time.Duration;

/**
 * The call a communicator is waiting for, if any: its name (for error messages) and the
 * {@code System.nanoTime()} by which it must finish ({@code JCCL_TIMEOUT}), which the watchdog
 * enforces and the peer monitor uses to tell a stalled peer from an idle one. Written by the
 * calling thread, read by both.
 */
final class InFlightCall
{
    private final Duration timeout;
    private final long timeoutNanos;
    /** 0 when idle. */
    private volatile long deadline;
    private volatile String name = "";

    InFlightCall(final Duration timeout)
    {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A call named {@code what} starts now and must finish within the timeout. */
    void start(final String what)
    {
        name = what;
        deadline = System.nanoTime() + timeoutNanos;
    }

    /** No call in flight. */
    void finish()
    {
        deadline = 0;
    }

    boolean active()
    {
        return deadline != 0;
    }

    /** The deadline of the call in flight, 0 when idle. */
    long deadline()
    {
        return deadline;
    }

    /** The name of the call in flight (or of the last one). */
    String name()
    {
        return name;
    }

    Duration timeout()
    {
        return timeout;
    }
}
