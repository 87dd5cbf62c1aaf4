package dev.jccl.tcp;

import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.tcp.TestBuffers.Form;
import dev.jccl.tcp.TestBuffers.Held;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every collective over the real TCP transport with ranks as threads (other host transports reuse
 * it by overriding {@link #transport()}: transport-shm's ShmCollectivesMatrixTest): world sizes
 * {1,2,3,4,5,8} x the algorithm families (bandwidth: ring/chain; latency: recursive doubling,
 * binomial, Bruck; recursive halving-doubling allreduce) x every type x every op x counts {0,1,7,1000} x in place and out of place, each
 * case in a different buffer form. 1_000_003 elements run for a representative set of types and ops
 * (the full cross at that size would take the suite past its time budget on 2 cores).
 */
public class CollectivesMatrixTest
{
    static final String BANDWIDTH = "allreduce:0-inf:ring,broadcast:0-inf:chain,allgather:0-inf:ring,reduce:0-inf:ring";
    static final String LATENCY = "allreduce:0-inf:rd,broadcast:0-inf:binomial,allgather:0-inf:bruck,reduce:0-inf:binomial";
    /** Recursive halving-doubling, the TCP table's allreduce for medium sizes at 3 and 4 ranks. */
    static final String HALVING = "allreduce:0-inf:rhd";
    private static final int[] COUNTS = { 0, 1, 7, 1000 };
    private static final int LARGE = 1_000_003;

    /** The JCCL_TRANSPORT value the matrix runs over. */
    protected String transport()
    {
        return "tcp";
    }

    static Stream<Arguments> worlds()
    {
        final List<Arguments> list = new ArrayList<>();
        for (final int size : new int[] { 1, 2, 3, 4, 5, 8 })
        {
            list.add(Arguments.of(size, BANDWIDTH));
            list.add(Arguments.of(size, LATENCY));
            if (size > 1)
            {
                list.add(Arguments.of(size, HALVING));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} ranks, {1}")
    @MethodSource("worlds")
    void everyCollectiveTypeOpAndCountIsExact(final int size, final String algo)
    {
        try (ThreadedCluster cluster = ThreadedCluster.start(size, c -> c.transport(transport()).algo(algo).timeout(java.time.Duration.ofSeconds(20))))
        {
            cluster.run(comm ->
            {
                final String wanted = System.getProperty("jccl.kernels");
                if (wanted != null && !"auto".equals(wanted))
                {
                    // Proves which kernels this pass exercised (the build runs the matrix with each).
                    org.junit.jupiter.api.Assertions.assertEquals(wanted,
                        ((dev.jccl.core.HostCommunicator)comm).context().kernels().name());
                }
                int caseIndex = 0;
                for (final DataType type : DataType.values())
                {
                    for (final int count : COUNTS)
                    {
                        for (final boolean inPlace : new boolean[] { true, false })
                        {
                            for (final ReduceOp op : ReduceOp.values())
                            {
                                final Form form = Form.values()[caseIndex++ % Form.values().length];
                                allReduce(comm, type, op, count, inPlace, form);
                                reduceScatter(comm, type, op, count, inPlace, form);
                                reduce(comm, type, op, count, inPlace, form, caseIndex % size);
                            }
                            final Form form = Form.values()[caseIndex++ % Form.values().length];
                            broadcast(comm, type, count, inPlace, form, caseIndex % size);
                            allGather(comm, type, count, inPlace, form);
                        }
                    }
                }
                comm.barrier();
                if (size > 1)
                {
                    allReduce(comm, DataType.FLOAT32, ReduceOp.SUM, LARGE, false, Form.TYPED_ARRAY);
                    allReduce(comm, DataType.BFLOAT16, ReduceOp.MAX, LARGE, true, Form.DIRECT_BYTE_BUFFER);
                    allReduce(comm, DataType.FLOAT16, ReduceOp.SUM, LARGE, false, Form.DIRECT_BYTE_BUFFER);
                    allReduce(comm, DataType.INT64, ReduceOp.AVG, LARGE, true, Form.HEAP_BYTE_BUFFER);
                    reduceScatter(comm, DataType.FLOAT32, ReduceOp.SUM, LARGE / size, false, Form.TYPED_ARRAY);
                    reduce(comm, DataType.INT32, ReduceOp.PROD, LARGE, false, Form.TYPED_ARRAY, size - 1);
                    broadcast(comm, DataType.FLOAT64, LARGE, true, Form.TYPED_ARRAY, size - 1);
                    allGather(comm, DataType.FLOAT16, LARGE / size, false, Form.AGRONA_DIRECT_ODD_OFFSET);
                }
            }, java.time.Duration.ofSeconds(240));
        }
    }

    static ByteBuffer image(final DataType type, final ReduceOp op, final int rank, final int size, final int count, final int offset)
    {
        final ByteBuffer image = ByteBuffer.allocate(Math.max(1, count * type.size())).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++)
        {
            Reference.put(image, 0, type, i, Reference.input(type, op, rank, size, offset + i));
        }
        return image;
    }

    private static void allReduce(final Communicator comm, final DataType type, final ReduceOp op, final int count, final boolean inPlace, final Form form)
    {
        final int rank = comm.rank();
        final int size = comm.size();
        final Held send = TestBuffers.make(form, type, count, image(type, op, rank, size, count, 0));
        final Held recv = inPlace ? send : TestBuffers.make(form, type, count, ByteBuffer.allocate(Math.max(1, count * type.size())));
        if (inPlace)
        {
            comm.allReduce(send.buffer, op);
        }
        else
        {
            comm.allReduce(send.buffer, recv.buffer, op);
        }
        final ByteBuffer result = recv.image();
        for (int i = 0; i < count; i++)
        {
            check(comm, "allReduce", type, op, form, inPlace, count, i,
                Reference.bits(type, Reference.expected(type, op, size, i)), Reference.read(result, 0, type, i));
        }
        if (!inPlace)
        {
            assertUnchanged(comm, "allReduce send", send, image(type, op, rank, size, count, 0));
        }
    }

    private static void reduceScatter(final Communicator comm, final DataType type, final ReduceOp op, final int block, final boolean inPlace, final Form form)
    {
        final int rank = comm.rank();
        final int size = comm.size();
        final Held send = TestBuffers.make(form, type, block * size, image(type, op, rank, size, block * size, 0));
        final Held recv = inPlace ? send : TestBuffers.make(form, type, block, ByteBuffer.allocate(Math.max(1, block * type.size())));
        if (inPlace)
        {
            comm.reduceScatter(send.buffer, op);
        }
        else
        {
            comm.reduceScatter(send.buffer, recv.buffer, op);
        }
        final ByteBuffer result = recv.image();
        final int base = inPlace ? rank * block : 0;
        for (int i = 0; i < block; i++)
        {
            check(comm, "reduceScatter", type, op, form, inPlace, block, i,
                Reference.bits(type, Reference.expected(type, op, size, (long)rank * block + i)), Reference.read(result, 0, type, base + i));
        }
    }

    private static void reduce(final Communicator comm, final DataType type, final ReduceOp op, final int count, final boolean inPlace, final Form form, final int root)
    {
        final int rank = comm.rank();
        final int size = comm.size();
        final Held send = TestBuffers.make(form, type, count, image(type, op, rank, size, count, 0));
        final Held recv = inPlace ? send : TestBuffers.make(form, type, count, ByteBuffer.allocate(Math.max(1, count * type.size())));
        if (inPlace)
        {
            comm.reduce(send.buffer, op, root);
        }
        else
        {
            comm.reduce(send.buffer, recv.buffer, op, root);
        }
        if (rank == root)
        {
            final ByteBuffer result = recv.image();
            for (int i = 0; i < count; i++)
            {
                check(comm, "reduce(root " + root + ")", type, op, form, inPlace, count, i,
                    Reference.bits(type, Reference.expected(type, op, size, i)), Reference.read(result, 0, type, i));
            }
        }
        else if (!inPlace)
        {
            assertUnchanged(comm, "reduce send", send, image(type, op, rank, size, count, 0));
        }
    }

    private static void broadcast(final Communicator comm, final DataType type, final int count, final boolean inPlace, final Form form, final int root)
    {
        final int rank = comm.rank();
        final int size = comm.size();
        final ByteBuffer rootImage = image(type, ReduceOp.SUM, root, size, count, 0);
        final ByteBuffer mine = rank == root ? rootImage : ByteBuffer.allocate(Math.max(1, count * type.size()));
        final Held send = TestBuffers.make(form, type, count, mine);
        final Held recv = inPlace ? send : TestBuffers.make(form, type, count, ByteBuffer.allocate(Math.max(1, count * type.size())));
        if (inPlace)
        {
            comm.broadcast(send.buffer, root);
        }
        else
        {
            comm.broadcast(send.buffer, recv.buffer, root);
        }
        final ByteBuffer result = recv.image();
        for (int i = 0; i < count; i++)
        {
            check(comm, "broadcast(root " + root + ")", type, null, form, inPlace, count, i,
                Reference.read(rootImage, 0, type, i), Reference.read(result, 0, type, i));
        }
    }

    private static void allGather(final Communicator comm, final DataType type, final int block, final boolean inPlace, final Form form)
    {
        final int rank = comm.rank();
        final int size = comm.size();
        final Held recv;
        if (inPlace)
        {
            final ByteBuffer whole = ByteBuffer.allocate(Math.max(1, block * size * type.size())).order(ByteOrder.nativeOrder());
            final ByteBuffer mine = image(type, ReduceOp.MAX, rank, size, block, 0);
            whole.position(rank * block * type.size());
            whole.put(mine.limit(block * type.size()));
            recv = TestBuffers.make(form, type, block * size, whole.clear());
            comm.allGather(recv.buffer);
        }
        else
        {
            final Held send = TestBuffers.make(form, type, block, image(type, ReduceOp.MAX, rank, size, block, 0));
            recv = TestBuffers.make(form, type, block * size, ByteBuffer.allocate(Math.max(1, block * size * type.size())));
            comm.allGather(send.buffer, recv.buffer);
        }
        final ByteBuffer result = recv.image();
        for (int r = 0; r < size; r++)
        {
            for (int i = 0; i < block; i++)
            {
                check(comm, "allGather block " + r, type, null, form, inPlace, block, i,
                    Reference.bits(type, Reference.input(type, ReduceOp.MAX, r, size, i)), Reference.read(result, 0, type, (long)r * block + i));
            }
        }
    }

    private static void assertUnchanged(final Communicator comm, final String what, final Held held, final ByteBuffer original)
    {
        final ByteBuffer now = held.image();
        for (int i = 0; i < held.count * held.type.size(); i++)
        {
            if (now.get(i) != original.get(i))
            {
                throw new AssertionError("rank " + comm.rank() + ": " + what + " buffer was modified at byte " + i);
            }
        }
    }

    private static void check(
        final Communicator comm, final String what, final DataType type, final ReduceOp op, final Form form,
        final boolean inPlace, final int count, final int index, final long expected, final long actual)
    {
        if (expected != actual)
        {
            throw new AssertionError("rank " + comm.rank() + "/" + comm.size() + " " + what + " " + type + " " + op + " count " +
                count + (inPlace ? " in place" : " out of place") + " form " + form + ": element " + index +
                " expected bits 0x" + Long.toHexString(expected) + " got 0x" + Long.toHexString(actual));
        }
    }
}
