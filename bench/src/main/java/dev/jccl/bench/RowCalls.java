package dev.jccl.bench;

/**
 * The loops that make a row's calls, in methods of their own: as loops inside
 * {@link PerfDriver}'s measure they were compiled on-stack-replaced with predicates from the
 * previous rows' profile, which the next row's counts broke (LogCompilation: profile_predicate
 * traps), and the recompile of the whole of measure ran during a timed row, on the rank's own core.
 */
final class RowCalls
{
    /**
     * Untimed calls are made this many per {@link #timed} invocation, so the warm-up pass invokes
     * it over a thousand times a round and C2 compiles it, with both the out-of-place and the
     * in-place call in its profile, before the table. With one invocation per size and half, a
     * warm-up of 6 rounds made about 550, under C2's minimum of 600 (Tier4MinInvocationThreshold),
     * and the compile (and two recompiles after class-check traps) ran during the first rows on
     * the ranks' own cores: -XX:+PrintCompilation, 8-64 B rows at 12-13.6 us against 10.4-10.9 us
     * in the runs whose warm-up had 7 or 8 rounds.
     */
    static final int UNTIMED_CHUNK = 8;

    private RowCalls()
    {
    }

    /** {@code count} calls in one loop: the timed part of a row. */
    static void timed(final Runnable call, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            call.run();
        }
    }

    /** {@code count} calls through {@link #timed}, {@link #UNTIMED_CHUNK} at a time: a row's warm-up. */
    static void untimed(final Runnable call, final int count)
    {
        for (int done = 0; done < count; done += UNTIMED_CHUNK)
        {
            timed(call, Math.min(UNTIMED_CHUNK, count - done));
        }
    }
}
