package dev.jccl.bench;

import dev.jccl.Communicator;
import dev.jccl.algo.Algorithm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link CommFactory} over {@link FakeCluster}s: one fresh cluster per variant. */
final class FakeFactory implements CommFactory
{
    int corruptRank = -1;
    int clusters;
    int closedJobs;
    volatile FakeCluster lastCluster;
    /** Buffers in {@link FakeDevice} memory, one device per rank (ordinal = rank), as an NCCL communicator gets. */
    boolean onDevice;
    boolean dropUploads;
    boolean dropDownloads;
    final List<FakeDevice> devices = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What {@link #unavailableReason} says for every transport; null: all run. */
    String unavailable;

    @Override
    public ThreadedJob threaded(
        final int nranks, final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        final FakeCluster cluster = new FakeCluster(nranks);
        cluster.corruptRank = corruptRank;
        lastCluster = cluster;
        clusters++;
        return new ThreadedJob()
        {
            @Override
            public Communicator join(final int rank)
            {
                return cluster.comm(rank);
            }

            @Override
            public void close()
            {
                closedJobs++;
            }
        };
    }

    @Override
    public Communicator process(final PerfOptions options, final PerfColl coll, final PerfOptions.Variant variant, final int variantIndex)
    {
        clusters++;
        return new FakeCluster(1).comm(0);
    }

    @Override
    public String unavailableReason(final String transport)
    {
        return unavailable;
    }

    @Override
    public DeviceMemory deviceMemory(final Communicator comm)
    {
        if (!onDevice)
        {
            return null;
        }
        final FakeDevice device = new FakeDevice(comm.rank());
        device.dropUploads = dropUploads;
        device.dropDownloads = dropDownloads;
        devices.add(device);
        return device;
    }

    @Override
    public Map<String, List<Algorithm>> algorithms()
    {
        final Map<String, List<Algorithm>> m = new LinkedHashMap<>();
        m.put("allreduce", List.of(algo("ring", "segmented pipelined ring"), algo("rd", "recursive doubling")));
        m.put("barrier", List.of(algo("dissemination", "dissemination barrier")));
        return m;
    }

    private static Algorithm algo(final String name, final String description)
    {
        return new Algorithm()
        {
            @Override
            public String name()
            {
                return name;
            }

            @Override
            public String description()
            {
                return description;
            }
        };
    }
}
