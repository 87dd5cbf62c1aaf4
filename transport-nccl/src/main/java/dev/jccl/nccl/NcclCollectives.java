package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.MemoryKind;
import dev.jccl.ReduceOp;
import dev.jccl.core.BufferRef;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;

import static dev.jccl.nccl.StagingArea.regionAfter;
import static dev.jccl.nccl.StagingArea.stagedBytes;

/**
 * Each collective as one NCCL call on the communicator's stream. Every call runs the same phases:
 * check the arguments (before any CUDA call); mark the call in flight; lay out staging for the
 * host-side buffers and queue their host-to-device copies; enqueue the NCCL call; queue the
 * device-to-host copy of a host result; wait for the stream; copy the result into the caller's
 * memory. Inside {@link #group} the calls only enqueue (device buffers only) and the group waits once.
 * A CUDA or NCCL error on the way breaks the communicator.
 */
final class NcclCollectives
{
    private final int rank;
    private final int size;
    private final int device;
    private final int ncclVersion;
    private final long barrierAddress;
    private final NcclCalls calls;
    private final StagingArea staging;
    private final StreamCompletion completion;
    private final CommHealth health;
    private final InFlightCall inFlight;
    private int groupDepth;

    NcclCollectives(
        final int rank, final int size, final int device, final int ncclVersion, final long barrierAddress, final NcclCalls calls,
        final StagingArea staging, final StreamCompletion completion, final CommHealth health, final InFlightCall inFlight)
    {
        this.rank = rank;
        this.size = size;
        this.device = device;
        this.ncclVersion = ncclVersion;
        this.barrierAddress = barrierAddress;
        this.calls = calls;
        this.staging = staging;
        this.completion = completion;
        this.health = health;
        this.inFlight = inFlight;
    }

