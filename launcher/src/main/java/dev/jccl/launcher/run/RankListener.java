package dev.jccl.launcher.run;

/** What a {@link RankGroup} reports; called from its threads, so implementations must be thread-safe. */
public interface RankListener
{
    void started(int rank, long pid);

    /** One complete line (without its newline), or the last unterminated piece at end of stream. */
    void output(int rank, boolean stderr, byte[] line);

    /** The rank is gone and its output has been relayed; {@code code} is 128+S for signal S. */
    void exited(int rank, long pid, int code);

    /** The rank could not be started (program missing: 127, not executable: 126). */
    void startFailed(int rank, int code, String message);
}
