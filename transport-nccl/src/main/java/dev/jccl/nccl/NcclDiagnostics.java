package dev.jccl.nccl;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;

import java.util.Locale;

/**
 * Command-line checks for GPU machines (used by {@code bench/gpu-check.sh}):
 * <pre>
 *   probe                         what the NCCL probe found (exit 1 when NCCL cannot run)
 *   memcpy [minBytes maxBytes f]  cudaMemcpy device-to-device bandwidth on device 0, the baseline
 *                                 jccl-perf's NCCL figures are compared with
 * </pre>
 */
public final class NcclDiagnostics
{
    private NcclDiagnostics()
    {
    }

    public static void main(final String[] args)
    {
        final String command = args.length > 0 ? args[0] : "probe";
        final NcclProbe.Result probe = NcclProbe.result();
        System.out.println("# " + probe);
        if (!probe.available())
        {
            System.exit(1);
        }
        if ("memcpy".equals(command))
        {
            final long min = args.length > 1 ? parseSize(args[1]) : 8;
            final long max = args.length > 2 ? parseSize(args[2]) : 256L << 20;
            final int factor = args.length > 3 ? Integer.parseInt(args[3]) : 2;
            memcpy(min, max, factor);
        }
    }

    static long parseSize(final String text)
    {
        final String t = text.trim().toUpperCase(Locale.ROOT);
        final char unit = t.charAt(t.length() - 1);
        final long scale = unit == 'K' ? 1L << 10 : unit == 'M' ? 1L << 20 : unit == 'G' ? 1L << 30 : 1;
        return Long.parseLong(scale == 1 ? t : t.substring(0, t.length() - 1)) * scale;
    }

    private static void memcpy(final long min, final long max, final int factor)
    {
        if (min <= 0 || max < min || factor < 1)
        {
            throw new IllegalArgumentException("memcpy sweep needs 0 < min <= max and factor >= 1, got min " + min + ", max " + max +
                ", factor " + factor);
        }
        Cuda.check(cudart.cudaSetDevice(0), "cudaSetDevice(0)");
        final Pointer src = new Pointer();
        final Pointer dst = new Pointer();
        final CUevent_st start = new CUevent_st();
        final CUevent_st stop = new CUevent_st();
        try
        {
            Cuda.check(cudart.cudaMalloc(src, max), "cudaMalloc(" + max + " bytes)");
            Cuda.check(cudart.cudaMalloc(dst, max), "cudaMalloc(" + max + " bytes)");
            Cuda.check(cudart.cudaEventCreate(start), "cudaEventCreate");
            Cuda.check(cudart.cudaEventCreate(stop), "cudaEventCreate");
            System.out.println("# cudaMemcpy device-to-device on device 0 (baseline: one read + one write of each byte)");
            System.out.printf("%12s %12s %12s%n", "size(B)", "time(us)", "algbw(GB/s)");
            final float[] ms = new float[1];
            for (long bytes = min; bytes <= max; bytes *= factor)
            {
                final int iters = bytes < (1 << 20) ? 200 : 20;
                for (int w = 0; w < 5; w++)
                {
                    Cuda.check(cudart.cudaMemcpy(dst, src, bytes, cudart.cudaMemcpyDeviceToDevice), "cudaMemcpy");
                }
                Cuda.check(cudart.cudaEventRecord(start), "cudaEventRecord");
                for (int i = 0; i < iters; i++)
                {
                    Cuda.check(cudart.cudaMemcpyAsync(dst, src, bytes, cudart.cudaMemcpyDeviceToDevice), "cudaMemcpyAsync");
                }
                Cuda.check(cudart.cudaEventRecord(stop), "cudaEventRecord");
                Cuda.check(cudart.cudaEventSynchronize(stop), "cudaEventSynchronize");
                Cuda.check(cudart.cudaEventElapsedTime(ms, start, stop), "cudaEventElapsedTime");
                final double us = ms[0] * 1000.0 / iters;
                System.out.printf("%12d %12.2f %12.2f%n", bytes, us, bytes / us / 1e3);
                if (factor <= 1)
                {
                    break;
                }
            }
        }
        finally
        {
            // Whatever was made, in reverse; a failed create left its handle null.
            if (!stop.isNull())
            {
                cudart.cudaEventDestroy(stop);
            }
            if (!start.isNull())
            {
                cudart.cudaEventDestroy(start);
            }
            if (!dst.isNull())
            {
                cudart.cudaFree(dst);
            }
            if (!src.isNull())
            {
                cudart.cudaFree(src);
            }
        }
    }
}
