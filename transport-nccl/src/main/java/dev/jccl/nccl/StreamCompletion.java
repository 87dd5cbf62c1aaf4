package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;

import java.util.concurrent.locks.LockSupport;

/**
 * The stream's order against the caller's work. Before a call, {@link #followDefaultStream} makes
 * the stream wait for everything already issued to the legacy default stream (and so to every
 * blocking stream): the stream is non-blocking, so without it NCCL could read a device buffer that
 * a kernel or a {@code cudaMemcpy} from pageable memory (which returns before its DMA lands) is
 * still writing. PyTorch orders its NCCL stream after the current stream the same way.
 *
 * <p>After a call, a call records an event behind its work and polls it, spinning briefly
 * (small collectives finish in microseconds) and then parking; it never blocks in CUDA, so a
 * failure reported meanwhile (the watchdog's timeout, a peer's abort) ends the wait at once. The
 * deadline itself is the watchdog's to enforce: its ncclCommAbort is what makes the event fire.
 */
final class StreamCompletion
{
    private static final int SPINS = 2_000;
    private static final int SHORT_PARKS = 20_000;

    private final int rank;
    private final CUstream_st stream;
    private final CUevent_st done;
    private final CUevent_st inputsReady;
    private final CommHealth health;
    private final InFlightCall call;

    StreamCompletion(
        final int rank, final CUstream_st stream, final CUevent_st done, final CUevent_st inputsReady, final CommHealth health, final InFlightCall call)
    {
        this.rank = rank;
        this.stream = stream;
        this.done = done;
        this.inputsReady = inputsReady;
        this.health = health;
        this.call = call;
    }

    /** Orders the stream after the work already issued to the legacy default stream; nothing waits on the host. */
    void followDefaultStream()
    {
        Cuda.check(cudart.cudaEventRecord(inputsReady, cudart.cudaStreamLegacy), "cudaEventRecord(default stream)");
        Cuda.check(cudart.cudaStreamWaitEvent(stream, inputsReady, 0), "cudaStreamWaitEvent");
    }

    /** Waits for the stream to pass everything enqueued so far; the call in flight then ends. */
    void await()
    {
        try
        {
            Cuda.check(cudart.cudaEventRecord(done, stream), "cudaEventRecord");
            int spins = 0;
            while (true)
            {
                final int status = cudart.cudaEventQuery(done);
                if (status == cudart.cudaSuccess)
                {
                    break;
                }
                if (status != cudart.cudaErrorNotReady)
                {
                    throw health.broken(new CollectiveException(call.name() + " failed on rank " + rank + ": " + Cuda.errorName(status)));
                }
                health.throwIfBroken();
                if (++spins < SPINS)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    LockSupport.parkNanos(spins < SHORT_PARKS ? 1_000 : 50_000);
                }
            }
        }
        finally
        {
            call.finish();
        }
        health.throwIfBroken();
    }

    /** Whether the stream drained (or reported an error) within {@code boundNanos}. */
    boolean waitIdle(final long boundNanos)
    {
        final long until = System.nanoTime() + boundNanos;
        while (true)
        {
            final int status = cudart.cudaStreamQuery(stream);
            if (status != cudart.cudaErrorNotReady)
            {
                return true;
            }
            if (System.nanoTime() - until > 0)
            {
                return false;
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
