package dev.jccl.nccl;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceSelectionTest
{
    @Test
    void localRankPicksTheDevice()
    {
        assertEquals(0, DeviceSelection.resolve(0, null, null, 8, Map.of()));
        assertEquals(5, DeviceSelection.resolve(5, null, null, 8, Map.of()));
    }

    @Test
    void environmentAndPropertyOverrideTheLocalRank()
    {
        assertEquals(3, DeviceSelection.resolve(0, null, "3", 4, Map.of()));
        assertEquals(1, DeviceSelection.resolve(0, "1", "3", 4, Map.of()), "the system property wins");
        assertEquals(2, DeviceSelection.resolve(7, " ", " 2 ", 4, Map.of()));
    }

    @Test
    void aDeviceBeyondTheVisibleOnesIsAClearError()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> DeviceSelection.resolve(2, null, null, 2, Map.of("CUDA_VISIBLE_DEVICES", "0,1")));
        assertTrue(ex.getMessage().contains("CUDA device 2 (from LOCAL_RANK) does not exist: 2 device(s) visible") &&
            ex.getMessage().contains("CUDA_VISIBLE_DEVICES=0,1") && ex.getMessage().contains("JCCL_CUDA_DEVICE"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DeviceSelection.resolve(0, null, "gpu0", 2, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> DeviceSelection.resolve(0, null, "-1", 2, Map.of()));
    }
}
