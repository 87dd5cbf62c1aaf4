package dev.jccl.nccl;

import dev.jccl.CollectiveException;
import dev.jccl.CommBuffer;
import dev.jccl.Communicator;
import dev.jccl.DataType;
import dev.jccl.ReduceOp;
import dev.jccl.kernel.BFloat16;
import dev.jccl.kernel.Float16;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every collective, every type and op, in place and out of place, on CUDA memory, one rank per
 * visible GPU (ranks as threads; one GPU gives a 1-rank communicator). Runs only where the NVIDIA
 * driver, a device and NCCL exist; elsewhere every test is skipped with the probe's reason.
 */
class NcclGpuCollectivesTest
{
    private static final int N = 1031;
    private static ThreadRanks ranks;
    private static int size;

    private static String skip;

    @BeforeAll
    static void startRanks() throws Exception
    {
        skip = NcclTestSupport.gpuSkipReason();
        if (skip != null)
        {
            return;
        }
        size = NcclProbe.result().deviceCount();
        ranks = ThreadRanks.start(size, config -> config.transport("nccl").timeout(Duration.ofSeconds(120)));
    }

    /** Each test reports the skip and its reason on its own (a class-level skip hides it in surefire's reports). */
    @BeforeEach
    void needsGpu()
    {
        assumeTrue(skip == null, skip);
    }

    @AfterAll
    static void stopRanks()
    {
        if (ranks != null)
        {
            ranks.close();
        }
    }

    // ---------------------------------------------------------------- values and reference

    /** Small values keep every result exact in every type (products stay powers of two). */
    private static double value(final ReduceOp op, final int rank, final long i)
    {
        return op == ReduceOp.PROD ? 1 + (rank + i) % 2 : 1 + (rank + i) % 4;
    }

    private static double reduce(final ReduceOp op, final long i)
    {
        double acc = value(op, 0, i);
        for (int r = 1; r < size; r++)
        {
            final double v = value(op, r, i);
            switch (op)
            {
                case SUM:
                case AVG:
                    acc += v;
                    break;
                case PROD:
                    acc *= v;
                    break;
                case MAX:
                    acc = Math.max(acc, v);
                    break;
                case MIN:
                    acc = Math.min(acc, v);
                    break;
                default:
                    throw new AssertionError(op);
            }
        }
        return acc;
    }

    private static void put(final ByteBuffer b, final DataType type, final long index, final double v)
    {
        final int at = (int)(index * type.size());
        switch (type)
        {
            case INT8:
            case UINT8:
                b.put(at, (byte)(long)v);
                break;
            case INT32:
            case UINT32:
                b.putInt(at, (int)(long)v);
                break;
            case INT64:
            case UINT64:
                b.putLong(at, (long)v);
                break;
            case FLOAT16:
                b.putShort(at, Float16.fromFloat((float)v));
                break;
            case BFLOAT16:
                b.putShort(at, BFloat16.fromFloat((float)v));
                break;
            case FLOAT32:
                b.putFloat(at, (float)v);
                break;
            case FLOAT64:
                b.putDouble(at, v);
                break;
            default:
                throw new AssertionError(type);
        }
    }

    private static double get(final ByteBuffer b, final DataType type, final long index)
    {
        final int at = (int)(index * type.size());
        switch (type)
        {
            case INT8:
                return b.get(at);
            case UINT8:
                return b.get(at) & 0xff;
            case INT32:
                return b.getInt(at);
            case UINT32:
                return b.getInt(at) & 0xffffffffL;
            case INT64:
            case UINT64:
                return b.getLong(at);
            case FLOAT16:
                return Float16.toFloat(b.getShort(at));
            case BFLOAT16:
                return BFloat16.toFloat(b.getShort(at));
            case FLOAT32:
                return b.getFloat(at);
            case FLOAT64:
                return b.getDouble(at);
            default:
                throw new AssertionError(type);
        }
    }

    /** The expected element as the type stores it (integers wrap, AVG truncates on integers). */
    private static double expected(final DataType type, final ReduceOp op, final double reduced)
    {
        double v = reduced;
        if (op == ReduceOp.AVG)
        {
            v = type.isFloatingPoint() ? reduced / size : Math.floor(reduced / size);
        }
        final ByteBuffer one = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        put(one, type, 0, v);
        return get(one, type, 0);
    }

    private static void check(final String what, final DataType type, final ReduceOp op, final double want, final double got, final long i)
    {
        final double tolerance = op == ReduceOp.AVG && type.isFloatingPoint()
            ? Math.abs(want) * (type.size() == 2 ? 1e-2 : type == DataType.FLOAT32 ? 1e-6 : 1e-12) : 0;
        if (Math.abs(want - got) > tolerance)
        {
            throw new AssertionError(what + " " + type + " " + op + " element " + i + ": expected " + want + ", got " + got);
        }
    }

