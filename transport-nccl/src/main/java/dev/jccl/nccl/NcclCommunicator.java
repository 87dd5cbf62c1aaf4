package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CollectiveTimeoutException;
import dev.jccl.CommunicatorAbortedException;
import dev.jccl.JcclConfig;
import dev.jccl.MemoryKind;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;
import dev.jccl.core.AbstractCommunicator;
import dev.jccl.core.BufferRef;
import dev.jccl.env.NetworkEnvironment;
import dev.jccl.store.Store;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclComm;
import org.bytedeco.cuda.nccl.ncclUniqueId;
import org.bytedeco.javacpp.Pointer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static java.lang.System.Logger.Level.DEBUG;
import static java.lang.System.Logger.Level.INFO;
import static java.lang.System.Logger.Level.WARNING;

/**
 * A communicator whose collectives are NCCL calls on one CUDA stream of one device.
 *
 * <ul>
 * <li>Device buffers ({@code CommBuffer.device}) go straight to NCCL. Host arrays and buffers are
 * staged through pinned host memory and device scratch that grow to the largest call and are then
 * reused, so steady-state calls allocate nothing.</li>
 * <li>Every call is checked (types and ops through {@link NcclTypes}, counts, roots) before any
 * CUDA or NCCL call, then enqueued on the stream and waited for with a deadline.</li>
 * <li>A watchdog thread polls {@code ncclCommGetAsyncError} and the deadline of the call in
 * flight; a monitor thread keeps a heartbeat in the bootstrap store, watches the next rank's, and
 * relays aborts between ranks. On an error, a timeout, a dead peer or {@link #abort()} the
 * communicator is aborted with {@code ncclCommAbort}, which releases NCCL kernels and host waits,
 * so no rank hangs; the communicator is then broken and every call throws at once.</li>
 * <li>{@link #close()} is bounded: {@code ncclCommDestroy} when healthy (given up on after a
 * bound), {@code ncclCommAbort} when broken.</li>
 * </ul>
 * One thread at a time calls it, as with every communicator; {@link #abort()} is safe from any thread.
 */
public final class NcclCommunicator extends AbstractCommunicator
{
    public static final String NAME = "nccl";
    /** Abort published to every rank through the store. */
    static final String ABORT_KEY = "nccl/abort";
    static final String READY_KEY = "nccl/ready/";
    static final String HEARTBEAT_KEY = "nccl/hb/";

    private static final System.Logger LOG = System.getLogger(NcclCommunicator.class.getName());
    private static final long WATCHDOG_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.watchdogMs", 20));
    private static final long HEARTBEAT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.heartbeatMs", 1000));
    private static final long PEER_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(Long.getLong("jccl.nccl.peerTimeoutMs", 30_000));
    private static final long ABORT_LOCK_WAIT_MS = 2_000;
    private static final long CLOSE_BOUND_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final long MIN_STAGING_BYTES = 1 << 20;
    private static final long ALIGN = 256;

    private final int rank;
    private final int size;
    private final int device;
    private final long communicatorId;
    private final Duration timeout;
    private final Store store;
    private final int ncclVersion;
    private final ncclComm comm;
    private final CUstream_st stream;
    private final CUevent_st done;
    private final Pointer barrierBuffer;
    private final String peerHost;

    private final DevicePointer sendPtr = new DevicePointer();
    private final DevicePointer recvPtr = new DevicePointer();
    private final DevicePointer copyDst = new DevicePointer();
    private final DevicePointer copySrc = new DevicePointer();
    private Pointer pinned;
    private long pinnedBytes;
    private Pointer scratch;
    private long scratchBytes;
    private int groupDepth;