    void allReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        CollectiveArguments.allReduce(send, recv, op, ncclVersion);
        final boolean inPlace = send.sameRegion(recv);
        final long bytes = recv.byteLength();
        checkGroupable(send, recv);
        begin("allReduce");
        try
        {
            if (recv.count() == 0)
            {
                return;
            }
            staging.ensure(stagedBytes(send, bytes, inPlace ? null : recv, bytes));
            final long sendAddr = staging.stageIn(send, 0, 0, bytes, true);
            final long recvAddr = inPlace ? sendAddr : staging.stageIn(recv, regionAfter(send, bytes), 0, bytes, false);
            calls.allReduce("ncclAllReduce", sendAddr, recvAddr, recv.count(), NcclTypes.ncclType(recv.type()), NcclTypes.ncclOp(op));
            staging.stageOut(recvAddr, recv, bytes);
            complete();
            staging.copyOut(recvAddr, recv, 0, bytes);
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    void broadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        CollectiveArguments.broadcast(send, recv, root, size, ncclVersion);
        final boolean inPlace = send.sameRegion(recv);
        final boolean isRoot = rank == root;
        final long bytes = recv.byteLength();
        checkGroupable(send, recv);
        begin("broadcast");
        try
        {
            if (recv.count() == 0)
            {
                return;
            }
            // Only the root's send side carries data; elsewhere NCCL is handed recv for both.
            final boolean separateSend = isRoot && !inPlace;
            staging.ensure(stagedBytes(separateSend ? send : null, bytes, recv, bytes));
            final long recvAddr = staging.stageIn(recv, separateSend ? regionAfter(send, bytes) : 0, 0, bytes, isRoot && inPlace);
            final long sendAddr = separateSend ? staging.stageIn(send, 0, 0, bytes, true) : recvAddr;
            calls.broadcast(sendAddr, recvAddr, recv.count(), NcclTypes.ncclType(recv.type()), root);
            final boolean copyBack = !(isRoot && inPlace);
            if (copyBack)
            {
                staging.stageOut(recvAddr, recv, bytes);
            }
            complete();
            if (copyBack)
            {
                staging.copyOut(recvAddr, recv, 0, bytes);
            }
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    void allGather(final BufferRef send, final BufferRef recv)
    {
        final long blockCount = CollectiveArguments.allGatherBlockCount(send, recv, size, ncclVersion);
        final boolean inPlace = send.sameRegion(recv);
        final long blockBytes = blockCount * recv.type().size();
        final long bytes = recv.byteLength();
        checkGroupable(send, recv);
        begin("allGather");
        try
        {
            if (blockCount == 0)
            {
                return;
            }
            final long recvAddr;
            final long sendAddr;
            if (inPlace)
            {
                // NCCL's in-place layout: this rank's block already sits at block `rank` of recv.
                staging.ensure(stagedBytes(null, 0, recv, bytes));
                recvAddr = staging.stageIn(recv, 0, 0, bytes, false);
                if (recv.kind() != MemoryKind.DEVICE)
                {
                    staging.stageInRange(recv, recvAddr, rank * blockBytes, blockBytes);
                }
                sendAddr = recvAddr + rank * blockBytes;
            }
            else
            {
                staging.ensure(stagedBytes(send, blockBytes, recv, bytes));
                sendAddr = staging.stageIn(send, 0, 0, blockBytes, true);
                recvAddr = staging.stageIn(recv, regionAfter(send, blockBytes), 0, bytes, false);
            }
            calls.allGather(sendAddr, recvAddr, blockCount, NcclTypes.ncclType(recv.type()));
            staging.stageOut(recvAddr, recv, bytes);
            complete();
            staging.copyOut(recvAddr, recv, 0, bytes);
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    void reduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        final long blockCount = CollectiveArguments.reduceScatterBlockCount(send, recv, op, size, ncclVersion);
        final boolean inPlace = send.sameRegion(recv);
        final long blockBytes = blockCount * send.type().size();
        final long bytes = send.byteLength();
        checkGroupable(send, recv);
        begin("reduceScatter");
        try
        {
            if (blockCount == 0)
            {
                return;
            }
            // NCCL's in-place layout: this rank's result lands at block `rank` of the send buffer.
            staging.ensure(stagedBytes(send, bytes, inPlace ? null : recv, blockBytes));
            final long sendAddr = staging.stageIn(send, 0, 0, bytes, true);
            final long recvAddr = inPlace ? sendAddr + rank * blockBytes : staging.stageIn(recv, regionAfter(send, bytes), 0, blockBytes, false);
            final long recvOffset = inPlace ? rank * blockBytes : 0;
            calls.reduceScatter(sendAddr, recvAddr, blockCount, NcclTypes.ncclType(send.type()), NcclTypes.ncclOp(op));
            staging.stageOut(recvAddr, recv, blockBytes);
            complete();
            staging.copyOut(recvAddr, recv, recvOffset, blockBytes);
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    void reduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        final boolean isRoot = rank == root;
        CollectiveArguments.reduce(send, recv, op, root, isRoot, size, ncclVersion);
        final boolean inPlace = send.sameRegion(recv);
        final long bytes = send.byteLength();
        checkGroupable(send, isRoot ? recv : send);
        begin("reduce");
        try
        {
            if (send.count() == 0)
            {
                return;
            }
            final boolean separateRecv = isRoot && !inPlace;
            staging.ensure(stagedBytes(send, bytes, separateRecv ? recv : null, bytes));
            final long sendAddr = staging.stageIn(send, 0, 0, bytes, true);
            // NCCL reads recvbuff on the root only; elsewhere it gets the send buffer, which it leaves alone.
            final long recvAddr = separateRecv ? staging.stageIn(recv, regionAfter(send, bytes), 0, bytes, false) : sendAddr;
            calls.reduce(sendAddr, recvAddr, send.count(), NcclTypes.ncclType(send.type()), NcclTypes.ncclOp(op), root);
            if (isRoot)
            {
                staging.stageOut(recvAddr, recv, bytes);
            }
            complete();
            if (isRoot)
            {
                staging.copyOut(recvAddr, recv, 0, bytes);
            }
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    /** NCCL has no barrier: a one-element allreduce on device scratch, waited for, as PyTorch does. */
    void barrier()
    {
        if (groupDepth > 0)
        {
            throw new IllegalArgumentException("barrier cannot run inside an NCCL group");
        }
        begin("barrier");
        try
        {
            calls.allReduce("ncclAllReduce(barrier)", barrierAddress, barrierAddress, 1, nccl.ncclInt32, nccl.ncclSum);
            complete();
        }
        catch (final CollectiveException ex)
        {
            throw health.broken(ex);
        }
        finally
        {
            end();
        }
    }

    /**
     * Runs {@code body}'s collectives as one NCCL group: ncclGroupStart, the body's enqueues,
     * ncclGroupEnd even when the body threw (NCCL's group depth is per thread and must balance),
     * then one wait for the outermost group. The body's exception wins over the group's.
     */
    void group(final Runnable body)
    {
        health.checkUsable();
        setDevice();
        calls.groupStart();
        groupDepth++;
        RuntimeException thrown = null;
        try
        {
            body.run();
        }
        catch (final RuntimeException ex)
        {
            thrown = ex;
        }
        finally
        {
            groupDepth--;
        }
        if (groupDepth == 0)
        {
            inFlight.start("group");
        }
        try
        {
            calls.groupEnd();
            if (groupDepth == 0)
            {
                complete();
            }
        }
        catch (final RuntimeException ex)
        {
            if (thrown == null)
            {
                thrown = ex;
            }
        }
        if (thrown != null)
        {
            throw thrown;
        }
    }

    private void checkGroupable(final BufferRef send, final BufferRef recv)
    {
        if (groupDepth > 0 && (StagingArea.host(send) || StagingArea.host(recv)))
        {
            throw new IllegalArgumentException("only device buffers can join an NCCL group (host buffers are copied back per call)");
        }
    }

    private void setDevice()
    {
        // The current device is per thread; the caller may not be the thread that created the communicator.
        Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    private void begin(final String what)
    {
        health.checkUsable();
        setDevice();
        // Before the deadline starts: a failure here leaves no call in flight for the watchdog to time out.
        completion.followDefaultStream();
        if (groupDepth == 0)
        {
            inFlight.start(what);
        }
    }

    private void end()
    {
        if (groupDepth == 0)
        {
            inFlight.finish();
        }
    }

    /** Inside a group the group waits; otherwise wait for this call. */
    private void complete()
    {
        if (groupDepth > 0)
        {
            return;
        }
        completion.await();
    }
}
