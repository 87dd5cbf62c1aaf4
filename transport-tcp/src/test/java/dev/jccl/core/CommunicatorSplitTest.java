package dev.jccl.core;

import dev.jccl.Communicator;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.ThreadedCluster;
import dev.jccl.tcp.store.TcpStoreClient;
import dev.jccl.wire.Handshake;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@link Communicator#split} as MPI_Comm_split over the real TCP transport: groups by color,
 * ranks by (key, parent rank), ids of their own, UNDEFINED, nesting, and sub-communicators
 * running collectives on another thread while the parent runs its own.
 */
public class CommunicatorSplitTest
{
    /** The JCCL_TRANSPORT the tests run over; transport-shm's ShmCommunicatorSplitTest overrides it. */
    protected String transport()
    {
        return "tcp";
    }

    /** The keys rank {@code rank} of a communicator writes at rendezvous, relative to its namespace. */
    protected List<String> rendezvousKeys(final int rank)
    {
        return List.of("addr/" + rank);
    }

    private ThreadedCluster start(final int size)
    {
        return ThreadedCluster.start(size, c -> c.transport(transport()));
    }

    private static final Duration QUICK = Duration.ofSeconds(90);

    @Test
    void ranksWithOneColorFormACommunicatorRankedByKeyThenParentRank()
    {
        try (ThreadedCluster cluster = start(5))
        {
            final long[] ids = new long[5];
            cluster.run(comm ->
            {
                final int rank = comm.rank();
                // colors {0, 1, 0, 1, 0}; key reverses rank order, except ranks 0 and 2 tie on key 7.
                final int color = rank % 2;
                final int key = rank == 0 || rank == 2 ? 7 : -rank;
                try (Communicator sub = comm.split(color, key))
                {
                    assertNotNull(sub);
                    final int[] expectedOrder = color == 0 ? new int[] { 4, 0, 2 } : new int[] { 3, 1 };
                    assertEquals(expectedOrder.length, sub.size(), "size of color " + color);
                    assertEquals(indexOf(expectedOrder, rank), sub.rank(), "rank of parent rank " + rank);
                    assertNotEquals(comm.id(), sub.id());
                    assertEquals(transport(), comm.transportName());
                    assertEquals(transport(), sub.transportName(), "a split runs over its parent's transport");
                    ids[rank] = sub.id();
                    // Members and order, as seen through the sub-communicator itself.
                    final int[] members = new int[sub.size()];
                    sub.allGather(new int[] { rank }, members);
                    assertArrayEquals(expectedOrder, members);
                    final long[] sum = { rank };
                    sub.allReduce(sum, ReduceOp.SUM);
                    assertEquals(color == 0 ? 6 : 4, sum[0]);
                    final long[] id = { sub.id() };
                    sub.broadcast(id, 0);
                    assertEquals(sub.id(), id[0], "every member has the same id");
                }
            }, QUICK);
            assertEquals(ids[0], ids[2]);
            assertEquals(ids[1], ids[3]);
            assertNotEquals(ids[0], ids[1], "each color has its own communicator id");
        }
    }

    @Test
    void undefinedColorTakesPartAndGetsNull()
    {
        try (ThreadedCluster cluster = start(4))
        {
            cluster.run(comm ->
            {
                final boolean out = comm.rank() == 1 || comm.rank() == 2;
                final Communicator sub = comm.split(out ? Communicator.UNDEFINED : 3, comm.rank());
                if (out)
                {
                    assertNull(sub);
                }
                else
                {
                    try (sub)
                    {
                        assertEquals(2, sub.size());
                        assertEquals(comm.rank() == 0 ? 0 : 1, sub.rank());
                        final int[] v = { comm.rank() };
                        sub.allReduce(v, ReduceOp.SUM);
                        assertEquals(3, v[0]);
                    }
                }
                // The parent is still in step on every rank after the split.
                final int[] all = { 1 };
                comm.allReduce(all, ReduceOp.SUM);
                assertEquals(4, all[0]);
            }, QUICK);
        }
    }

    @Test
    void splitOfASplitNestsAndSingleMemberGroupsWork()
    {
        try (ThreadedCluster cluster = start(4))
        {
            cluster.run(comm ->
            {
                try (Communicator half = comm.split(comm.rank() / 2, 0))
                {
                    assertEquals(2, half.size());
                    try (Communicator alone = half.split(half.rank(), 0))
                    {
                        assertEquals(1, alone.size());
                        assertEquals(0, alone.rank());
                        assertNotEquals(half.id(), alone.id());
                        final float[] v = { comm.rank() + 0.5f };
                        alone.allReduce(v, ReduceOp.SUM);
                        assertEquals(comm.rank() + 0.5f, v[0]);
                    }
                    // A second split of the same parent gets a new id, different from the first's.
                    try (Communicator again = half.split(0, -half.rank()))
                    {
                        assertEquals(2, again.size());
                        assertEquals(1 - half.rank(), again.rank());
                        assertNotEquals(half.id(), again.id());
                        final int[] v = { comm.rank() };
                        again.allReduce(v, ReduceOp.MAX);
                        assertEquals(comm.rank() / 2 * 2 + 1, v[0]);
                    }
                }
            }, QUICK);
        }
    }

