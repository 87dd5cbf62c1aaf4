package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.JcclConfig;
import dev.jccl.ReduceOp;
import dev.jccl.core.AbstractCommunicator;
import dev.jccl.core.BufferRef;
import dev.jccl.core.CommunicatorSplit;
import dev.jccl.spi.SubCommunicatorFactory;
import dev.jccl.store.Store;
import org.bytedeco.cuda.global.cudart;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A communicator whose collectives are NCCL calls on one CUDA stream of one device.
 *
 * <ul>
 * <li>Device buffers ({@code CommBuffer.device}) go straight to NCCL. Host arrays and buffers are
 * staged through pinned host memory and device scratch that grow to the largest call and are then
 * reused, so steady-state calls allocate nothing ({@link StagingArea}).</li>
 * <li>Every call is checked ({@link CollectiveArguments}) before any CUDA or NCCL call, then
 * enqueued on the stream ({@link NcclCollectives}, {@link NcclCalls}) and waited for with a
 * deadline ({@link StreamCompletion}).</li>
 * <li>A watchdog thread ({@link NcclWatchdog}) polls {@code ncclCommGetAsyncError} and the deadline
 * of the call in flight; a monitor thread ({@link PeerMonitor}) keeps a heartbeat in the bootstrap
 * store, watches the next rank's, and relays aborts between ranks. On an error, a timeout, a dead
 * peer or {@link #abort()} the communicator is aborted with {@code ncclCommAbort}, which releases
 * NCCL kernels and host waits, so no rank hangs; the communicator is then broken and every call
 * throws at once ({@link CommHealth}).</li>
 * <li>{@link #close()} is bounded: {@code ncclCommDestroy} when healthy (given up on after a
 * bound), {@code ncclCommAbort} when broken.</li>
 * </ul>
 * One thread at a time calls it, as with every communicator; {@link #abort()} is safe from any thread.
 */
public final class NcclCommunicator extends AbstractCommunicator
{
    public static final String NAME = "nccl";

    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long CLOSE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long BROKEN_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long THREAD_JOIN_MS = 5_000;

    private final int rank;
    private final int size;
    private final int device;
    private final long communicatorId;
    private final Duration timeout;
    private final Store store;
    private final int ncclVersion;
    private final NcclResources resources;
    private final CommHealth health;
    private final NcclCalls calls;
    private final StagingArea staging;
    private final StreamCompletion completion;
    private final NcclCollectives collectives;
    private final Thread watchdog;
    private final Thread monitor;
    private long splits;

    private NcclCommunicator(
        final int rank, final int size, final int device, final long communicatorId, final Duration timeout, final Store store,
        final int ncclVersion, final NcclResources resources, final String peerHost)
    {
        this.rank = rank;
        this.size = size;
        this.device = device;
        this.communicatorId = communicatorId;
        this.timeout = timeout;
        this.store = store;
        this.ncclVersion = ncclVersion;
        this.resources = resources;
        this.health = new CommHealth(rank, communicatorId);
        final InFlightCall inFlight = new InFlightCall(timeout, () -> callDeadline(timeout));
        this.calls = new NcclCalls(rank, device, communicatorId, resources.comm(), resources.stream(), health);
        this.staging = new StagingArea(rank, resources.stream());
        this.completion = new StreamCompletion(rank, resources.stream(), resources.done(), resources.inputsReady(), health, inFlight);
        this.collectives = new NcclCollectives(
            rank, size, device, ncclVersion, resources.barrierAddress(), calls, staging, completion, health, inFlight);
        this.watchdog = new Thread(new NcclWatchdog(rank, device, calls, health, inFlight), "jccl-nccl-watchdog-r" + rank + "-c" + communicatorId);
        this.watchdog.setDaemon(true);
        this.monitor = new Thread(
            new PeerMonitor(rank, size, peerHost, communicatorId, store, health, inFlight), "jccl-nccl-monitor-r" + rank + "-c" + communicatorId);
        this.monitor.setDaemon(true);
        health.wakeOnFailure(watchdog, monitor);
    }

    /**
     * Joins the NCCL communicator: picks the device, exchanges the unique id through {@code store}
     * (null for a single rank), waits (bounded) until every rank is ready, then initialises NCCL,
     * the stream and the watchdog.
     */
    static NcclCommunicator create(final JcclConfig config, final Store store, final long communicatorId, final NcclProbe.Result probe)
    {
        final int rank = config.rank();
        final int size = config.worldSize();
        if (size > 1 && store == null)
        {
            throw new IllegalArgumentException("the NCCL transport needs a bootstrap store when world size > 1");
        }
        final int device = DeviceSelection.resolve(config, probe.deviceCount());
        return join(rank, size, device, config.timeout(), store, communicatorId, probe.ncclVersion());
    }

    /**
     * The part of {@link #create} after the device is chosen; {@link #split} joins its groups
     * through it on the parent's device, so a sub-communicator is built exactly as a world one.
     */
    private static NcclCommunicator join(
        final int rank, final int size, final int device, final Duration timeout, final Store store, final long communicatorId,
        final int ncclVersion)
    {
        Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        final byte[] uid = size == 1 ? NcclBootstrap.newUniqueId() : UniqueIdExchange.exchange(store, rank, NcclBootstrap::newUniqueId, timeout);
        // Every rank present before NCCL's blocking init: a rank that never comes fails here, bounded.
        final String peerHost = size > 1 ? NcclBootstrap.awaitAllRanks(store, rank, size, timeout) : "?";

        final NcclResources resources = NcclResources.open(uid, rank, size, device);
        final NcclCommunicator communicator = new NcclCommunicator(
            rank, size, device, communicatorId, timeout, store, ncclVersion, resources, peerHost);
        communicator.watchdog.start();
        if (size > 1)
        {
            communicator.monitor.start();
        }
        LOG.log(INFO, "rank {0}/{1} joined NCCL {2} communicator {3} on CUDA device {4}",
            rank, size, NcclTypes.versionString(ncclVersion), communicatorId, device);
        return communicator;
    }

    @Override
    public int rank()
    {
        return rank;
    }

    @Override
    public int size()
    {
        return size;
    }

    @Override
    public long id()
    {
        return communicatorId;
    }

    @Override
    public String transportName()
    {
        return NAME;
    }

    /** The CUDA device ordinal this communicator runs on. */
    public int device()
    {
        return device;
    }

    /** The {@code cudaStream_t} its collectives run on, for callers that order their own work after them. */
    public long streamAddress()
    {
        return resources.stream().address();
    }

    /** ncclGetVersion of the loaded NCCL, e.g. 22903. */
    public int ncclVersion()
    {
        return ncclVersion;
    }

    @Override
    protected void doAllReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        collectives.allReduce(send, recv, op);
    }

    @Override
    protected void doBroadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        collectives.broadcast(send, recv, root);
    }

    @Override
    protected void doAllGather(final BufferRef send, final BufferRef recv)
    {
        collectives.allGather(send, recv);
    }

    @Override
    protected void doReduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        collectives.reduceScatter(send, recv, op);
    }

    @Override
    protected void doReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        collectives.reduce(send, recv, op, root);
    }

    @Override
    protected void doBarrier()
    {
        collectives.barrier();
    }

    /**
     * Runs {@code body}'s collectives as one NCCL group ({@code ncclGroupStart}/{@code ncclGroupEnd}),
     * so NCCL fuses them and they complete together when this returns, like PyTorch's coalescing
     * manager. Inside, only device buffers are allowed (host buffers need their result copied back
     * per call) and no barrier. Every rank must issue the same calls in the same order.
     */
    public void group(final Runnable body)
    {
        collectives.group(body);
    }

    @Override
    public void abort()
    {
        final CollectiveException failure = health.broken(new CommunicatorAbortedException("aborted by rank " + rank + " (Communicator.abort)"));
        stopAsync(failure, false);
        awaitAsyncStopped();
    }

    /**
     * MPI_Comm_split: groups agreed through an allgather on this communicator, then each group
     * joins a fresh NCCL communicator (its own unique id, exchanged through the group's store
     * namespace) on this rank's device, as a world communicator joins; it works with every NCCL
     * version, where ncclCommSplit needs 2.18. Its peer monitor keeps heartbeats in that namespace,
     * so the group's store keys stay until the job ends.
     */
    @Override
    public dev.jccl.Communicator split(final int color, final int key)
    {
        if (size > 1 && store == null)
        {
            throw new IllegalStateException("split: rank " + rank + "'s NCCL communicator has no bootstrap store");
        }
        return CommunicatorSplit.split(this, color, key, splits++, store, new SubCommunicatorFactory()
        {
            @Override
            public dev.jccl.Communicator create(final int subRank, final int subSize, final long id, final Store subStore)
            {
                return join(subRank, subSize, device, timeout, subStore, id, ncclVersion);
            }

            @Override
            public boolean usesStoreAfterJoin()
            {
                return true;
            }
        });
    }

    /** Whether the communicator has failed (or was aborted); later calls throw. */
    public boolean isBroken()
    {
        return health.isBroken();
    }

    /**
     * Stops the threads, then: healthy and drained → ncclCommDestroy (bounded); otherwise
     * ncclCommAbort. CUDA memory, the events and the stream are freed only once the stream is idle
     * (NCCL kernels may still read or write them) and the handle is gone; else they are left
     * allocated, with a log line.
     * Closes the store last.
     */
    @Override
    public void close()
    {
        if (health.isClosed())
        {
            return;
        }
        // Pending async calls fail with CommunicatorAbortedException; a running one is unblocked by an abort.
        if (stopAsync(new CommunicatorAbortedException("communicator closed by rank " + rank + " with async calls pending"), true))
        {
            abort();
        }
        awaitAsyncStopped();
        health.markClosed();
        try
        {
            stopThread(watchdog);
            stopThread(monitor);
            // Quietly: close goes on whatever the device says.
            cudart.cudaSetDevice(device);
            final boolean healthy = !health.isBroken() && !calls.isAborted();
            final long bound = Math.min(timeout.toNanos(), CLOSE_BOUND_NANOS);
            boolean idle = completion.waitIdle(healthy ? bound : BROKEN_DRAIN_NANOS);
            boolean handleDone = true;
            if (healthy && idle)
            {
                handleDone = calls.destroyBounded(TimeUnit.NANOSECONDS.toMillis(bound));
            }
            else
            {
                calls.abort();
                idle = idle || completion.waitIdle(BROKEN_DRAIN_NANOS);
            }
            if (idle && handleDone)
            {
                staging.free();
                resources.release();
            }
            else if (!idle)
            {
                LOG.log(WARNING, "rank {0}: CUDA stream still busy at close; its memory is left allocated", rank);
            }
            else
            {
                // A destroy that has not returned may still use the device state it tears down: freeing under it risks a use after free.
                LOG.log(WARNING, "rank {0}: ncclCommDestroy still running at close; the stream and its memory are left allocated", rank);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(WARNING, "rank " + rank + ": error while closing the NCCL communicator", ex);
        }
        finally
        {
            if (store != null)
            {
                store.close();
            }
        }
    }

    private static void stopThread(final Thread thread)
    {
        if (thread.isAlive())
        {
            LockSupport.unpark(thread);
            thread.interrupt();
            try
            {
                thread.join(THREAD_JOIN_MS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString()
    {
        final CollectiveException failure = health.failure();
        return "NcclCommunicator{rank " + rank + " of " + size + ", device " + device + ", id " + communicatorId +
            (failure != null ? ", broken: " + failure.getMessage() : "") + "}";
    }
}
