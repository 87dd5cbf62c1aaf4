package dev.jccl.launcher;

/** What the launcher's monitor loop reacts to; produced by host sessions and signal handlers. */
public sealed interface LaunchEvent
{
    record Started(int rank, String host, long pid) implements LaunchEvent
    {
    }

    record Exited(int rank, String host, long pid, int code) implements LaunchEvent
    {
    }

    record StartFailed(int rank, String host, int code, String message) implements LaunchEvent
    {
    }

    /** A whole host is lost (ssh unreachable, agent died): its unfinished ranks are gone with it. */
    record HostFailed(String host, int code, String message) implements LaunchEvent
    {
    }

    record Signalled(int signal) implements LaunchEvent
    {
    }
}
