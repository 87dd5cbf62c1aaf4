package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclComm;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * Every NCCL call on one communicator handle. Enqueues run under the API lock, after a check that
 * the communicator is still usable, so {@link #abort} never frees the handle in the middle of one;
 * a failed enqueue breaks the communicator. Addresses arrive as plain longs and are passed through
 * two reused {@link DevicePointer}s, so an enqueue allocates nothing. Counts are elements, as NCCL
 * takes them.
 */
final class NcclCalls
{
    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long ABORT_LOCK_WAIT_MS = 2_000;

    private final int rank;
    private final int device;
    private final long communicatorId;
    private final ncclComm comm;
    private final CUstream_st stream;
    private final CommHealth health;
    private final DevicePointer sendPtr = new DevicePointer();
    private final DevicePointer recvPtr = new DevicePointer();
    /** Held around every NCCL enqueue and around ncclCommAbort. */
    private final ReentrantLock apiLock = new ReentrantLock();
    /** Set once the handle is aborted or handed to ncclCommDestroy: no NCCL call may use it after. */
    private volatile boolean aborted;

    NcclCalls(final int rank, final int device, final long communicatorId, final ncclComm comm, final CUstream_st stream, final CommHealth health)
    {
        this.rank = rank;
        this.device = device;
        this.communicatorId = communicatorId;
        this.comm = comm;
        this.stream = stream;
        this.health = health;
    }

    void allReduce(final String name, final long send, final long recv, final long count, final int type, final int op)
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check(name, nccl.ncclAllReduce(sendPtr.at(send), recvPtr.at(recv), count, type, op, comm, stream));
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    void broadcast(final long send, final long recv, final long count, final int type, final int root)
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclBroadcast", nccl.ncclBroadcast(sendPtr.at(send), recvPtr.at(recv), count, type, root, comm, stream));
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    /** {@code sendCount}: the elements each rank contributes (recv holds {@code sendCount} x ranks). */
    void allGather(final long send, final long recv, final long sendCount, final int type)
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclAllGather", nccl.ncclAllGather(sendPtr.at(send), recvPtr.at(recv), sendCount, type, comm, stream));
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    /** {@code recvCount}: the elements each rank receives (send holds {@code recvCount} x ranks). */
    void reduceScatter(final long send, final long recv, final long recvCount, final int type, final int op)
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclReduceScatter", nccl.ncclReduceScatter(sendPtr.at(send), recvPtr.at(recv), recvCount, type, op, comm, stream));
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    void reduce(final long send, final long recv, final long count, final int type, final int op, final int root)
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclReduce", nccl.ncclReduce(sendPtr.at(send), recvPtr.at(recv), count, type, op, root, comm, stream));
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    void groupStart()
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclGroupStart", nccl.ncclGroupStart());
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    void groupEnd()
    {
        apiLock.lock();
        try
        {
            health.checkUsable();
            check("ncclGroupEnd", nccl.ncclGroupEnd());
        }
        finally
        {
            apiLock.unlock();
        }
        health.throwIfBroken();
    }

    private void check(final String name, final int result)
    {
        if (result != nccl.ncclSuccess)
        {
            throw health.broken(new CollectiveException(name + " failed on rank " + rank + ": " + Cuda.ncclErrorName(result, aborted ? null : comm)));
        }
    }

    /** ncclCommGetAsyncError into {@code asyncError[0]}; returns the call's own result. Not under the lock: it only reads. */
    int asyncError(final int[] asyncError)
    {
        return nccl.ncclCommGetAsyncError(comm, asyncError);
    }

    /** NCCL's text for {@code result}, with the communicator's last error. */
    String errorName(final int result)
    {
        return Cuda.ncclErrorName(result, comm);
    }

    boolean isAborted()
    {
        return aborted;
    }

    /**
     * ncclCommAbort, once. Taken under the API lock when the caller's thread is not stuck in an
     * enqueue; if it is (a full NCCL work queue blocks the host), abort anyway after a short wait:
     * that is the case NCCL's abort flag exists for.
     */
    void abort()
    {
        if (aborted)
        {
            return;
        }
        boolean locked = false;
        try
        {
            locked = apiLock.tryLock(ABORT_LOCK_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        try
        {
            if (!aborted)
            {
                aborted = true;
                final int result = nccl.ncclCommAbort(comm);
                LOG.log(result == nccl.ncclSuccess ? INFO : WARNING, "rank {0}: ncclCommAbort on communicator {1}: {2}",
                    rank, communicatorId, result == nccl.ncclSuccess ? "done" : Cuda.ncclErrorName(result, null));
            }
        }
        finally
        {
            if (locked)
            {
                apiLock.unlock();
            }
        }
    }

    /**
     * ncclCommDestroy on a helper thread, given up on (and left to finish alone) after {@code boundMillis}.
     *
     * @return whether ncclCommDestroy returned in time (whatever its result).
     */
    boolean destroyBounded(final long boundMillis)
    {
        final int[] result = { Integer.MIN_VALUE };
        final Thread destroyer = new Thread(() ->
        {
            cudart.cudaSetDevice(device);
            result[0] = nccl.ncclCommDestroy(comm);
        }, "jccl-nccl-destroy-r" + rank);
        destroyer.setDaemon(true);
        aborted = true; // no more NCCL calls on this handle from here on
        destroyer.start();
        try
        {
            destroyer.join(boundMillis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (destroyer.isAlive())
        {
            LOG.log(WARNING, "rank {0}: ncclCommDestroy did not return in time; left to finish in the background", rank);
            return false;
        }
        if (result[0] != nccl.ncclSuccess)
        {
            LOG.log(WARNING, "rank {0}: ncclCommDestroy: {1}", rank, Cuda.ncclErrorName(result[0], null));
        }
        return true;
    }
}