    // ---------------------------------------------------------------- device memory

    private static final class DeviceArray implements AutoCloseable
    {
        final Pointer pointer = new Pointer();
        final DataType type;
        final long count;

        DeviceArray(final DataType type, final long count)
        {
            this.type = type;
            this.count = count;
            check(cudart.cudaMalloc(pointer, Math.max(1, count * type.size())), "cudaMalloc");
        }

        CommBuffer buffer(final int device)
        {
            return CommBuffer.device(pointer.address(), count, type, device);
        }

        CommBuffer slice(final long fromElement, final long elements, final int device)
        {
            return CommBuffer.device(pointer.address() + fromElement * type.size(), elements, type, device);
        }

        void upload(final ByteBuffer host)
        {
            try (BytePointer staging = new BytePointer(count * type.size()))
            {
                final byte[] bytes = new byte[(int)(count * type.size())];
                host.get(0, bytes);
                staging.put(bytes);
                check(cudart.cudaMemcpy(pointer, staging, bytes.length, cudart.cudaMemcpyHostToDevice), "cudaMemcpy H2D");
            }
        }

        ByteBuffer download()
        {
            final byte[] bytes = new byte[(int)(count * type.size())];
            try (BytePointer staging = new BytePointer(bytes.length))
            {
                check(cudart.cudaMemcpy(staging, pointer, bytes.length, cudart.cudaMemcpyDeviceToHost), "cudaMemcpy D2H");
                staging.get(bytes);
            }
            return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        }

        private static void check(final int err, final String call)
        {
            if (err != cudart.cudaSuccess)
            {
                throw new AssertionError(call + " failed: " + err);
            }
        }

        @Override
        public void close()
        {
            cudart.cudaFree(pointer);
        }
    }

    private static ByteBuffer host(final DataType type, final long count)
    {
        return ByteBuffer.allocate((int)(count * type.size())).order(ByteOrder.nativeOrder());
    }

    private static int device(final Communicator comm)
    {
        final int device = ((NcclCommunicator)comm).device();
        cudart.cudaSetDevice(device);
        return device;
    }

    // ---------------------------------------------------------------- tests

    @Test
    void communicatorsAreNcclOnePerGpu() throws Exception
    {
        ranks.run(comm ->
        {
            assertEquals("nccl", comm.transportName());
            assertEquals(size, comm.size());
            assertEquals(comm.rank(), ((NcclCommunicator)comm).device());
        });
    }

