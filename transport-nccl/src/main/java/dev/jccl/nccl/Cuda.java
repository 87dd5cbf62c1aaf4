package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclComm;

/** Error checks for CUDA runtime and NCCL return codes. Call only after {@link NcclProbe} found both. */
final class Cuda
{
    private Cuda()
    {
    }

    static void check(final int err, final String call)
    {
        if (err != cudart.cudaSuccess)
        {
            throw new CollectiveException(call + " failed: " + errorName(err));
        }
    }

    static String errorName(final int err)
    {
        try
        {
            return cudart.cudaGetErrorString(err).getString() + " (cudaError " + err + ")";
        }
        catch (final Throwable ex)
        {
            return "cudaError " + err;
        }
    }

    static void checkNccl(final int result, final String call, final ncclComm comm)
    {
        if (result != nccl.ncclSuccess)
        {
            throw new CollectiveException(call + " failed: " + ncclErrorName(result, comm));
        }
    }

    static String ncclErrorName(final int result, final ncclComm comm)
    {
        final StringBuilder text = new StringBuilder();
        try
        {
            text.append(nccl.ncclGetErrorString(result).getString());
            if (comm != null && !comm.isNull())
            {
                final String last = nccl.ncclGetLastError(comm).getString();
                if (last != null && !last.isEmpty())
                {
                    text.append(": ").append(last);
                }
            }
        }
        catch (final Throwable ex)
        {
            // Fall back to the number.
        }
        return text.append(" (ncclResult ").append(result).append(')').toString();
    }
}
