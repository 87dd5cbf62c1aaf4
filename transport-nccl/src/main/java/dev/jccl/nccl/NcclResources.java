package dev.jccl.nccl;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclComm;
import org.bytedeco.cuda.nccl.ncclUniqueId;
import org.bytedeco.javacpp.Pointer;

import static java.lang.System.Logger.Level.DEBUG;

/**
 * The native objects one communicator owns: the NCCL communicator handle, its CUDA stream, the
 * event each call waits on, the event that orders the stream after the caller's default-stream
 * work, and the device word the barrier reduces. {@link #open} makes them all
 * or, when any step fails, releases what it made (newest first) before rethrowing.
 */
final class NcclResources
{
    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    /** One int32 is reduced; a whole allocation unit keeps it aligned for any NCCL protocol. */
    private static final long BARRIER_BYTES = 256;

    private final ncclComm comm;
    private final CUstream_st stream;
    private final CUevent_st done;
    private final CUevent_st inputsReady;
    private final Pointer barrier;

    private NcclResources(final ncclComm comm, final CUstream_st stream, final CUevent_st done, final CUevent_st inputsReady, final Pointer barrier)
    {
        this.comm = comm;
        this.stream = stream;
        this.done = done;
        this.inputsReady = inputsReady;
        this.barrier = barrier;
    }

    /** ncclCommInitRank with {@code uid} on the current device, then the stream, event and barrier word. */
    static NcclResources open(final byte[] uid, final int rank, final int size, final int device)
    {
        final ncclComm comm = new ncclComm();
        CUstream_st stream = null;
        CUevent_st done = null;
        CUevent_st inputsReady = null;
        Pointer barrier = null;
        try (ncclUniqueId id = new ncclUniqueId())
        {
            for (int i = 0; i < UniqueIdExchange.UNIQUE_ID_BYTES; i++)
            {
                id.internal(i, uid[i]);
            }
            LOG.log(DEBUG, "rank {0}/{1}: ncclCommInitRank on device {2}", rank, size, device);
            Cuda.checkNccl(nccl.ncclCommInitRank(comm, size, id, rank), "ncclCommInitRank(rank " + rank + " of " + size + ")", null);
            stream = new CUstream_st();
            Cuda.check(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags");
            done = new CUevent_st();
            Cuda.check(cudart.cudaEventCreateWithFlags(done, cudart.cudaEventDisableTiming), "cudaEventCreateWithFlags");
            inputsReady = new CUevent_st();
            Cuda.check(cudart.cudaEventCreateWithFlags(inputsReady, cudart.cudaEventDisableTiming), "cudaEventCreateWithFlags");
            barrier = new Pointer();
            Cuda.check(cudart.cudaMalloc(barrier, BARRIER_BYTES), "cudaMalloc(barrier)");
            Cuda.check(cudart.cudaMemset(barrier, 0, BARRIER_BYTES), "cudaMemset(barrier)");
        }
        catch (final RuntimeException ex)
        {
            if (barrier != null && !barrier.isNull())
            {
                cudart.cudaFree(barrier);
            }
            if (inputsReady != null && !inputsReady.isNull())
            {
                cudart.cudaEventDestroy(inputsReady);
            }
            if (done != null && !done.isNull())
            {
                cudart.cudaEventDestroy(done);
            }
            if (stream != null && !stream.isNull())
            {
                cudart.cudaStreamDestroy(stream);
            }
            if (!comm.isNull())
            {
                nccl.ncclCommAbort(comm);
            }
            throw ex;
        }
        return new NcclResources(comm, stream, done, inputsReady, barrier);
    }

    ncclComm comm()
    {
        return comm;
    }

    CUstream_st stream()
    {
        return stream;
    }

    CUevent_st done()
    {
        return done;
    }

    CUevent_st inputsReady()
    {
        return inputsReady;
    }

    /** Device address of the barrier's int32. */
    long barrierAddress()
    {
        return barrier.address();
    }

    /** Frees the barrier word, the event and the stream; only once the stream is idle and the handle is gone. */
    void release()
    {
        cudart.cudaFree(barrier);
        cudart.cudaEventDestroy(inputsReady);
        cudart.cudaEventDestroy(done);
        cudart.cudaStreamDestroy(stream);
    }
}