    @Test
    void allReduceEveryTypeAndOpInAndOutOfPlace() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            for (final DataType type : DataType.values())
            {
                for (final ReduceOp op : ReduceOp.values())
                {
                    for (final boolean inPlace : new boolean[] { false, true })
                    {
                        final ByteBuffer in = host(type, N);
                        for (int i = 0; i < N; i++)
                        {
                            put(in, type, i, value(op, comm.rank(), i));
                        }
                        try (DeviceArray send = new DeviceArray(type, N); DeviceArray recv = new DeviceArray(type, N))
                        {
                            send.upload(in);
                            if (inPlace)
                            {
                                comm.allReduce(send.buffer(dev), op);
                            }
                            else
                            {
                                comm.allReduce(send.buffer(dev), recv.buffer(dev), op);
                            }
                            final ByteBuffer out = (inPlace ? send : recv).download();
                            for (int i = 0; i < N; i++)
                            {
                                check("allReduce" + (inPlace ? " in place" : ""), type, op, expected(type, op, reduce(op, i)), get(out, type, i), i);
                            }
                        }
                    }
                }
            }
        });
    }

    @Test
    void reduceScatterEveryTypeAndOpInAndOutOfPlace() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            final int r = comm.rank();
            for (final DataType type : DataType.values())
            {
                for (final ReduceOp op : ReduceOp.values())
                {
                    for (final boolean inPlace : new boolean[] { false, true })
                    {
                        final long total = (long)N * size;
                        final ByteBuffer in = host(type, total);
                        for (long i = 0; i < total; i++)
                        {
                            put(in, type, i, value(op, r, i));
                        }
                        try (DeviceArray send = new DeviceArray(type, total); DeviceArray recv = new DeviceArray(type, N))
                        {
                            send.upload(in);
                            final ByteBuffer out;
                            final long base;
                            if (inPlace)
                            {
                                comm.reduceScatter(send.buffer(dev), op);
                                out = send.download();
                                base = (long)r * N;
                            }
                            else
                            {
                                comm.reduceScatter(send.buffer(dev), recv.buffer(dev), op);
                                out = recv.download();
                                base = 0;
                            }
                            for (int j = 0; j < N; j++)
                            {
                                check("reduceScatter" + (inPlace ? " in place" : ""), type, op,
                                    expected(type, op, reduce(op, (long)r * N + j)), get(out, type, base + j), j);
                            }
                        }
                    }
                }
            }
        });
    }

    @Test
    void reduceEveryTypeAndOpInAndOutOfPlace() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            final int root = size - 1;
            for (final DataType type : DataType.values())
            {
                for (final ReduceOp op : ReduceOp.values())
                {
                    for (final boolean inPlace : new boolean[] { false, true })
                    {
                        final ByteBuffer in = host(type, N);
                        for (int i = 0; i < N; i++)
                        {
                            put(in, type, i, value(op, comm.rank(), i));
                        }
                        try (DeviceArray send = new DeviceArray(type, N); DeviceArray recv = new DeviceArray(type, N))
                        {
                            send.upload(in);
                            if (inPlace)
                            {
                                comm.reduce(send.buffer(dev), op, root);
                            }
                            else
                            {
                                comm.reduce(send.buffer(dev), recv.buffer(dev), op, root);
                            }
                            if (comm.rank() == root)
                            {
                                final ByteBuffer out = (inPlace ? send : recv).download();
                                for (int i = 0; i < N; i++)
                                {
                                    check("reduce" + (inPlace ? " in place" : ""), type, op, expected(type, op, reduce(op, i)), get(out, type, i), i);
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    @Test
    void broadcastAndAllGatherEveryTypeInAndOutOfPlace() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            final int r = comm.rank();
            final int root = size - 1;
            for (final DataType type : DataType.values())
            {
                for (final boolean inPlace : new boolean[] { false, true })
                {
                    // broadcast
                    final ByteBuffer in = host(type, N);
                    for (int i = 0; i < N; i++)
                    {
                        put(in, type, i, r == root ? value(ReduceOp.SUM, root, i) : 0);
                    }
                    try (DeviceArray send = new DeviceArray(type, N); DeviceArray recv = new DeviceArray(type, N))
                    {
                        send.upload(in);
                        if (inPlace)
                        {
                            comm.broadcast(send.buffer(dev), root);
                        }
                        else
                        {
                            comm.broadcast(send.buffer(dev), recv.buffer(dev), root);
                        }
                        final ByteBuffer out = (inPlace ? send : recv).download();
                        for (int i = 0; i < N; i++)
                        {
                            check("broadcast", type, ReduceOp.SUM, value(ReduceOp.SUM, root, i), get(out, type, i), i);
                        }
                    }
                    // allgather
                    final long total = (long)N * size;
                    try (DeviceArray send = new DeviceArray(type, N); DeviceArray recv = new DeviceArray(type, total))
                    {
                        final ByteBuffer mine = host(type, inPlace ? total : N);
                        for (int j = 0; j < N; j++)
                        {
                            put(mine, type, inPlace ? (long)r * N + j : j, value(ReduceOp.SUM, r, j));
                        }
                        if (inPlace)
                        {
                            recv.upload(mine);
                            comm.allGather(recv.buffer(dev));
                        }
                        else
                        {
                            send.upload(mine);
                            comm.allGather(send.buffer(dev), recv.buffer(dev));
                        }
                        final ByteBuffer out = recv.download();
                        for (long i = 0; i < total; i++)
                        {
                            check("allGather", type, ReduceOp.SUM, value(ReduceOp.SUM, (int)(i / N), i % N), get(out, type, i), i);
                        }
                    }
                }
            }
        });
    }

    @Test
    void hostArraysAndBuffersAreStagedThroughTheGpu() throws Exception
    {
        ranks.run(comm ->
        {
            final int r = comm.rank();
            for (int round = 0; round < 3; round++) // staging is reused across calls
            {
                final float[] grad = new float[100_003];
                Arrays.fill(grad, r + 1);
                comm.allReduce(grad, ReduceOp.SUM);
                final float sum = size * (size + 1) / 2f;
                for (final float g : grad)
                {
                    assertEquals(sum, g);
                }
            }
            final long[] weights = new long[777];
            if (r == 0)
            {
                Arrays.setAll(weights, i -> 3L * i);
            }
            comm.broadcast(weights, 0);
            for (int i = 0; i < weights.length; i++)
            {
                assertEquals(3L * i, weights[i]);
            }
            final int[] mine = { r, r * 10 };
            final int[] all = new int[2 * size];
            comm.allGather(mine, all);
            for (int q = 0; q < size; q++)
            {
                assertEquals(q, all[2 * q]);
                assertEquals(q * 10, all[2 * q + 1]);
            }
            final ByteBuffer direct = ByteBuffer.allocateDirect(8 * 64).order(ByteOrder.nativeOrder());
            for (int i = 0; i < 64; i++)
            {
                direct.putDouble(i * 8, r + i);
            }
            comm.allReduce(CommBuffer.of(direct, DataType.FLOAT64, 64), ReduceOp.MAX);
            for (int i = 0; i < 64; i++)
            {
                assertEquals(size - 1 + i, direct.getDouble(i * 8));
            }
            final double[] avg = { r, 2.0 * r };
            comm.allReduce(avg, ReduceOp.AVG);
            assertArrayEquals(new double[] { (size - 1) / 2.0, (size - 1.0) }, avg, 1e-12);
            comm.barrier();
        });
    }

    @Test
    void splitGroupsRunTheirOwnNcclCollectives() throws Exception
    {
        ranks.run(comm ->
        {
            final int r = comm.rank();
            // Two colors by parity, ranked in reverse: members agree on size, rank and id.
            try (dev.jccl.Communicator sub = comm.split(r % 2, -r))
            {
                final int members = (size - r % 2 + 1) / 2;
                assertEquals(members, sub.size());
                assertEquals("nccl", sub.transportName());
                assertNotEquals(comm.id(), sub.id());
                final int[] sum = { r };
                sub.allReduce(sum, ReduceOp.SUM);
                int want = 0;
                for (int q = r % 2; q < size; q += 2)
                {
                    want += q;
                }
                assertEquals(want, sum[0], "sum over color " + r % 2);
                assertEquals((members - 1) - (r / 2), sub.rank(), "key -r ranks the color in reverse");
                final long[] id = { sub.rank() == 0 ? sub.id() : 0 };
                sub.broadcast(id, 0);
                assertEquals(sub.id(), id[0]);
                // The parent keeps working while the sub-communicator exists.
                final int[] all = { 1 };
                comm.allReduce(all, ReduceOp.SUM);
                assertEquals(size, all[0]);
            }
            assertNull(comm.split(dev.jccl.Communicator.UNDEFINED, 0));
        });
    }

    @Test
    void groupedDeviceCallsCompleteTogether() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            try (DeviceArray a = new DeviceArray(DataType.FLOAT32, N); DeviceArray b = new DeviceArray(DataType.INT64, N))
            {
                final ByteBuffer ha = host(DataType.FLOAT32, N);
                final ByteBuffer hb = host(DataType.INT64, N);
                for (int i = 0; i < N; i++)
                {
                    put(ha, DataType.FLOAT32, i, 1);
                    put(hb, DataType.INT64, i, i);
                }
                a.upload(ha);
                b.upload(hb);
                ((NcclCommunicator)comm).group(() ->
                {
                    comm.allReduce(a.buffer(dev), ReduceOp.SUM);
                    comm.allReduce(b.buffer(dev), ReduceOp.MAX);
                });
                final ByteBuffer oa = a.download();
                final ByteBuffer ob = b.download();
                for (int i = 0; i < N; i++)
                {
                    assertEquals(size, get(oa, DataType.FLOAT32, i));
                    assertEquals(i, get(ob, DataType.INT64, i));
                }
                assertThrows(IllegalArgumentException.class,
                    () -> ((NcclCommunicator)comm).group(() -> comm.allReduce(new float[4], ReduceOp.SUM)));
            }
        });
    }

    @Test
    void badArgumentsAreRejectedBeforeAnyCall() throws Exception
    {
        ranks.run(comm ->
        {
            final int dev = device(comm);
            try (DeviceArray a = new DeviceArray(DataType.FLOAT32, 8); DeviceArray b = new DeviceArray(DataType.FLOAT32, 7))
            {
                assertThrows(IllegalArgumentException.class, () -> comm.allReduce(a.buffer(dev), b.buffer(dev), ReduceOp.SUM));
                assertThrows(IllegalArgumentException.class, () -> comm.broadcast(a.buffer(dev), size));
                assertThrows(IllegalArgumentException.class, () -> comm.allReduce(a.buffer(dev), null));
                assertThrows(IllegalArgumentException.class,
                    () -> comm.allReduce(a.slice(0, 4, dev), CommBuffer.device(a.pointer.address(), 4, DataType.INT32, dev), ReduceOp.SUM));
            }
            comm.barrier(); // still usable
        });
    }

    /** Runs last by name order is not guaranteed, so it uses its own communicators. */
    @Test
    void abortBreaksTheCommunicatorAndCloseReturns() throws Exception
    {
        try (ThreadRanks own = ThreadRanks.start(size, config -> config.transport("nccl").timeout(Duration.ofSeconds(30))))
        {
            own.run(comm ->
            {
                comm.barrier();
                comm.abort();
                final CollectiveException ex = assertThrows(CollectiveException.class, comm::barrier);
                assertTrue(ex.getMessage().contains("abort"), ex.getMessage());
                assertTrue(((NcclCommunicator)comm).isBroken());
            });
        }
    }
}
