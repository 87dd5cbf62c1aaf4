package dev.jccl.nccl;

import dev.jccl.CommBuffer;
import dev.jccl.DataType;
import dev.jccl.core.BufferRef;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The staging layout: one aligned region per host-side buffer, none for device memory (no native code runs). */
class StagingAreaTest
{
    private static BufferRef hostBytes(final int bytes)
    {
        return new BufferRef().set(CommBuffer.of(new byte[bytes]));
    }

    private static BufferRef deviceBytes(final long bytes)
    {
        return new BufferRef().set(CommBuffer.device(0x7f00_0000_0000L, bytes, DataType.INT8, 0));
    }

    @Test
    void hostMemoryOfEveryKindIsStagedAndDeviceMemoryIsNot()
    {
        assertTrue(StagingArea.host(hostBytes(1)));
        assertTrue(StagingArea.host(new BufferRef().set(CommBuffer.of(ByteBuffer.allocateDirect(8), DataType.INT8, 8))));
        assertTrue(StagingArea.host(new BufferRef().set(CommBuffer.of(ByteBuffer.allocate(8), DataType.INT8, 8))));
        assertFalse(StagingArea.host(deviceBytes(8)));
        assertFalse(StagingArea.host(null));
    }

    @Test
    void deviceBuffersTakeNoStaging()
    {
        assertEquals(0, StagingArea.stagedBytes(deviceBytes(1000), 1000, deviceBytes(3000), 3000));
        assertEquals(0, StagingArea.regionAfter(deviceBytes(1000), 1000));
    }

    @Test
    void hostRegionsAreAlignedAndTheSecondFollowsTheFirst()
    {
        final BufferRef send = hostBytes(100);
        final BufferRef recv = hostBytes(300);
        assertEquals(256 + 512, StagingArea.stagedBytes(send, 100, recv, 300));
        assertEquals(256, StagingArea.regionAfter(send, 100));
        // An exact multiple takes no padding; one side on the device takes no region.
        assertEquals(512, StagingArea.stagedBytes(hostBytes(512), 512, deviceBytes(512), 512));
        assertEquals(512, StagingArea.stagedBytes(deviceBytes(512), 512, hostBytes(512), 512));
        assertEquals(0, StagingArea.regionAfter(deviceBytes(512), 512));
    }
}
