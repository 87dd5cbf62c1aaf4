package dev.jccl.algo;

import dev.jccl.kernel.ReduceKernels;
import dev.jccl.spi.PointToPoint;
import dev.jccl.wire.MessageHeader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What an algorithm gets for one call: the point-to-point SPI, the reduce kernels, the header of
 * this collective (the algorithm sets only chunk offset and length per message) and scratch
 * memory that is reused across calls, so the steady state allocates nothing.
 */
public final class CollectiveContext
{
    /**
     * Default pipeline segment: large enough to amortise a syscall (loopback moves ~3.4 GB/s with
     * 128 KiB writes, ~6.4 GB/s with 1 MiB, per the iperf3 figures), small enough to
     * overlap; the ring cuts smaller segments when a block would have fewer than four
     * ({@link RingPattern#segmentElements}). The {@code jccl.segmentBytes} system property
     * overrides it for sweeps.
     */
    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024;
    public static final int SCRATCH_SLOTS = 4;

    private final PointToPoint p2p;
    private final MessageHeader header;
    private final ByteBuffer[] scratch = new ByteBuffer[SCRATCH_SLOTS];
    private ReduceKernels kernels;
    private int segmentBytes = initialSegmentBytes();
    private long[] tickets = new long[16];
    private HierarchyPattern hierarchy;
    private CollectiveContext localGroup;
    private CollectiveContext leaderGroup;
    private CollectiveContext peerGroup;

    /** {@value #DEFAULT_SEGMENT_BYTES}, or the system property {@code jccl.segmentBytes} (for tuning runs). */
    private static int initialSegmentBytes()
    {
        final int bytes = Integer.getInteger("jccl.segmentBytes", DEFAULT_SEGMENT_BYTES);
        return bytes >= 64 && (bytes & 7) == 0 ? bytes : DEFAULT_SEGMENT_BYTES;
    }

    public CollectiveContext(final PointToPoint p2p, final ReduceKernels kernels)
    {
        this(p2p, kernels, new MessageHeader());
    }

    /** A group's context: its messages carry the parent's header, which the parent's call set. */
    private CollectiveContext(final PointToPoint p2p, final ReduceKernels kernels, final MessageHeader header)
    {
        this.p2p = p2p;
        this.kernels = kernels;
        this.header = header;
    }

    /**
     * Where every rank runs, for the hierarchical algorithms; null (the default) when unknown.
     *
     * @throws IllegalArgumentException when it describes another rank or world size.
     */
    public CollectiveContext hierarchy(final HierarchyPattern hierarchy)
    {
        if (hierarchy != null && (hierarchy.size() != size() || hierarchy.rank() != rank()))
        {
            throw new IllegalArgumentException("hierarchy of rank " + hierarchy.rank() + " of " + hierarchy.size() +
                " does not describe rank " + rank() + " of " + size());
        }
        this.hierarchy = hierarchy;
        this.localGroup = null;
        this.leaderGroup = null;
        this.peerGroup = null;
        return this;
    }

    public HierarchyPattern hierarchy()
    {
        return hierarchy;
    }

    /** This rank's host as a world of its own (built once, then reused). */
    CollectiveContext localGroup()
    {
        if (localGroup == null)
        {
            localGroup = group(hierarchy.local());
        }
        return synced(localGroup);
    }

    /** Every host's first rank as a world of its own; only for a rank that is one. */
    CollectiveContext leaderGroup()
    {
        if (leaderGroup == null)
        {
            leaderGroup = group(hierarchy.leaders());
        }
        return synced(leaderGroup);
    }

    /** The ranks with this rank's local index on every host, as a world of their own. */
    CollectiveContext peerGroup()
    {
        if (peerGroup == null)
        {
            peerGroup = group(hierarchy.peers());
        }
        return synced(peerGroup);
    }

    private CollectiveContext group(final int[] members)
    {
        return new CollectiveContext(new GroupPointToPoint(p2p, members), kernels, header);
    }

    private CollectiveContext synced(final CollectiveContext group)
    {
        group.kernels = kernels;
        group.segmentBytes = segmentBytes;
        return group;
    }

    public PointToPoint p2p()
    {
        return p2p;
    }

    public int rank()
    {
        return p2p.rank();
    }

    public int size()
    {
        return p2p.size();
    }

    public ReduceKernels kernels()
    {
        return kernels;
    }

    public CollectiveContext kernels(final ReduceKernels kernels)
    {
        this.kernels = kernels;
        return this;
    }

    /** The current collective's header; algorithms call {@code header().chunk(offset, length)} per message. */
    public MessageHeader header()
    {
        return header;
    }

    /** Pipeline segment size in bytes (a multiple of 8 keeps every type's elements whole). */
    public int segmentBytes()
    {
        return segmentBytes;
    }

    public CollectiveContext segmentBytes(final int segmentBytes)
    {
        if (segmentBytes < 64 || (segmentBytes & 7) != 0)
        {
            throw new IllegalArgumentException("segment bytes must be >= 64 and a multiple of 8: " + segmentBytes);
        }
        this.segmentBytes = segmentBytes;
        return this;
    }

    /**
     * A direct, native-order scratch buffer of at least {@code bytes}, owned by slot
     * {@code slot} (0 to {@link #SCRATCH_SLOTS}-1). It grows when asked for more and is kept, so
     * repeated calls of one size allocate nothing. Contents are undefined.
     */
    public ByteBuffer scratch(final int slot, final int bytes)
    {
        ByteBuffer buffer = scratch[slot];
        if (buffer == null || buffer.capacity() < bytes)
        {
            final int capacity = Math.max(bytes, buffer == null ? 4096 : Math.min(Integer.MAX_VALUE - 64, buffer.capacity() * 2L > bytes ? (int)Math.min(Integer.MAX_VALUE - 64, buffer.capacity() * 2L) : bytes));
            buffer = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
            scratch[slot] = buffer;
        }
        return buffer;
    }

    /**
     * A reusable array of at least {@code n} ticket slots for an algorithm's own bookkeeping. It
     * grows when asked for more and is kept, so the steady state allocates nothing. Contents are
     * undefined; one algorithm call owns it at a time.
     */
    public long[] tickets(final int n)
    {
        if (tickets.length < n)
        {
            tickets = new long[Math.max(n, tickets.length * 2)];
        }
        return tickets;
    }
}
