package dev.jccl.nccl;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The call a communicator is waiting for, if any: its name (for error messages) and the
 * {@code System.nanoTime()} by which it must finish ({@code JCCL_TIMEOUT}), which the watchdog
 * enforces and the peer monitor uses to tell a stalled peer from an idle one. Written by the
 * calling thread, read by both.
 */
final class InFlightCall
{
    private final Duration timeout;
    /** The communicator's deadline for a call starting now: its default timeout or a per-call one. */
    private final LongSupplier deadlineSource;
    /** 0 when idle. */
    private volatile long deadline;
    private volatile String name = "";

    InFlightCall(final Duration timeout, final LongSupplier deadlineSource)
    {
        this.timeout = timeout;
        this.deadlineSource = deadlineSource;
    }

    /** A call named {@code what} starts now and must finish within the timeout. */
    void start(final String what)
    {
        name = what;
        deadline = deadlineSource.getAsLong();
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
