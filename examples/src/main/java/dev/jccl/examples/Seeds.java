package dev.jccl.examples;

import java.util.SplittableRandom;

/** Seed mixing and Gaussian draws that give the same numbers on every JVM (no reliance on library internals). */
final class Seeds
{
    private Seeds()
    {
    }

    /** A well-mixed 64-bit seed from a base seed and a stream index (SplitMix64 finaliser). */
    static long mix(final long seed, final long stream)
    {
        long z = seed * 0x9E3779B97F4A7C15L + stream + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A standard normal draw by Box-Muller (uses two uniforms, returns one value). */
    static double gaussian(final SplittableRandom random)
    {
        final double u1 = 1.0 - random.nextDouble(); // (0, 1]
        final double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