    @Test
    void subCommunicatorsRunCollectivesConcurrentlyWithTheParent()
    {
        try (ThreadedCluster cluster = start(4))
        {
            cluster.run(comm ->
            {
                final int rounds = 40;
                try (Communicator sub = comm.split(comm.rank() % 2, comm.rank()))
                {
                    // The sub-communicator's own thread, blocking and async calls mixed.
                    final CompletableFuture<long[]> subWork = CompletableFuture.supplyAsync(() ->
                    {
                        final long[] total = new long[1];
                        for (int i = 0; i < rounds; i++)
                        {
                            final long[] v = new long[1000 + i];
                            java.util.Arrays.fill(v, comm.rank() + i);
                            if (i % 2 == 0)
                            {
                                sub.allReduce(v, ReduceOp.SUM);
                            }
                            else
                            {
                                AsyncCollectivesTest.join(sub.allReduceAsync(v, ReduceOp.SUM));
                            }
                            total[0] += v[v.length - 1];
                        }
                        return total;
                    }, task ->
                    {
                        // A thread of its own: a shared pool could park both members of a group behind each other.
                        final Thread thread = new Thread(task, "sub-rank-" + comm.rank());
                        thread.setDaemon(true);
                        thread.start();
                    });
                    long parentTotal = 0;
                    for (int i = 0; i < rounds; i++)
                    {
                        final float[] v = AsyncCollectivesTest.values(comm.rank() + i, 20_000 + i);
                        comm.allReduce(v, ReduceOp.SUM);
                        assertArrayEquals(AsyncCollectivesTest.expectedSum(i, comm.size(), v.length), v);
                        parentTotal += (long)v[0];
                    }
                    long expectedSub = 0;
                    long expectedParent = 0;
                    for (int i = 0; i < rounds; i++)
                    {
                        // members of my color: ranks c and c + 2
                        expectedSub += (comm.rank() % 2 + i) + (comm.rank() % 2 + 2 + i);
                        expectedParent += (long)AsyncCollectivesTest.expectedSum(i, comm.size(), 1)[0];
                    }
                    assertEquals(expectedParent, parentTotal);
                    assertEquals(expectedSub, get(subWork)[0]);
                }
            }, QUICK);
        }
    }

    @Test
    void repeatedSplitsLeaveNoRendezvousKeysInTheStore()
    {
        final int splits = 4;
        try (ThreadedCluster cluster = start(3))
        {
            cluster.run(comm ->
            {
                for (int i = 0; i < splits; i++)
                {
                    try (Communicator sub = comm.split(comm.rank() % 2, 0))
                    {
                        final int[] v = { 1 };
                        sub.allReduce(v, ReduceOp.SUM);
                        assertEquals(comm.rank() % 2 == 0 ? 2 : 1, v[0]);
                    }
                }
            }, QUICK);
            final String world = "jccl/" + cluster.runId() + "/comm/0/";
            final Handshake handshake = new Handshake(cluster.token(), cluster.runId());
            try (TcpStoreClient store = TcpStoreClient.connect("127.0.0.1", cluster.storePort(), handshake, 99, Duration.ofSeconds(10)))
            {
                // The world's own rendezvous keys stay (it is still open): the namespace is the right one.
                final String worldKey = world + rendezvousKeys(0).get(0);
                assertTrue(store.check(worldKey), "world key " + worldKey);
                for (int i = 0; i < splits; i++)
                {
                    for (int color = 0; color < 2; color++)
                    {
                        for (int subRank = 0; subRank < 2; subRank++)
                        {
                            for (final String written : rendezvousKeys(subRank))
                            {
                                final String key = world + "split/" + i + "/" + color + "/" + written;
                                assertFalse(store.check(key), key + " left in the store after the split");
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void splitOfASingleRankWorld()
    {
        try (ThreadedCluster cluster = start(1))
        {
            cluster.run(comm ->
            {
                try (Communicator sub = comm.split(5, 5))
                {
                    assertEquals(1, sub.size());
                    final int[] v = { 9 };
                    sub.allReduce(v, ReduceOp.SUM);
                    assertEquals(9, v[0]);
                }
                assertNull(comm.split(Communicator.UNDEFINED, 0));
            }, QUICK);
        }
    }

    private static int indexOf(final int[] array, final int value)
    {
        for (int i = 0; i < array.length; i++)
        {
            if (array[i] == value)
            {
                return i;
            }
        }
        return -1;
    }

    private static <T> T get(final CompletableFuture<T> future)
    {
        try
        {
            return future.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError("sub-communicator thread failed", ex.getCause());
        }
        catch (final Exception ex)
        {
            throw new AssertionError("sub-communicator thread did not finish", ex);
        }
    }
}
