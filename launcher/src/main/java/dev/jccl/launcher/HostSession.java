package dev.jccl.launcher;

import java.time.Duration;

/** The ranks of one host, seen from the launcher: local child processes, or an agent over ssh. */
public interface HostSession
{
    String host();

    /** Starts the host's ranks; reports through {@link LaunchEvent}s, may return before they run. */
    void start();

    /** SIGTERM to the host's ranks, SIGKILL after the grace period. */
    void terminate();

    /** SIGKILL now; for a remote host, also drops the connection. */
    void kill();

    /** Releases what the session holds, waiting at most {@code timeout} for it to wind down. */
    void close(Duration timeout);
}
