package dev.jccl.launcher;

/**
 * Reads a rank's exit status as the JDK reports it.
 *
 * <p>What is possible: on Linux and macOS {@link Process#exitValue()} is the exit code for a
 * normal exit and {@code 128 + S} for a process killed by signal {@code S} (the JDK's own
 * convention, the same one shells use for {@code $?}). Java offers no way to see the raw wait
 * status, so a program that calls {@code exit(137)} looks exactly like one killed by SIGKILL.
 * jcclrun therefore reports codes 129..159 as "killed by signal S", like a shell would; its own
 * exit code is {@code 128 + S} in both readings, so the job status is right either way.
 */
public final class ExitStatus
{
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};

    private ExitStatus()
    {
    }

    /** The signal number a code stands for, or 0 when it reads as a normal exit. */
    public static int signalOf(final int code)
    {
        return code > 128 && code - 128 < NAMES.length ? code - 128 : 0;
    }

    public static String signalName(final int signal)
    {
        return signal > 0 && signal < NAMES.length ? NAMES[signal] : "signal " + signal;
    }

    /** "exited with code 3" or "killed by signal 9 (SIGKILL)". */
    public static String describe(final int code)
    {
        final int signal = signalOf(code);
        return signal == 0 ? "exited with code " + code : "killed by signal " + signal + " (" + signalName(signal) + ")";
    }
}
