package dev.jccl.nccl;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;
import dev.jccl.core.BufferRef;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The host side of staging (no GPU needed): every host memory form to and from a raw address, with offsets. */
class HostStagingTest
{
    private final ByteBuffer pinned = ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
    private final long address = BufferUtil.address(pinned);

    @Test
    void floatArrayWithOffsetRoundTrips()
    {
        final float[] array = { 0, 1, 2, 3, 4, 5 };
        final BufferRef ref = new BufferRef().set(CommBuffer.of(array, 2, 3));
        HostStaging.copyIn(ref, 0, address, ref.byteLength());
        assertEquals(2f, pinned.getFloat(0));
        assertEquals(4f, pinned.getFloat(8));
        pinned.putFloat(4, 30f);
        HostStaging.copyOut(address + 4, ref, 4, 4);
        assertArrayEquals(new float[] { 0, 1, 2, 30, 4, 5 }, array);
    }

    @Test
    void plainArrayRefRoundTrips()
    {
        final long[] array = { 7, 8, 9 };
        final BufferRef ref = new BufferRef().setArray(array, array.length, DataType.INT64);
        HostStaging.copyIn(ref, 8, address, 16);
        assertEquals(8L, pinned.getLong(0));
        assertEquals(9L, pinned.getLong(8));
        pinned.putLong(0, 80);
        HostStaging.copyOut(address, ref, 0, 8);
        assertArrayEquals(new long[] { 80, 8, 9 }, array);
    }

    @Test
    void heapAndDirectByteBuffersAndAgronaBuffersRoundTrip()
    {
        final ByteBuffer heap = ByteBuffer.allocate(64).order(ByteOrder.nativeOrder());
        final ByteBuffer direct = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
        final UnsafeBuffer agrona = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
        final UnsafeBuffer agronaHeap = new UnsafeBuffer(new byte[64]);
        heap.putInt(8, 11);
        direct.putInt(8, 12);
        agrona.putInt(8, 13);
        agronaHeap.putInt(8, 14);
        heap.position(4);
        direct.position(4);
        final BufferRef[] refs = {
            new BufferRef().set(CommBuffer.of(heap, DataType.INT32, 4)),
            new BufferRef().set(CommBuffer.of(direct, DataType.INT32, 4)),
            new BufferRef().set(CommBuffer.of(agrona, 4, DataType.INT32, 4)),
            new BufferRef().set(CommBuffer.of(agronaHeap, 4, DataType.INT32, 4)) };
        for (int i = 0; i < refs.length; i++)
        {
            HostStaging.copyIn(refs[i], 0, address, 16);
            assertEquals(11 + i, pinned.getInt(4), "form " + i);
            pinned.putInt(0, 100 + i);
            HostStaging.copyOut(address, refs[i], 0, 4);
        }
        assertEquals(100, heap.getInt(4));
        assertEquals(101, direct.getInt(4));
        assertEquals(102, agrona.getInt(4));
        assertEquals(103, agronaHeap.getInt(4));
    }

    @Test
    void devicePointerWrapsARawAddressWithoutAllocating()
    {
        final DevicePointer pointer = new DevicePointer();
        assertEquals(0, pointer.address());
        assertEquals(address, pointer.at(address).address());
        assertEquals(42, pointer.at(42).address());
    }
}