    /** Held around every NCCL enqueue and around ncclCommAbort (see {@link #abortComm}). */
    private final ReentrantLock apiLock = new ReentrantLock();
    private final Object failureLock = new Object();
    private volatile CollectiveException failure;
    private volatile boolean aborted;
    private volatile boolean closed;
    /** System.nanoTime() by which the call in flight must finish; 0 when idle. */
    private volatile long deadline;
    private volatile String inFlight = "";
    /** The failure came from another rank through the store: not published back. */
    private volatile boolean relayed;
    private final Thread watchdog;
    private final Thread monitor;

    private NcclCommunicator(
        final int rank, final int size, final int device, final long communicatorId, final Duration timeout, final Store store,
        final int ncclVersion, final ncclComm comm, final CUstream_st stream, final CUevent_st done, final Pointer barrierBuffer,
        final String peerHost)
    {
        this.rank = rank;
        this.size = size;
        this.device = device;
        this.communicatorId = communicatorId;
        this.timeout = timeout;
        this.store = store;
        this.ncclVersion = ncclVersion;
        this.comm = comm;
        this.stream = stream;
        this.done = done;
        this.barrierBuffer = barrierBuffer;
        this.peerHost = peerHost;
        this.watchdog = new Thread(this::watch, "jccl-nccl-watchdog-r" + rank + "-c" + communicatorId);
        this.watchdog.setDaemon(true);
        this.monitor = new Thread(this::monitorPeers, "jccl-nccl-monitor-r" + rank + "-c" + communicatorId);
        this.monitor.setDaemon(true);
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
        Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
        final Duration timeout = config.timeout();

        final byte[] uid = size == 1 ? newUniqueId() : UniqueIdExchange.exchange(store, rank, NcclCommunicator::newUniqueId, timeout);
        String peerHost = "?";
        if (size > 1)
        {
            // Every rank present before NCCL's blocking init: a rank that never comes fails here, bounded.
            store.set(READY_KEY + rank, NetworkEnvironment.hostName().getBytes(StandardCharsets.UTF_8));
            final List<String> keys = new ArrayList<>(size);
            for (int r = 0; r < size; r++)
            {
                keys.add(READY_KEY + r);
            }
            store.waitFor(keys, timeout);
            peerHost = new String(store.get(READY_KEY + (rank + 1) % size), StandardCharsets.UTF_8);
        }

        final ncclComm comm = new ncclComm();
        CUstream_st stream = null;
        CUevent_st done = null;
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
            barrier = new Pointer();
            Cuda.check(cudart.cudaMalloc(barrier, ALIGN), "cudaMalloc(barrier)");
            Cuda.check(cudart.cudaMemset(barrier, 0, ALIGN), "cudaMemset(barrier)");
        }
        catch (final RuntimeException ex)
        {
            if (barrier != null && !barrier.isNull())
            {
                cudart.cudaFree(barrier);
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
        final NcclCommunicator communicator = new NcclCommunicator(
            rank, size, device, communicatorId, timeout, store, probe.ncclVersion(), comm, stream, done, barrier, peerHost);
        communicator.watchdog.start();
        if (size > 1)
        {
            communicator.monitor.start();
        }
        LOG.log(INFO, "rank {0}/{1} joined NCCL {2} communicator {3} on CUDA device {4}",
            rank, size, NcclTypes.versionString(probe.ncclVersion()), communicatorId, device);
        return communicator;
    }

    private static byte[] newUniqueId()
    {
        try (ncclUniqueId id = new ncclUniqueId())
        {
            Cuda.checkNccl(nccl.ncclGetUniqueId(id), "ncclGetUniqueId", null);
            final byte[] bytes = new byte[UniqueIdExchange.UNIQUE_ID_BYTES];
            for (int i = 0; i < bytes.length; i++)
            {
                bytes[i] = id.internal(i);
            }
            return bytes;
        }
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
        return stream.address();
    }

    /** ncclGetVersion of the loaded NCCL, e.g. 22903. */
    public int ncclVersion()
    {
        return ncclVersion;
    }

    // ------------------------------------------------------------------ collectives

    @Override
    protected void doAllReduce(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), op, ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        if (send.count() != recv.count())
        {
            throw new IllegalArgumentException("allReduce: send count " + send.count() + " != recv count " + recv.count());
        }
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
            ensureStaging(stagedBytes(send, bytes, inPlace ? null : recv, bytes));
            final long sendAddr = stageIn(send, 0, 0, bytes, true);
            final long recvAddr = inPlace ? sendAddr : stageIn(recv, regionAfter(send, bytes), 0, bytes, false);
            enqueue("ncclAllReduce", () -> nccl.ncclAllReduce(sendPtr.at(sendAddr), recvPtr.at(recvAddr), recv.count(),
                NcclTypes.ncclType(recv.type()), NcclTypes.ncclOp(op), comm, stream));
            stageOut(recvAddr, recv, 0, bytes);
            complete();
            copyOut(recvAddr, recv, 0, bytes);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    @Override
    protected void doBroadcast(final BufferRef send, final BufferRef recv, final int root)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), ncclVersion);
        checkRoot(root);
        checkCount(send, "send");
        checkCount(recv, "recv");
        if (send.count() != recv.count())
        {
            throw new IllegalArgumentException("broadcast: send count " + send.count() + " != recv count " + recv.count());
        }
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
            final boolean separateSend = isRoot && !inPlace;
            ensureStaging(stagedBytes(separateSend ? send : null, bytes, recv, bytes));
            final long recvAddr = stageIn(recv, separateSend ? regionAfter(send, bytes) : 0, 0, bytes, isRoot && inPlace);
            final long sendAddr = separateSend ? stageIn(send, 0, 0, bytes, true) : recvAddr;
            enqueue("ncclBroadcast", () -> nccl.ncclBroadcast(sendPtr.at(sendAddr), recvPtr.at(recvAddr), recv.count(),
                NcclTypes.ncclType(recv.type()), root, comm, stream));
            final boolean copyBack = !(isRoot && inPlace);
            if (copyBack)
            {
                stageOut(recvAddr, recv, 0, bytes);
            }
            complete();
            if (copyBack)
            {
                copyOut(recvAddr, recv, 0, bytes);
            }
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    @Override
    protected void doAllGather(final BufferRef send, final BufferRef recv)
    {
        checkSameType(send, recv);
        NcclTypes.check(recv.type(), ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        final boolean inPlace = send.sameRegion(recv);
        if (inPlace && recv.count() % size != 0)
        {
            throw new IllegalArgumentException("allGather in place: count " + recv.count() + " is not a multiple of the " + size + " ranks");
        }
        final long blockCount = inPlace ? recv.count() / size : send.count();
        if (recv.count() != blockCount * size)
        {
            throw new IllegalArgumentException("allGather: recv count " + recv.count() + " must be " + size + " x send count " + send.count());
        }
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
                ensureStaging(stagedBytes(null, 0, recv, bytes));
                recvAddr = stageIn(recv, 0, 0, bytes, false);
                if (recv.kind() != MemoryKind.DEVICE)
                {
                    HostStaging.copyIn(recv, rank * blockBytes, pinnedAddress(recvAddr) + rank * blockBytes, blockBytes);
                    memcpyAsync(recvAddr + rank * blockBytes, pinnedAddress(recvAddr) + rank * blockBytes, blockBytes,
                        cudart.cudaMemcpyHostToDevice);
                }
                sendAddr = recvAddr + rank * blockBytes;
            }
            else
            {
                ensureStaging(stagedBytes(send, blockBytes, recv, bytes));
                sendAddr = stageIn(send, 0, 0, blockBytes, true);
                recvAddr = stageIn(recv, regionAfter(send, blockBytes), 0, bytes, false);
            }
            enqueue("ncclAllGather", () -> nccl.ncclAllGather(sendPtr.at(sendAddr), recvPtr.at(recvAddr), blockCount,
                NcclTypes.ncclType(recv.type()), comm, stream));
            stageOut(recvAddr, recv, 0, bytes);
            complete();
            copyOut(recvAddr, recv, 0, bytes);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    @Override
    protected void doReduceScatter(final BufferRef send, final BufferRef recv, final ReduceOp op)
    {
        checkSameType(send, recv);
        NcclTypes.check(send.type(), op, ncclVersion);
        checkCount(send, "send");
        checkCount(recv, "recv");
        final boolean inPlace = send.sameRegion(recv);
        if (inPlace && recv.count() % size != 0)
        {
            throw new IllegalArgumentException("reduceScatter in place: count " + recv.count() + " is not a multiple of the " + size + " ranks");
        }
        final long blockCount = inPlace ? recv.count() / size : recv.count();
        if (send.count() != blockCount * size)
        {
            throw new IllegalArgumentException("reduceScatter: send count " + send.count() + " must be " + size + " x recv count " + recv.count());
        }
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
            ensureStaging(stagedBytes(send, bytes, inPlace ? null : recv, blockBytes));
            final long sendAddr = stageIn(send, 0, 0, bytes, true);
            final long recvAddr = inPlace ? sendAddr + rank * blockBytes : stageIn(recv, regionAfter(send, bytes), 0, blockBytes, false);
            final long recvOffset = inPlace ? rank * blockBytes : 0;
            enqueue("ncclReduceScatter", () -> nccl.ncclReduceScatter(sendPtr.at(sendAddr), recvPtr.at(recvAddr), blockCount,
                NcclTypes.ncclType(send.type()), NcclTypes.ncclOp(op), comm, stream));
            stageOut(recvAddr, recv, recvOffset, blockBytes);
            complete();
            copyOut(recvAddr, recv, recvOffset, blockBytes);
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    @Override
    protected void doReduce(final BufferRef send, final BufferRef recv, final ReduceOp op, final int root)
    {
        checkSameType(send, recv);
        NcclTypes.check(send.type(), op, ncclVersion);
        checkRoot(root);
        checkCount(send, "send");
        final boolean isRoot = rank == root;
        if (isRoot)
        {
            checkCount(recv, "recv");
            if (send.count() != recv.count())
            {
                throw new IllegalArgumentException("reduce: send count " + send.count() + " != recv count " + recv.count());
            }
        }
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
            ensureStaging(stagedBytes(send, bytes, separateRecv ? recv : null, bytes));
            final long sendAddr = stageIn(send, 0, 0, bytes, true);
            // NCCL reads recvbuff on the root only; elsewhere it gets the send buffer, which it leaves alone.
            final long recvAddr = separateRecv ? stageIn(recv, regionAfter(send, bytes), 0, bytes, false) : sendAddr;
            enqueue("ncclReduce", () -> nccl.ncclReduce(sendPtr.at(sendAddr), recvPtr.at(recvAddr), send.count(),
                NcclTypes.ncclType(send.type()), NcclTypes.ncclOp(op), root, comm, stream));
            if (isRoot)
            {
                stageOut(recvAddr, recv, 0, bytes);
            }
            complete();
            if (isRoot)
            {
                copyOut(recvAddr, recv, 0, bytes);
            }
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    /** NCCL has no barrier: a one-element allreduce on device scratch, waited for, as PyTorch does. */
    @Override
    protected void doBarrier()
    {
        if (groupDepth > 0)
        {
            throw new IllegalArgumentException("barrier cannot run inside an NCCL group");
        }
        begin("barrier");
        try
        {
            final long addr = barrierBuffer.address();
            enqueue("ncclAllReduce(barrier)", () -> nccl.ncclAllReduce(sendPtr.at(addr), recvPtr.at(addr), 1,
                nccl.ncclInt32, nccl.ncclSum, comm, stream));
            complete();
        }
        catch (final CollectiveException ex)
        {
            throw broken(ex);
        }
        finally
        {
            end();
        }
    }

    /**
     * Runs {@code body}'s collectives as one NCCL group ({@code ncclGroupStart}/{@code ncclGroupEnd}),
     * so NCCL fuses them and they complete together when this returns, like PyTorch's coalescing
     * manager. Inside, only device buffers are allowed (host buffers need their result copied back
     * per call) and no barrier. Every rank must issue the same calls in the same order.
     */
    public void group(final Runnable body)
    {
        checkUsable();
        setDevice();
        lockedCall("ncclGroupStart", nccl::ncclGroupStart);
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
            deadline = System.nanoTime() + timeout.toNanos();
            inFlight = "group";
        }
        try
        {
            lockedCall("ncclGroupEnd", nccl::ncclGroupEnd);
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

    // ------------------------------------------------------------------ staging

    private static boolean host(final BufferRef ref)
    {
        return ref != null && ref.kind() != MemoryKind.DEVICE;
    }

    /** Bytes of staging a call needs: a region for each host side. */
    private static long stagedBytes(final BufferRef first, final long firstBytes, final BufferRef second, final long secondBytes)
    {
        return (host(first) ? align(firstBytes) : 0) + (host(second) ? align(secondBytes) : 0);
    }

    /** Offset of the second region: after the first side's region when that side is staged. */
    private static long regionAfter(final BufferRef first, final long firstBytes)
    {
        return host(first) ? align(firstBytes) : 0;
    }

    private static long align(final long bytes)
    {
        return (bytes + ALIGN - 1) & -ALIGN;
    }

    /**
     * The device address of {@code ref}'s data: its own pointer for device memory, else device
     * scratch at {@code regionOffset}, filled from the host (through pinned memory) when {@code copyIn}.
     */
    private long stageIn(final BufferRef ref, final long regionOffset, final long fromByte, final long bytes, final boolean copyIn)
    {
        if (ref.kind() == MemoryKind.DEVICE)
        {
            return (Long)ref.memory() + ref.byteOffset();
        }
        final long deviceAddr = scratch.address() + regionOffset;
        if (copyIn)
        {
            final long hostAddr = pinned.address() + regionOffset;
            HostStaging.copyIn(ref, fromByte, hostAddr, bytes);
            memcpyAsync(deviceAddr, hostAddr, bytes, cudart.cudaMemcpyHostToDevice);
        }
        return deviceAddr;
    }

    /** Pinned address mirroring a device scratch address. */
    private long pinnedAddress(final long scratchAddr)
    {
        return pinned.address() + (scratchAddr - scratch.address());
    }

    /** Queues the device-to-host copy of a staged result behind the collective. */
    private void stageOut(final long deviceAddr, final BufferRef ref, final long toByte, final long bytes)
    {
        if (host(ref))
        {
            memcpyAsync(pinnedAddress(deviceAddr), deviceAddr, bytes, cudart.cudaMemcpyDeviceToHost);
        }
    }

    /** After completion: pinned result into the caller's host memory. */
    private void copyOut(final long deviceAddr, final BufferRef ref, final long toByte, final long bytes)
    {
        if (host(ref))
        {
            HostStaging.copyOut(pinnedAddress(deviceAddr), ref, toByte, bytes);
        }
    }

    private void memcpyAsync(final long dst, final long src, final long bytes, final int kind)
    {
        if (bytes > 0)
        {
            Cuda.check(cudart.cudaMemcpyAsync(copyDst.at(dst), copySrc.at(src), bytes, kind, stream), "cudaMemcpyAsync");
        }
    }

    /** Grows pinned host memory and device scratch (powers of two) when a call needs more; the stream is idle here. */
    private void ensureStaging(final long bytes)
    {
        if (bytes <= scratchBytes)
        {
            return;
        }
        final long want = Math.max(MIN_STAGING_BYTES, Long.highestOneBit(bytes - 1) << 1);
        freeStaging();
        final Pointer newPinned = new Pointer();
        Cuda.check(cudart.cudaMallocHost(newPinned, want), "cudaMallocHost(" + want + " bytes)");
        pinned = newPinned;
        pinnedBytes = want;
        final Pointer newScratch = new Pointer();
        Cuda.check(cudart.cudaMalloc(newScratch, want), "cudaMalloc(" + want + " bytes)");
        scratch = newScratch;
        scratchBytes = want;
        LOG.log(DEBUG, "rank {0}: staging grown to {1} bytes", rank, want);
    }

    private void freeStaging()
    {
        if (scratch != null)
        {
            cudart.cudaFree(scratch);
            scratch = null;
            scratchBytes = 0;
        }
        if (pinned != null)
        {
            cudart.cudaFreeHost(pinned);
            pinned = null;
            pinnedBytes = 0;
        }
    }

    // ------------------------------------------------------------------ call lifecycle

    private void checkUsable()
    {
        if (closed)
        {
            throw new IllegalStateException("communicator is closed");
        }
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw broken;
        }
    }

    private void setDevice()
    {
        // The current device is per thread; the caller may not be the thread that created us.
        Cuda.check(cudart.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    }

    private void begin(final String what)
    {
        checkUsable();
        setDevice();
        if (groupDepth == 0)
        {
            inFlight = what;
            deadline = System.nanoTime() + timeout.toNanos();
        }
    }

    private void end()
    {
        if (groupDepth == 0)
        {
            deadline = 0;
        }
    }

    private interface NcclCall
    {
        int call();
    }

    /** Enqueues one NCCL call under the API lock, so an abort never frees the communicator mid-call. */
    private void enqueue(final String name, final NcclCall call)
    {
        try
        {
            lockedCall(name, call);
        }
        catch (final RuntimeException ex)
        {
            end();
            throw ex;
        }
    }

    private void lockedCall(final String name, final NcclCall call)
    {
        apiLock.lock();
        try
        {
            checkUsable();
            final int result = call.call();
            if (result != nccl.ncclSuccess)
            {
                throw broken(new CollectiveException(name + " failed on rank " + rank + ": " + Cuda.ncclErrorName(result, aborted ? null : comm)));
            }
        }
        finally
        {
            apiLock.unlock();
        }
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw broken;
        }
    }

    /** Waits for the stream to pass everything enqueued so far, bounded by the deadline the watchdog enforces. */
    private void complete()
    {
        if (groupDepth > 0)
        {
            return;
        }
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
                    throw broken(new CollectiveException(inFlight + " failed on rank " + rank + ": " + Cuda.errorName(status)));
                }
                final CollectiveException broken = failure;
                if (broken != null)
                {
                    throw broken;
                }
                if (++spins < 2_000)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    LockSupport.parkNanos(spins < 20_000 ? 1_000 : 50_000);
                }
            }
        }
        finally
        {
            deadline = 0;
        }
        final CollectiveException broken = failure;
        if (broken != null)
        {
            throw broken;
        }
    }

    /** Records the first failure, wakes the watchdog to abort, and returns the failure to throw. */
    private CollectiveException broken(final CollectiveException ex)
    {
        synchronized (failureLock)
        {
            if (failure == null)
            {
                failure = ex;
                LOG.log(WARNING, "rank {0}: NCCL communicator {1} broken: {2}", rank, communicatorId, ex.getMessage());
            }
        }
        LockSupport.unpark(watchdog);
        LockSupport.unpark(monitor);
        return failure;
    }

    @Override
    public void abort()
    {
        final CollectiveException failure = broken(new CommunicatorAbortedException("aborted by rank " + rank + " (Communicator.abort)"));
        stopAsync(failure, false);
        awaitAsyncStopped();
    }

    /** Not yet: NCCL's own ncclCommSplit (2.18+) or a fresh unique id per group would serve. */
    @Override
    public dev.jccl.Communicator split(final int color, final int key)
    {
        throw new UnsupportedOperationException("split is not supported by the nccl transport yet");
    }

    /** Whether the communicator has failed (or was aborted); later calls throw. */
    public boolean isBroken()
    {
        return failure != null;
    }

    /**
     * ncclCommAbort, once. Taken under the API lock when the caller's thread is not stuck in an
     * enqueue; if it is (a full NCCL work queue blocks the host), abort anyway after a short wait:
     * that is the case NCCL's abort flag exists for.
     */
    private void abortComm()
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

    // ------------------------------------------------------------------ watchdog and peer monitor

    private void watch()
    {
        final int[] asyncError = new int[1];
        try
        {
            // The current device is per thread: NCCL calls from here act on our device.
            cudart.cudaSetDevice(device);
            while (!closed && !aborted)
            {
                if (failure != null)
                {
                    abortComm();
                    break;
                }
                asyncError[0] = nccl.ncclSuccess;
                final int result = nccl.ncclCommGetAsyncError(comm, asyncError);
                if (result != nccl.ncclSuccess || (asyncError[0] != nccl.ncclSuccess && asyncError[0] != nccl.ncclInProgress))
                {
                    final int code = result != nccl.ncclSuccess ? result : asyncError[0];
                    broken(new CollectiveException("NCCL reported an asynchronous error on rank " + rank +
                        (deadline != 0 ? " during " + inFlight : "") + ": " + Cuda.ncclErrorName(code, comm)));
                    continue;
                }
                final long due = deadline;
                if (due != 0 && System.nanoTime() - due > 0)
                {
                    broken(new CollectiveTimeoutException(inFlight + " on rank " + rank + " did not complete within " + timeout +
                        " (JCCL_TIMEOUT); the NCCL communicator was aborted"));
                    continue;
                }
                LockSupport.parkNanos(WATCHDOG_POLL_NANOS);
            }
        }
        catch (final Throwable ex)
        {
            LOG.log(WARNING, "rank " + rank + ": NCCL watchdog stopped", ex);
        }
    }

    /**
     * Keeps this rank's heartbeat in the store, watches the next rank's (a killed process cannot
     * say it died; NCCL's intra-node transports would wait for it forever), and relays aborts: a
     * failure here is published, a failure published elsewhere breaks this rank too.
     */
    private void monitorPeers()
    {
        final int peer = (rank + 1) % size;
        long lastBeat = -1;
        long lastChange = System.nanoTime();
        int storeErrors = 0;
        boolean published = false;
        while (!closed)
        {
            try
            {
                final CollectiveException broken = failure;
                if (broken != null)
                {
                    if (!published && !relayed)
                    {
                        store.set(ABORT_KEY, ("rank " + rank + ": " + broken.getMessage()).getBytes(StandardCharsets.UTF_8));
                    }
                    published = true;
                    break;
                }
                store.add(HEARTBEAT_KEY + rank, 1);
                if (store.check(ABORT_KEY))
                {
                    final String why = new String(store.get(ABORT_KEY), StandardCharsets.UTF_8);
                    published = true;
                    relayed = true;
                    broken(new CommunicatorAbortedException("communicator " + communicatorId + " was aborted by a peer: " + why));
                    continue;
                }
                final long beat = store.add(HEARTBEAT_KEY + peer, 0);
                final long now = System.nanoTime();
                if (beat != lastBeat)
                {
                    lastBeat = beat;
                    lastChange = now;
                }
                else if (deadline != 0 && now - lastChange > PEER_TIMEOUT_NANOS)
                {
                    broken(new PeerFailureException(peer, peerHost, "no heartbeat in the bootstrap store for " +
                        TimeUnit.NANOSECONDS.toSeconds(now - lastChange) + " s while " + inFlight + " was in flight"));
                    continue;
                }
                storeErrors = 0;
            }
            catch (final RuntimeException ex)
            {
                if (closed)
                {
                    break;
                }
                storeErrors++;
                LOG.log(DEBUG, "rank {0}: store poll failed: {1}", rank, ex.toString());
                if (storeErrors >= 3 && deadline != 0)
                {
                    broken(new CollectiveException("rank " + rank + ": the bootstrap store stopped answering while " + inFlight +
                        " was in flight (" + ex.getMessage() + ")", ex));
                }
            }
            LockSupport.parkNanos(HEARTBEAT_NANOS);
        }
    }

    // ------------------------------------------------------------------ checks

    private void checkRoot(final int root)
    {
        if (root < 0 || root >= size)
        {
            throw new IllegalArgumentException("root " + root + " out of range [0, " + size + ")");
        }
    }

    private static void checkCount(final BufferRef ref, final String which)
    {
        if (ref.count() < 0)
        {
            throw new IllegalArgumentException(which + " count < 0: " + ref.count());
        }
    }

    private static void checkSameType(final BufferRef send, final BufferRef recv)
    {
        if (send.type() != recv.type())
        {
            throw new IllegalArgumentException("send type " + send.type() + " differs from recv type " + recv.type());
        }
    }

    private void checkGroupable(final BufferRef send, final BufferRef recv)
    {
        if (groupDepth > 0 && (host(send) || host(recv)))
        {
            throw new IllegalArgumentException("only device buffers can join an NCCL group (host buffers are copied back per call)");
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        // Pending async calls fail with CommunicatorAbortedException; a running one is unblocked by an abort.
        if (stopAsync(new CommunicatorAbortedException("communicator closed by rank " + rank + " with async calls pending"), true))
        {
            abort();
        }
        awaitAsyncStopped();
        closed = true;
        try
        {
            stopThread(watchdog);
            stopThread(monitor);
            setDeviceQuietly();
            final boolean healthy = failure == null && !aborted;
            boolean idle = waitIdle(healthy ? Math.min(timeout.toNanos(), CLOSE_BOUND_NANOS) : TimeUnit.SECONDS.toNanos(5));
            if (healthy && idle)
            {
                destroyBounded();
            }
            else
            {
                abortComm();
                idle = idle || waitIdle(TimeUnit.SECONDS.toNanos(5));
            }
            if (idle)
            {
                freeStaging();
                cudart.cudaFree(barrierBuffer);
                cudart.cudaEventDestroy(done);
                cudart.cudaStreamDestroy(stream);
            }
            else
            {
                LOG.log(WARNING, "rank {0}: CUDA stream still busy at close; its memory is left allocated", rank);
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

    private void setDeviceQuietly()
    {
        cudart.cudaSetDevice(device);
    }

    private static void stopThread(final Thread thread)
    {
        if (thread.isAlive())
        {
            LockSupport.unpark(thread);
            thread.interrupt();
            try
            {
                thread.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean waitIdle(final long boundNanos)
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

    /** ncclCommDestroy on a helper thread, given up on (and left to finish alone) after a bound. */
    private void destroyBounded()
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
            destroyer.join(TimeUnit.NANOSECONDS.toMillis(Math.min(timeout.toNanos(), CLOSE_BOUND_NANOS)));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (destroyer.isAlive())
        {
            LOG.log(WARNING, "rank {0}: ncclCommDestroy did not return in time; left to finish in the background", rank);
        }
        else if (result[0] != nccl.ncclSuccess)
        {
            LOG.log(WARNING, "rank {0}: ncclCommDestroy: {1}", rank, Cuda.ncclErrorName(result[0], null));
        }
    }

    @Override
    public String toString()
    {
        return "NcclCommunicator{rank " + rank + " of " + size + ", device " + device + ", id " + communicatorId +
            (failure != null ? ", broken: " + failure.getMessage() : "") + "}";
    }
}
