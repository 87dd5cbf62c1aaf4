package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.WARNING;

/**
 * The watchdog thread's loop. NCCL reports asynchronous errors only when asked and never gives up
 * on a peer by itself, so this polls {@code ncclCommGetAsyncError} and the deadline of the call in
 * flight, turns either into a failure, and on any failure (its own, the caller's, the peer
 * monitor's, {@code abort()}) runs {@code ncclCommAbort}, which releases the NCCL kernels and with
 * them the caller waiting on the stream. It ends after the abort or at close.
 */
final class NcclWatchdog implements Runnable
{
    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.watchdogMs", 20));

    private final int rank;
    private final int device;
    private final NcclCalls calls;
    private final CommHealth health;
    private final InFlightCall inFlight;

    NcclWatchdog(final int rank, final int device, final NcclCalls calls, final CommHealth health, final InFlightCall inFlight)
    {
        this.rank = rank;
        this.device = device;
        this.calls = calls;
        this.health = health;
        this.inFlight = inFlight;
    }

    @Override
    public void run()
    {
        final int[] asyncError = new int[1];
        try
        {
            // The current device is per thread: NCCL calls from here act on our device.
            cudart.cudaSetDevice(device);
            while (!health.isClosed() && !calls.isAborted())
            {
                if (health.isBroken())
                {
                    calls.abort();
                    break;
                }
                asyncError[0] = nccl.ncclSuccess;
                final int result = calls.asyncError(asyncError);
                if (result != nccl.ncclSuccess || (asyncError[0] != nccl.ncclSuccess && asyncError[0] != nccl.ncclInProgress))
                {
                    final int code = result != nccl.ncclSuccess ? result : asyncError[0];
                    health.broken(new CollectiveException("NCCL reported an asynchronous error on rank " + rank +
                        (inFlight.active() ? " during " + inFlight.name() : "") + ": " + calls.errorName(code)));
                    continue;
                }
                final long due = inFlight.deadline();
                if (due != 0 && System.nanoTime() - due > 0)
                {
                    health.broken(new CollectiveTimeoutException(inFlight.name() + " on rank " + rank + " did not complete within " +
                        inFlight.timeout() + " (JCCL_TIMEOUT); the NCCL communicator was aborted"));
                    continue;
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(WARNING, "rank " + rank + ": NCCL watchdog stopped", ex);
        }
    }
}
