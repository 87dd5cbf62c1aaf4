package dev.jccl.route;

import dev.jccl.CollectiveException;
import dev.jccl.CommBuffer;
import dev.jccl.PeerFailureException;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.ThreadedCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code JCCL_TRANSPORT=auto} on two fake hosts in one JVM: ranks 0-1 publish host "hostA" and
 * ranks 2-3 "hostB", so each pair shares memory and the pairs talk TCP on loopback.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RoutedCommunicatorTest
{
    private static ThreadedCluster twoHostsOfTwo(final String algo)
    {
        return onHosts(algo, "hostA", "hostA", "hostB", "hostB");
    }

    /** One rank per entry of {@code hosts}, each publishing that host name. */
    private static ThreadedCluster onHosts(final String algo, final String... hosts)
    {
        return ThreadedCluster.start(hosts.length, config -> config.transport("auto").algo(algo)
            .hostName(hosts[config.rank()]).timeout(Duration.ofSeconds(30)));
    }

    private static float contribution(final int rank, final int i)
    {
        return rank + 1 + i % 7;
    }

    /**
     * Allgather and reduce-scatter of {@code counts} floats per rank block, out of place and in
     * place: rank r's element i is {@code r + 1 + i % 7} (allgather block r, reduce-scatter whole
     * vector), so every block's expected value is known without a reference run.
     */
    private static void allGatherAndReduceScatter(final ThreadedCluster cluster, final int... counts)
    {
        cluster.run(comm ->
        {
            assertEquals(RoutedTransportProvider.NAME, comm.transportName());
            final int n = comm.size();
            final int r = comm.rank();
            float sumOfRanks = 0;
            for (int q = 0; q < n; q++)
            {
                sumOfRanks += q + 1;
            }
            for (final int count : counts)
            {
                final float[] mine = new float[count];
                final float[] gathered = new float[n * count];
                for (int i = 0; i < count; i++)
                {
                    mine[i] = contribution(r, i);
                    gathered[r * count + i] = contribution(r, i);
                }
                final float[] outOfPlace = new float[n * count];
                comm.allGather(mine, outOfPlace);
                comm.allGather(CommBuffer.of(gathered));
                for (int i = 0; i < n * count; i++)
                {
                    final float want = contribution(i / count, i % count);
                    if (outOfPlace[i] != want || gathered[i] != want)
                    {
                        fail("rank " + r + " count=" + count + ": allgather element " + i + " is " + outOfPlace[i] + " / " +
                            gathered[i] + " (out of place / in place), want " + want);
                    }
                }

                final float[] whole = new float[n * count];
                for (int i = 0; i < whole.length; i++)
                {
                    whole[i] = contribution(r, i);
                }
                final float[] block = new float[count];
                comm.reduceScatter(whole.clone(), block, ReduceOp.SUM);
                comm.reduceScatter(CommBuffer.of(whole), ReduceOp.SUM);
                for (int i = 0; i < count; i++)
                {
                    final int at = r * count + i;
                    final float want = sumOfRanks + n * (at % 7);
                    if (block[i] != want || whole[at] != want)
                    {
                        fail("rank " + r + " count=" + count + ": reduce-scatter element " + i + " is " + block[i] + " / " +
                            whole[at] + " (out of place / in place), want " + want);
                    }
                }
            }
        });
    }

    /** Every rank's allreduce of {@code n} floats, rank r contributing {@code r + 1 + i % 7}, and a broadcast from rank 3. */
    private static void allReduceAndBroadcast(final ThreadedCluster cluster, final int... counts)
    {
        cluster.run(comm ->
        {
            assertEquals(RoutedTransportProvider.NAME, comm.transportName());
            for (final int n : counts)
            {
                final float[] data = new float[n];
                for (int i = 0; i < n; i++)
                {
                    data[i] = comm.rank() + 1 + i % 7;
                }
                comm.allReduce(data, ReduceOp.SUM);
                for (int i = 0; i < n; i++)
                {
                    if (data[i] != 10 + 4 * (i % 7))
                    {
                        fail("rank " + comm.rank() + " n=" + n + ": element " + i + " is " + data[i]);
                    }
                }
                final byte[] message = new byte[n];
                if (comm.rank() == 3)
                {
                    for (int i = 0; i < n; i++)
                    {
                        message[i] = (byte)(i * 31 + 3);
                    }
                }
                comm.broadcast(message, 3);
                for (int i = 0; i < n; i++)
                {
                    if (message[i] != (byte)(i * 31 + 3))
                    {
                        fail("rank " + comm.rank() + " n=" + n + ": broadcast byte " + i + " is " + message[i]);
                    }
                }
            }
        });
    }

    @Test
    void autoRoutesTwoHostsOfTwoAndTheDefaultHierarchicalAlgorithmsAgree()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo(null))
        {
            allReduceAndBroadcast(cluster, 0, 1, 1000, 300_003);
        }
    }

    /** Flat algorithms mix both routes in one phase (left neighbour over TCP, right over shm): the waits drive both. */
    @Test
    void flatRingAndChainOverMixedRoutesComplete()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo("allreduce:ring,broadcast:chain"))
        {
            allReduceAndBroadcast(cluster, 1000, 1_500_001);
        }
    }

    @Test
    void hierAllGatherAndReduceScatterOnTwoHostsOfTwo()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo("allgather:hier,reducescatter:hier"))
        {
            allGatherAndReduceScatter(cluster, 0, 1, 1000, 300_001);
        }
    }

    /** Ranks dealt to hosts in turn, under the defaults: hier at the larger count (its rule is AlgorithmSelectorTest's), flat ring or bruck at the smaller. */
    @Test
    void defaultAllGatherAndReduceScatterOnInterleavedHosts()
    {
        try (ThreadedCluster cluster = onHosts(null, "hostA", "hostB", "hostA", "hostB"))
        {
            allGatherAndReduceScatter(cluster, 7, 300_001);
        }
    }

    /** Hosts of three and one rank: the host leaders carry the network part. */
    @Test
    void hierAllGatherAndReduceScatterOnUnevenHosts()
    {
        try (ThreadedCluster cluster = onHosts("allgather:hier,reducescatter:hier", "hostB", "hostA", "hostB", "hostB"))
        {
            allGatherAndReduceScatter(cluster, 1, 1000, 200_003);
        }
    }

    /** One leader per host carries the network part: the non-leaders use no TCP link at all. */
    @Test
    void hostLeaderAllReduceOverRoutedLinksAgrees()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo("allreduce:hier-leader"))
        {
            allReduceAndBroadcast(cluster, 1, 1000, 300_003);
        }
    }

    /** Groups across hosts (one rank per host) and within one host, each running its own allreduce. */
    @Test
    void splitAcrossAndWithinHostsRunsCollectives()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo(null))
        {
            cluster.run(comm ->
            {
                final int r = comm.rank();
                try (dev.jccl.Communicator across = comm.split(r % 2, r); dev.jccl.Communicator within = comm.split(r / 2, r))
                {
                    assertEquals(2, across.size());
                    assertEquals(2, within.size());
                    final int[] a = { r };
                    across.allReduce(a, ReduceOp.SUM);
                    assertEquals(r % 2 == 0 ? 0 + 2 : 1 + 3, a[0], "parity group of rank " + r);
                    final float[] w = new float[300_001];
                    java.util.Arrays.fill(w, r + 1);
                    within.allReduce(w, ReduceOp.SUM);
                    final float want = r < 2 ? 3 : 7;
                    for (int i = 0; i < w.length; i++)
                    {
                        if (w[i] != want)
                        {
                            fail("rank " + r + ": host group element " + i + " is " + w[i]);
                        }
                    }
                }
            });
        }
    }

    @Test
    void aRankClosingOnOneHostFailsEveryRankOnBothNamingIt()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo(null))
        {
            // Rank 2 shares memory with rank 3; ranks 0 and 1 hear of it over TCP or through their
            // own host's shared memory: every one gets the dead rank's job number and host.
            assertEverySurvivorNames(cluster, 3, "hostB");
        }
    }

    /**
     * A flat ring 0 -> 1 -> 2 -> 3 -> 0 with rank 1 gone: rank 2 waits on it over TCP, but rank 3,
     * waiting on rank 2 through shared memory, holds no TCP link to rank 2 (same host) and sends
     * rank 1 nothing, so it can only hear of the failure through its own host's shared memory
     * (the relay marked REMOTE_MARK - job rank).
     */
    @Test
    void aRankClosingInAFlatRingReachesTheOtherHostsRanksThroughSharedMemory()
    {
        try (ThreadedCluster cluster = twoHostsOfTwo("allreduce:ring"))
        {
            assertEverySurvivorNames(cluster, 1, "hostA");
        }
    }

    private static void assertEverySurvivorNames(final ThreadedCluster cluster, final int dying, final String dyingHost)
    {
        final long start = System.nanoTime();
        final Throwable[] thrown = cluster.runExpectingFailure(comm ->
        {
            if (comm.rank() == dying)
            {
                comm.close();
                return;
            }
            comm.allReduce(new float[1 << 20], ReduceOp.SUM);
        }, Duration.ofSeconds(60));
        for (int r = 0; r < 4; r++)
        {
            if (r == dying)
            {
                continue;
            }
            System.out.println("[RoutedCommunicatorTest] rank " + r + " after rank " + dying + " closed: " + thrown[r] +
                (thrown[r] == null || thrown[r].getCause() == null ? "" : " <- " + thrown[r].getCause()));
            assertInstanceOf(PeerFailureException.class, thrown[r], "rank " + r + ": " + thrown[r]);
            assertEquals(dying, ((PeerFailureException)thrown[r]).peerRank(), "rank " + r + ": " + thrown[r]);
            assertEquals(dyingHost, ((PeerFailureException)thrown[r]).peerHost(), "rank " + r + ": " + thrown[r]);
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos(), "found well before the 30 s timeout");
    }
}
