package dev.jccl.bench;

/**
 * One line of the table: a size with its out-of-place and in-place measurements.
 *
 * @param variant  algorithm/transport label ("auto/auto" for the library's choices).
 * @param size     the size column in bytes.
 * @param count    the count column in elements.
 * @param type     nccl-tests' type name ("float"; "none" for barrier).
 * @param op       nccl-tests' op name ("sum"; "none" without a reduction).
 * @param root     root rank, -1 when the collective has none.
 */
public record PerfRow(
    String collective, String variant, int nranks, long size, long count, String type, String op, int root,
    Timing outOfPlace, Timing inPlace)
{
    /**
     * @param timeUs aggregated time of one call in microseconds.
     * @param algBw  size / time in GB/s (1e9 bytes).
     * @param busBw  algBw x the collective's factor.
     * @param wrong  wrong elements summed over ranks, -1 when not checked (prints N/A).
     */
    public record Timing(double timeUs, double algBw, double busBw, long wrong)
    {
        /** Computes algbw and busbw from a time and a byte size. */
        public static Timing of(final double seconds, final long bytes, final double busBwFactor, final long wrong)
        {
            final double algBw = seconds > 0 ? bytes / 1.0e9 / seconds : 0;
            return new Timing(seconds * 1.0e6, algBw, algBw * busBwFactor, wrong);
        }
    }
}
